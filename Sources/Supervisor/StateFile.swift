#if canImport(Glibc)
import Glibc
#endif
import OutputFormats
import ProcessModel
import ProcFS

/// What swtop run is doing now, for the monitor (swtop's screen and `swtop events`): a small
/// JSON file, `run-PID.json` (PID: swtop run's own) in /run/swtop/ as root, else in
/// $XDG_RUNTIME_DIR/swtop/; none when neither can be had. Rewritten at every transition and
/// removed at exit.
///
/// Others may be able to write in the directory's parent: the directory is opened without
/// following a link and must be the caller's own, and each version is written under a fresh
/// name (O_CREAT|O_EXCL|O_NOFOLLOW, so a planted file or link is never written through) and
/// renamed over the old one, so a reader sees one whole version or the other.
final class StateFile {
    /// One version of the state: what a transition changes (the restart policy and the command
    /// are the file's, the same for the whole run).
    struct State {
        var phase: Phase
        var attempt: Int
        var restarts: Int
        /// The wait before the next restart, should the child end now (or the one being waited).
        var backoff: Double
        /// nil without a health check.
        var health: Health?
    }

    /// Where the run is, with what each phase has: a child while it runs or is stopped, a time
    /// while a restart is waited for.
    enum Phase {
        case running(child: Int32)
        case stopping(child: Int32)
        /// Waiting to restart, due at this time (seconds since the epoch).
        case waiting(restartAt: Double)
        case ended

        var name: String {
            switch self {
            case .running: return "running"
            case .stopping: return "stopping"
            case .waiting: return "waiting"
            case .ended: return "ended"
            }
        }

        var child: Int32? {
            switch self {
            case .running(let child), .stopping(let child): return child
            case .waiting, .ended: return nil
            }
        }

        var restartAt: Double? {
            if case .waiting(let time) = self { return time }
            return nil
        }
    }

    /// Where the child stands with its health check.
    struct Health {
        /// The check ("http://127.0.0.1:8080/health", "command: CMD").
        var check: String
        var ready: Bool
        var unhealthy: Bool
        /// The last check's answer ("HTTP 503"); nil before the first.
        var lastAnswer: String?
    }

    private let directory: Int32
    let name: String
    /// `--restart`: "no", "on-failure", "always".
    private let restartPolicy: String
    private let command: [String]
    private var counter = 0

    private init(directory: Int32, name: String, options: RunOptions) {
        self.directory = directory
        self.name = name
        restartPolicy = options.restart.rawValue
        command = options.command
    }

    deinit { close(directory) }

    /// The file for this process, or nil with why not (said once, not fatal).
    static func open(for options: RunOptions) -> Result<StateFile, RunOptions.Invalid> {
        let base: String
        if geteuid() == 0 {
            base = "/run"
        } else if let runtime = getenv("XDG_RUNTIME_DIR").map({ String(cString: $0) }), runtime.hasPrefix("/") {
            base = runtime
        } else {
            return .failure(RunOptions.Invalid("no state file: not root and XDG_RUNTIME_DIR is not set"))
        }
        let path = base + "/swtop"
        if mkdir(path, geteuid() == 0 ? 0o755 : 0o700) != 0 && errno != EEXIST {
            return .failure(RunOptions.Invalid("no state file: cannot create \(DisplayText.escaped(path)): \(errnoText(errno))"))
        }
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return .failure(RunOptions.Invalid("no state file: cannot open \(DisplayText.escaped(path)): \(errnoText(errno))")) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_uid == geteuid(), info.st_mode & 0o022 == 0 else {
            close(fd)
            return .failure(RunOptions.Invalid("no state file: \(DisplayText.escaped(path)) is not this user's own, or others may write in it"))
        }
        return .success(StateFile(directory: fd, name: "run-\(getpid()).json", options: options))
    }

    /// Replaces the file with this state; false when it could not be written.
    @discardableResult
    func write(_ state: State) -> Bool {
        counter += 1
        let temporary = ".\(name).\(counter).tmp"
        let fd = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        let bytes = json(state)
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let closed = close(fd) == 0
        guard n == bytes.count, closed, renameat(directory, temporary, directory, name) == 0 else {
            unlinkat(directory, temporary, 0)
            return false
        }
        return true
    }

    func remove() {
        unlinkat(directory, name, 0)
    }

    func json(_ s: State) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.beginObject()
        w.field("schema", "swtop-run-state/1")
        w.field("pid", getpid())
        w.field("child_pid", s.phase.child)
        w.field("phase", s.phase.name)
        w.field("attempt", s.attempt)
        w.field("restarts", s.restarts)
        w.field("restart", restartPolicy)
        w.field("backoff_s", s.backoff, decimals: 3)
        w.field("restart_at", s.phase.restartAt.map { Format.rfc3339($0, fractionDigits: 3) })
        // Without a check: not ready nor not (null), not unhealthy.
        w.field("ready", s.health?.ready)
        w.field("unhealthy", s.health?.unhealthy ?? false)
        w.field("health", s.health?.check)
        w.field("health_detail", s.health?.lastAnswer)
        w.field("cmdline", command)
        w.endObject()
        return w.bytes + [UInt8(ascii: "\n")]
    }
}
