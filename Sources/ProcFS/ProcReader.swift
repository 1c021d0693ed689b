#if canImport(Glibc)
import Glibc
#endif

/// Why a /proc file could not be read.
public enum ReadFailure: Error, Equatable, Sendable {
    /// ENOENT or ESRCH: the process (or the file) is not there. Ordinary, not an error.
    case gone
    /// EACCES or EPERM: hidepid, or a file that needs ptrace access.
    case denied
    case other(Int32)

    init(errno code: Int32) {
        switch code {
        case ENOENT, ESRCH: self = .gone
        case EACCES, EPERM: self = .denied
        default: self = .other(code)
        }
    }
}

/// The proc root could not be used at all.
public struct ProcRootError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var code: Int32
    /// Said instead of the errno's words.
    public var reason: String?

    public init(path: String, code: Int32, reason: String? = nil) {
        self.path = path
        self.code = code
        self.reason = reason
    }

    public var description: String {
        "cannot read proc root \(path): \(reason ?? errnoText(code))"
    }
}

/// Which per-process files to read besides `stat`, which is always read.
public struct ProcessFiles: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let statm = ProcessFiles(rawValue: 1 << 0)
    public static let status = ProcessFiles(rawValue: 1 << 1)
    public static let cmdline = ProcessFiles(rawValue: 1 << 2)
    public static let limits = ProcessFiles(rawValue: 1 << 3)
    /// `cgroup`: the cgroup, systemd unit and container.
    public static let cgroup = ProcessFiles(rawValue: 1 << 4)
    /// `io`: storage bytes read and written (needs ptrace access).
    public static let io = ProcessFiles(rawValue: 1 << 5)
    /// `oom_score` and `oom_score_adj`.
    public static let oom = ProcessFiles(rawValue: 1 << 6)

    public static let standard: ProcessFiles = [.statm, .status, .cmdline]
}

/// What could be read of one process (or one thread). `stat` parsed; every other file is nil
/// when it was missing, unreadable or did not parse.
public struct RawProcess: Sendable, Equatable {
    public var stat: ProcStat
    /// The process's pid: the directory it was read from (for a thread, stat holds the tid).
    public var pid: Int32
    /// The thread id when this is a thread read from `task/TID/`.
    public var tid: Int32?
    /// Not read when `status` has the same figures (`ProcStatus.hasMemory`).
    public var statm: ProcStatm?
    public var status: ProcStatus?
    public var cmdline: [[UInt8]]?
    public var limits: ProcLimits?
    public var cgroup: ProcCgroup?
    public var io: ProcIO?
    public var oomScore: Int32?
    public var oomScoreAdj: Int32?

    public init(stat: ProcStat, pid: Int32, tid: Int32? = nil, statm: ProcStatm? = nil, status: ProcStatus? = nil, cmdline: [[UInt8]]? = nil, limits: ProcLimits? = nil) {
        self.stat = stat
        self.pid = pid
        self.tid = tid
        self.statm = statm
        self.status = status
        self.cmdline = cmdline
        self.limits = limits
    }
}

/// The only code in ProcFS that reads files: it takes its root (normally /proc; a recorded
/// fixture tree in tests and replays) and reads into one reused buffer.
///
/// Not thread-safe: use one reader per thread.
public final class ProcReader {
    public let root: String
    private let rootFD: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    private var path: UnsafeMutablePointer<CChar>
    /// For directory listings; allocated at the first.
    private var directoryBuffer: UnsafeMutableRawBufferPointer?
    private static let pathCapacity = 64
    /// A file larger than this is cut; /proc files are smaller, but a replayed tree is untrusted.
    public static let maximumFileSize = 8 << 20

    /// Whether the root is the kernel's proc file system (`/proc`, `/proc/`, a bind mount of
    /// it), not a recorded tree: live processes, which a second sample sees change and which can
    /// be acted on.
    public let isLive: Bool

    /// Whether the root is the live /proc of swtop's own PID namespace (its `self` is this
    /// process), so that pids there are the pids the kernel's other interfaces (cgroup.procs,
    /// taskstats) speak of.
    public var isOwnPIDNamespace: Bool {
        guard isLive, case .success(let pid?) = withFile("self/stat", { ProcStat.parse($0)?.pid }) else { return false }
        return pid == getpid()
    }

    public init(root: String = "/proc") throws(ProcRootError) {
        self.root = root
        let fd = SystemCalls.openDirectory(root)
        guard fd >= 0 else {
            let code = SystemCalls.errno
            throw ProcRootError(path: root, code: code, reason: code == EMFILE ? errnoText(code) + SystemCalls.openFileLimitText : nil)
        }
        rootFD = fd
        isLive = SystemCalls.isProcFileSystem(fd)
        buffer = .allocate(byteCount: 16 << 10, alignment: 16)
        path = .allocate(capacity: Self.pathCapacity)
    }

    deinit {
        SystemCalls.close(rootFD)
        buffer.deallocate()
        path.deallocate()
        directoryBuffer?.deallocate()
    }

    var listingBuffer: UnsafeMutableRawBufferPointer {
        if let directoryBuffer { return directoryBuffer }
        // 64 KB holds about 2000 entries of /proc: three getdents64 calls for 5000 processes
        // cost no measurable time, and 256 KB was a twentieth of the screen's peak RSS.
        let made = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 8)
        directoryBuffer = made
        return made
    }

    /// Fails unless the root is a proc tree (live or recorded): any directory can be opened,
    /// and a proc tree has the system's `stat`. Out of descriptors (`ulimit -n 4`), it says so:
    /// that is no reason to call /proc "not a /proc tree".
    public func requireProcTree() throws(ProcRootError) {
        switch read("stat") {
        case .success: return
        case .failure(.gone):
            throw ProcRootError(path: root, code: 0, reason: "not a /proc tree (it has no stat file)")
        case .failure(.other(let code)) where code == EMFILE:
            throw ProcRootError(path: root, code: code, reason: errnoText(code) + SystemCalls.openFileLimitText)
        case .failure(.denied):
            throw ProcRootError(path: root, code: EACCES)
        case .failure(.other(let code)):
            throw ProcRootError(path: root, code: code)
        }
    }

    /// The process ids present now, in the order the directory lists them.
    public func pids() throws(ProcRootError) -> [Int32] {
        guard let list = SystemCalls.numericEntries(ofDirectoryAt: rootFD, relative: nil, buffer: listingBuffer) else {
            throw ProcRootError(path: root, code: SystemCalls.errno)
        }
        return list
    }

    /// The process ids present now, in pid order, and the constant that turns a pid into the
    /// listing position where it is listed from (nil when the positions do not show one).
    public func pidsAndPositions() throws(ProcRootError) -> (pids: [Int32], pidOffset: Int64?) {
        var positions = ListingPositions()
        guard let list = SystemCalls.numericEntries(ofDirectoryAt: rootFD, relative: nil, buffer: listingBuffer, from: nil, positions: &positions) else {
            throw ProcRootError(path: root, code: SystemCalls.errno)
        }
        return (list, positions.pidOffset)
    }

    /// The process ids from `first` up, listed from the position `first + pidOffset` (see
    /// `pidsAndPositions`); nil when the listing fails.
    public func pids(from first: Int32, pidOffset: Int64) -> [Int32]? {
        var positions = ListingPositions()
        guard let list = SystemCalls.numericEntries(
            ofDirectoryAt: rootFD, relative: nil, buffer: listingBuffer, from: Int64(first) + pidOffset, positions: &positions)
        else { return nil }
        // Only what the seek promised: a kernel that lists otherwise is listed in full.
        return list.allSatisfy({ $0 >= first }) ? list : nil
    }

    /// The thread ids of a process; empty when it is gone.
    public func tids(of pid: Int32) -> [Int32] {
        SystemCalls.numericEntries(ofDirectoryAt: rootFD, relative: "\(pid)/task", buffer: listingBuffer) ?? []
    }

    /// One row of a listing: a process, or in the thread view one of its threads.
    public struct TaskRow: Equatable, Sendable {
        /// The row's tid in the thread view; nil for a process row.
        public var tid: Int32?
        /// The `task/TID/` directory its files are read from; nil: the process's own directory.
        public var directory: Int32?
    }

    /// The rows of one process: itself, or in the thread view each of its threads by tid. A
    /// process whose task/ cannot be listed still gets a row, read from its own directory.
    public func rows(of pid: Int32, threads: Bool) -> [TaskRow] {
        guard threads else { return [TaskRow(tid: nil, directory: nil)] }
        let tids = self.tids(of: pid).sorted()
        if tids.isEmpty { return [TaskRow(tid: pid, directory: nil)] }
        return tids.map { TaskRow(tid: $0, directory: $0) }
    }

    /// Reads a file relative to the root, e.g. "stat" or "1234/status", and hands its bytes to
    /// `body`. The bytes are valid only inside `body`.
    public func withFile<R>(_ relative: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> Result<R, ReadFailure> {
        let fits = relative.utf8.count < Self.pathCapacity
        if fits {
            var i = 0
            for byte in relative.utf8 {
                path[i] = CChar(bitPattern: byte)
                i += 1
            }
            path[i] = 0
            return withFile(cPath: path, body)
        }
        return relative.withCString { withFile(cPath: $0, body) }
    }

    /// Reads `name` of a process (`PID/name`) or, with `tid`, of one of its threads
    /// (`PID/task/TID/name`). The path is written into a reused buffer: no String is made, which
    /// counts when every process is read each refresh.
    public func withTaskFile<R>(_ pid: Int32, tid: Int32? = nil, _ name: StaticString, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> Result<R, ReadFailure> {
        guard taskPath(pid, tid: tid, name) else { return withFile((tid.map { "\(pid)/task/\($0)/" } ?? "\(pid)/") + "\(name)", body) }
        return withFile(cPath: path, body)
    }

    /// Writes `PID/[task/TID/]name` and a NUL into `path`; false when it does not fit.
    private func taskPath(_ pid: Int32, tid: Int32?, _ name: StaticString) -> Bool {
        var i = 0
        func put(_ byte: UInt8) -> Bool {
            guard i < Self.pathCapacity - 1 else { return false }
            path[i] = CChar(bitPattern: byte)
            i += 1
            return true
        }
        func putNumber(_ n: Int32) -> Bool {
            // A pid is never negative, but a recorded tree is untrusted: it is written as it is.
            if n < 0, !put(UInt8(ascii: "-")) { return false }
            let value = n.magnitude
            var divisor: UInt32 = 1
            while value / divisor >= 10 { divisor *= 10 }
            while divisor > 0 {
                guard put(UInt8(ascii: "0") + UInt8(value / divisor % 10)) else { return false }
                divisor /= 10
            }
            return true
        }
        guard putNumber(pid), put(UInt8(ascii: "/")) else { return false }
        if let tid {
            for byte in "task/".utf8 where !put(byte) { return false }
            guard putNumber(tid), put(UInt8(ascii: "/")) else { return false }
        }
        let fits = name.withUTF8Buffer { bytes in
            for byte in bytes where !put(byte) { return false }
            return true
        }
        guard fits else { return false }
        path[i] = 0
        return true
    }

    private func withFile<R>(cPath: UnsafePointer<CChar>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> Result<R, ReadFailure> {
        withFile(at: rootFD, cPath: cPath, body)
    }

    /// Reads `cPath` relative to the directory `dirFD` (the cgroup walk's directories).
    /// - Parameter toEnd: read until a read returns nothing: a seq_file larger than a page
    ///   (`cgroup.procs`) comes a page at a time, so a short read is not its end.
    func withFile<R>(at dirFD: Int32, cPath: UnsafePointer<CChar>, toEnd: Bool = false, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> Result<R, ReadFailure> {
        let fd = SystemCalls.openFile(at: dirFD, cPath)
        guard fd >= 0 else { return .failure(ReadFailure(errno: SystemCalls.errno)) }
        defer { SystemCalls.close(fd) }
        return fill(fd, positional: false, toEnd: toEnd).map { body(bytes($0)) }
    }

    /// Reads the whole file into the buffer (growing it up to maximumFileSize); the byte count.
    private func fill(_ fd: Int32, positional: Bool, toEnd: Bool = false) -> Result<Int, ReadFailure> {
        var used = 0
        while true {
            if used == buffer.count {
                guard buffer.count < Self.maximumFileSize else { break }
                let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
                bigger.copyMemory(from: UnsafeRawBufferPointer(buffer))
                buffer.deallocate()
                buffer = bigger
            }
            guard let base = buffer.baseAddress else { break }
            let n = positional
                ? SystemCalls.pread(fd, base + used, buffer.count - used, used)
                : SystemCalls.read(fd, base + used, buffer.count - used)
            if n < 0 { return .failure(ReadFailure(errno: SystemCalls.errno)) }
            if n == 0 { break }
            used += n
            // A short read is the end: /proc files come whole from one read that has room for
            // them (and regular files end where a read stops short), so the read that would
            // return 0 is saved. It halves the reads of a refresh.
            if used < buffer.count, !toEnd { break }
        }
        return .success(used)
    }

    private func bytes(_ count: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), count: count)
    }

    /// How many files a process has open: the size the kernel gives `PID/fd` (Linux 6.2 and
    /// later: one stat call instead of listing the directory), else its entries counted. nil
    /// when it cannot be known: the process is gone, is not ours (it needs ptrace access), or
    /// the root is a recorded tree without fd directories.
    public func openFileCount(_ pid: Int32) -> Int? {
        guard taskPath(pid, tid: nil, "fd") else { return nil }
        var info = stat()
        guard fstatat(rootFD, path, &info, 0) == 0 else { return nil }
        if info.st_size > 0 { return Int(info.st_size) }
        // 0: an older kernel, or truly no files open; the listing tells them apart.
        guard isLive else { return nil }
        return SystemCalls.entryCount(ofDirectoryAt: rootFD, relative: "\(pid)/fd", buffer: listingBuffer)
    }

    /// Opens a file relative to the root, to keep (see KeptProcess).
    func open(_ relative: String) -> Result<Int32, ReadFailure> {
        let fd = relative.withCString { SystemCalls.openFile(at: rootFD, $0) }
        return fd >= 0 ? .success(fd) : .failure(ReadFailure(errno: SystemCalls.errno))
    }

    /// Opens `name` of a process or thread (as `withTaskFile` names it), to keep.
    func openTaskFile(_ pid: Int32, tid: Int32?, _ name: StaticString) -> Result<Int32, ReadFailure> {
        guard taskPath(pid, tid: tid, name) else { return open((tid.map { "\(pid)/task/\($0)/" } ?? "\(pid)/") + "\(name)") }
        let fd = SystemCalls.openFile(at: rootFD, path)
        return fd >= 0 ? .success(fd) : .failure(ReadFailure(errno: SystemCalls.errno))
    }

    /// Reads a kept file from its start with pread, and hands its bytes to `body`. An empty read
    /// means the process is gone.
    func withKept<R>(_ fd: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> Result<R, ReadFailure> {
        switch fill(fd, positional: true) {
        case .success(0): return .failure(.gone)
        case .success(let count): return .success(body(bytes(count)))
        case .failure(let failure): return .failure(failure)
        }
    }

    /// The file's bytes, copied.
    public func read(_ relative: String) -> Result<[UInt8], ReadFailure> {
        withFile(relative) { Array($0) }
    }

    /// Reads one process (or, with `tid`, one of its threads). nil when it vanished or its
    /// `stat` does not parse; otherwise each other file is nil when it could not be read.
    /// - Parameter walked: every process's cgroup from one walk of the hierarchy (`walkCgroups`);
    ///   a process it does not know has its `cgroup` file read.
    public func process(_ pid: Int32, tid: Int32? = nil, files: ProcessFiles = .standard, walked: CgroupWalk? = nil) -> RawProcess? {
        guard case .success(let parsed) = withTaskFile(pid, tid: tid, "stat", { ProcStat.parse($0) }), let stat = parsed
        else { return nil }
        var raw = RawProcess(stat: stat, pid: pid, tid: tid)
        if files.contains(.status), case .success(let v) = withTaskFile(pid, tid: tid, "status", { ProcStatus.parse($0) }) {
            raw.status = v
        }
        // status's VmSize and VmRSS are statm's counters: one file fewer per process.
        if files.contains(.statm), raw.status?.hasMemory != true,
            case .success(let v) = withTaskFile(pid, tid: tid, "statm", { ProcStatm.parse($0) })
        {
            raw.statm = v
        }
        // The command line and limits are the process's: a thread's files say the same, and a
        // recording (swtop record) keeps only the process's. Once the main thread has exited
        // (a zombie leader), the process's is empty and a live thread's own still has it.
        if files.contains(.cmdline), case .success(let v) = withTaskFile(pid, "cmdline", { ProcCmdline.parse($0) }) {
            raw.cmdline = v
            if v.isEmpty, tid != nil, case .success(let own) = withTaskFile(pid, tid: tid, "cmdline", { ProcCmdline.parse($0) }) {
                raw.cmdline = own
            }
        }
        if files.contains(.limits), case .success(let v) = withTaskFile(pid, "limits", { ProcLimits.parse($0) }) {
            raw.limits = v
        }
        // A process's cgroup, I/O and OOM score: its threads share them (a thread row shows the
        // process's, as swtop record keeps only the process's files).
        if files.contains(.cgroup) { raw.cgroup = cgroup(of: raw, walked: walked) }
        if files.contains(.io) { raw.io = io(pid) }
        if files.contains(.oom) { (raw.oomScore, raw.oomScoreAdj) = oom(pid) }
        return raw
    }

    /// A process's cgroup from the walk of the hierarchy where it answers, else from its file.
    public func cgroup(of raw: RawProcess, walked: CgroupWalk?) -> ProcCgroup? {
        // A zombie may have left the walk's listings: its own file says where it was.
        let zombie = raw.stat.state == UInt8(ascii: "Z") || raw.stat.state == UInt8(ascii: "X")
        return (zombie ? nil : walked?.cgroup(of: raw.pid)) ?? cgroup(raw.pid)
    }

    public func cgroup(_ pid: Int32) -> ProcCgroup? {
        guard case .success(let v) = withTaskFile(pid, "cgroup", { ProcCgroup.parse($0) }) else { return nil }
        return v
    }

    /// nil when unreadable: another user's process without root.
    public func io(_ pid: Int32) -> ProcIO? {
        guard case .success(let v) = withTaskFile(pid, "io", { ProcIO.parse($0) }) else { return nil }
        return v
    }

    /// `oom_score` and `oom_score_adj`.
    public func oom(_ pid: Int32) -> (score: Int32?, adjust: Int32?) {
        guard case .success(let score) = withTaskFile(pid, "oom_score", { ProcInteger.parse($0) }) else { return (nil, nil) }
        guard case .success(let adjust) = withTaskFile(pid, "oom_score_adj", { ProcInteger.parse($0) }) else { return (score, nil) }
        return (score, adjust)
    }

    /// Docker's name of a container, from its config.v2.json (root only); nil elsewhere, and for
    /// a recorded tree, whose containers are not this machine's.
    public func dockerName(id: String) -> String? {
        guard isLive, id.utf8.count == 64, id.utf8.allSatisfy(isHexDigit) else { return nil }
        guard case .success(let v) = withFile("/var/lib/docker/containers/" + id + "/config.v2.json", { DockerConfig.name($0) }) else { return nil }
        return v
    }

    public func systemStat() -> SystemStat? { parsed("stat", SystemStat.parse) }
    public func meminfo() -> Meminfo? { parsed("meminfo", Meminfo.parse) }
    public func loadAverage() -> LoadAverage? { parsed("loadavg", LoadAverage.parse) }
    public func uptime() -> Uptime? { parsed("uptime", Uptime.parse) }

    private func parsed<T>(_ name: String, _ parse: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        guard case .success(let value) = withFile(name, parse) else { return nil }
        return value
    }
}
