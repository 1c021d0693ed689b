#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// What one `swtop run` says it is doing, from its state file (schema "swtop-run-state/1",
/// docs/run.md): the attempt, the back-off, ready or unhealthy.
public struct SupervisorState: Sendable, Equatable {
    /// swtop run's own pid (from the file's name).
    public var pid: Int32
    /// nil while it waits to restart.
    public var childPID: Int32?
    /// "running", "stopping", "waiting" (to restart), "ended".
    public var phase: String
    public var attempt: Int
    public var restarts: Int
    /// `--restart`: "no", "on-failure", "always"; nil when the file does not say.
    public var restartPolicy: String?
    /// The wait before the next restart should the child end now (or the one being waited).
    public var backoff: Double
    /// When the waited restart is due (seconds since the epoch).
    public var restartAt: Double?
    /// nil without a health check.
    public var ready: Bool?
    public var unhealthy: Bool
    /// The check (`http://127.0.0.1:8080/health`, `tcp://...`, `command: CMD`); nil without one.
    public var health: String?
    /// The last check's answer ("HTTP 503", "command exited 1").
    public var healthDetail: String?
    /// The command it runs (each attempt the same); nil where the file does not say.
    public var command: [String]? = nil

    public init(pid: Int32, childPID: Int32?, phase: String, attempt: Int, restarts: Int, restartPolicy: String? = nil, backoff: Double,
                restartAt: Double?, ready: Bool?, unhealthy: Bool, health: String? = nil, healthDetail: String? = nil, command: [String]? = nil) {
        self.pid = pid
        self.childPID = childPID
        self.phase = phase
        self.attempt = attempt
        self.restarts = restarts
        self.restartPolicy = restartPolicy
        self.backoff = backoff
        self.restartAt = restartAt
        self.ready = ready
        self.unhealthy = unhealthy
        self.health = health
        self.healthDetail = healthDetail
        self.command = command
    }

    /// It restarts its child (with `--restart no` it does not, and a back-off means nothing).
    public var restartsChild: Bool { restartPolicy != "no" }

    /// "ready", "unhealthy", "not ready yet"; nil without a health check.
    public var healthWords: String? {
        if unhealthy { return "unhealthy" }
        return ready.map { $0 ? "ready" : "not ready yet" }
    }

    /// Parses one state file; nil when it is not one (any bytes at all: never traps).
    public static func parse(_ bytes: ArraySlice<UInt8>, pid: Int32) -> SupervisorState? {
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        guard let line = FlatJSONLine(bytes[bytes.startIndex..<end]), line.string("schema") == "swtop-run-state/1",
            line.integer("pid") == Int64(pid), let phase = line.string("phase"),
            let attempt = line.integer("attempt").flatMap(Int.init(exactly:)), attempt >= 0,
            let restarts = line.integer("restarts").flatMap(Int.init(exactly:)), restarts >= 0,
            let backoff = line.number("backoff_s"), backoff.isFinite, backoff >= 0, backoff < 1e9
        else { return nil }
        let child = line.integer("child_pid").flatMap(Int32.init(exactly:)).flatMap { $0 > 0 ? $0 : nil }
        return SupervisorState(
            pid: pid, childPID: child, phase: phase, attempt: attempt, restarts: restarts, restartPolicy: line.string("restart"), backoff: backoff,
            restartAt: line.rawString("restart_at").flatMap(CalendarDay.parseRFC3339), ready: line.bool("ready"),
            unhealthy: line.bool("unhealthy") ?? false, health: line.string("health"), healthDetail: line.string("health_detail"),
            command: line.strings("cmdline"))
    }
}

/// The state files of the `swtop run`s this reader may trust: in /run/swtop (root's) and in
/// $XDG_RUNTIME_DIR/swtop (the reader's own).
///
/// A state file is untrusted input. Any user can plant one in a directory they can write, so a
/// directory counts only when it is not a link, is owned by root or the reader, and no one else
/// may write in it; a file only when it is a regular file owned by root or the reader, at most
/// `maxFileSize` bytes. A file says what it likes, so a state counts only for the child whose
/// parent, as /proc has it, is the file's swtop run (whose own pid is in the file's name) and
/// is running swtop-run: a file left by a killed swtop run whose pid was reused says nothing.
///
/// Read again only when a directory's mtime changed (swtop run replaces its file by rename,
/// which changes it): one stat a directory per refresh.
public final class SupervisedRuns {
    public static let maxFileSize = 4096
    /// At most this many files are read from a directory (each is one swtop run).
    public static let maxFiles = 256

    private let directories: [String]
    private var lastRead: [String: (mtime: timespec, readAt: Double)] = [:]
    private var fromDirectory: [String: [Int32: SupervisorState]] = [:]
    /// Every state read, by swtop run's pid.
    public private(set) var states: [Int32: SupervisorState] = [:]

    public init(directories: [String] = SupervisedRuns.directories) {
        self.directories = directories
    }

    /// /run/swtop, and $XDG_RUNTIME_DIR/swtop where it is set to an absolute path.
    public static var directories: [String] {
        var list = ["/run/swtop"]
        if let runtime = getenv("XDG_RUNTIME_DIR").map({ String(cString: $0) }), runtime.hasPrefix("/"), runtime != "/run" {
            list.append(runtime + "/swtop")
        }
        return list
    }

    /// Reads the directories that changed since the last call.
    public func refresh(now: Double = Clock.now()) {
        var changed = false
        for path in directories {
            var info = stat()
            guard lstat(path, &info) == 0 else {
                if fromDirectory.removeValue(forKey: path) != nil { changed = true }
                lastRead[path] = nil
                continue
            }
            // The mtime moves in clock ticks: a change within the tick of the last read would
            // leave it equal, so a directory changed that recently is read again.
            if let last = lastRead[path], last.mtime.tv_sec == info.st_mtim.tv_sec, last.mtime.tv_nsec == info.st_mtim.tv_nsec,
                last.readAt - Self.seconds(info.st_mtim) > 0.05
            {
                continue
            }
            lastRead[path] = (info.st_mtim, now)
            fromDirectory[path] = Self.readDirectory(path)
            changed = true
        }
        if changed {
            states = [:]
            for list in fromDirectory.values { states.merge(list) { first, _ in first } }
        }
    }

    /// The swtop run supervising `child`, whose parent is `parent` as the caller read it: the
    /// state of the swtop run with that pid, when its file names `child` (or none, between two
    /// runs) and `parent` runs swtop-run.
    public func supervisor(of child: Int32, parent: Int32) -> SupervisorState? {
        guard let state = states[parent], state.childPID == nil || state.childPID == child, Self.runsSwtopRun(parent) else { return nil }
        return state
    }

    /// The command line of a swtop run's child that exec'd and was gone before its own could be
    /// read (`swtop run -- sh -c 'exit 1'` lives a few milliseconds): its state file's command,
    /// when the name the kernel gave the child at exec is that command's program (its first
    /// exec, not a later one), so its restarts are runs of one command and can form a loop.
    public func command(ofChild child: Int32, parent: Int32, execName: String) -> [String]? {
        refresh()
        guard !execName.isEmpty, let command = supervisor(of: child, parent: parent)?.command, let program = command.first else { return nil }
        let base = program.utf8.split(separator: UInt8(ascii: "/")).last ?? program.utf8[...]
        return Array(base.prefix(15)).elementsEqual(execName.utf8) ? command : nil
    }

    /// The state of the swtop run `pid`, when the process runs swtop-run (for its own row).
    public func run(_ pid: Int32) -> SupervisorState? {
        guard let state = states[pid], Self.runsSwtopRun(pid) else { return nil }
        return state
    }

    static func runsSwtopRun(_ pid: Int32) -> Bool {
        let fd = open("/proc/\(pid)/comm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        return n > 0 && buffer[..<n] == ArraySlice("swtop-run\n".utf8)
    }

    static func seconds(_ t: timespec) -> Double { Double(t.tv_sec) + Double(t.tv_nsec) / 1e9 }

    /// The states in one directory; none when the directory may not be trusted.
    static func readDirectory(_ path: String) -> [Int32: SupervisorState] {
        let me = getuid()
        let dir = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard dir >= 0 else { return [:] }
        var info = stat()
        guard fstat(dir, &info) == 0, info.st_uid == 0 || info.st_uid == me, info.st_mode & 0o022 == 0,
            let listing = fdopendir(dup(dir))
        else {
            close(dir)
            return [:]
        }
        defer {
            closedir(listing)
            close(dir)
        }
        var states: [Int32: SupervisorState] = [:]
        var files = 0
        while let entry = readdir(listing), files < maxFiles {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            guard let pid = pid(inName: name) else { continue }
            files += 1
            if let state = readFile(dir, name, pid: pid, owners: [0, me]) { states[pid] = state }
        }
        return states
    }

    /// "run-812.json" -> 812.
    static func pid(inName name: [UInt8]) -> Int32? {
        let prefix = Array("run-".utf8), suffix = Array(".json".utf8)
        guard name.count > prefix.count + suffix.count, name.starts(with: prefix), name.suffix(suffix.count).elementsEqual(suffix) else { return nil }
        let digits = name[prefix.count..<(name.count - suffix.count)]
        guard digits.count <= 10, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let pid = Int32(String(decoding: digits, as: UTF8.self)), pid > 0
        else { return nil }
        return pid
    }

    static func readFile(_ dir: Int32, _ name: [UInt8], pid: Int32, owners: Set<uid_t>) -> SupervisorState? {
        // O_NONBLOCK: a FIFO planted at the name must not hang the screen.
        // The name is ASCII: `pid(inName:)` passed it.
        let fd = openat(dir, String(decoding: name, as: UTF8.self), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, owners.contains(info.st_uid), info.st_size <= maxFileSize else { return nil }
        var buffer = [UInt8](repeating: 0, count: maxFileSize + 1)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard n > 0, n <= maxFileSize else { return nil }
        return SupervisorState.parse(buffer[..<n], pid: pid)
    }
}
