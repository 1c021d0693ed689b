#if canImport(Glibc)
import Glibc
#endif

/// One open file descriptor of a process: its number and where `/proc/PID/fd/N` points.
public struct OpenFile: Sendable, Equatable {
    public var fd: Int32
    /// The link's text as the kernel gives it (`/var/log/x.log`, `socket:[123]`, `pipe:[45]`,
    /// `/path (deleted)`): raw bytes, escape before showing.
    public var target: Result<[UInt8], ReadFailure>

    public init(fd: Int32, target: Result<[UInt8], ReadFailure>) {
        self.fd = fd
        self.target = target
    }
}

/// Everything the detail view shows of one process, read in one go while the page is open.
/// Each file is its own Result: one the user may not read (another user's `environ`, a root-only
/// `stack`) says so in its place and the rest still shows.
public struct ProcessDetailFiles: Sendable, Equatable {
    public var pid: Int32
    /// Read first and again last: its start time is the process's identity.
    public var stat: ProcStat
    public var scheduling: StatScheduling?
    public var status: Result<StatusDetail, ReadFailure>
    public var cmdline: Result<[[UInt8]], ReadFailure>
    public var exe: Result<[UInt8], ReadFailure>
    public var cwd: Result<[UInt8], ReadFailure>
    public var root: Result<[UInt8], ReadFailure>
    /// nil inside: not waiting (running, or a zombie).
    public var wchan: Result<String?, ReadFailure>
    /// Read only in disk sleep (D); the kernel gives it to root only.
    public var stack: Result<[String], ReadFailure>?
    public var limits: Result<ProcLimits, ReadFailure>
    /// In fd order; at most `ProcReader.maximumOpenFiles` of them.
    public var openFiles: Result<[OpenFile], ReadFailure>
    /// How many fds there are, when there are more than were read.
    public var openFileCount: Int
    /// The process's network namespace's tables, read when it has a socket open.
    public var sockets: SocketTable
    public var environment: Result<[[UInt8]], ReadFailure>
    /// Storage bytes read and written (`io`; another user's needs root).
    public var io: Result<ProcIO, ReadFailure>
    public var oomScore: Result<Int32, ReadFailure>
    public var oomScoreAdj: Result<Int32, ReadFailure>

    public init(pid: Int32, stat: ProcStat) {
        self.pid = pid
        self.stat = stat
        status = .failure(.gone)
        cmdline = .failure(.gone)
        exe = .failure(.gone)
        cwd = .failure(.gone)
        root = .failure(.gone)
        wchan = .failure(.gone)
        limits = .failure(.gone)
        openFiles = .failure(.gone)
        openFileCount = 0
        sockets = SocketTable()
        environment = .failure(.gone)
        io = .failure(.gone)
        oomScore = .failure(.gone)
        oomScoreAdj = .failure(.gone)
    }
}

/// What reading a process for the detail view found.
public enum DetailRead: Sendable, Equatable {
    case read(ProcessDetailFiles)
    /// No process with this pid and start time any more (exited, or the pid was reused).
    case gone
}

extension ProcReader {
    /// Open files read per refresh, at most; a process with more shows this many and the count.
    public static let maximumOpenFiles = 4096

    /// Reads the detail view's files of the process `pid` that started at `startTicks`.
    public func detail(_ pid: Int32, startTicks: UInt64) -> DetailRead {
        guard let stat = currentStat(pid, startTicks: startTicks) else { return .gone }
        var d = ProcessDetailFiles(pid: pid, stat: stat)
        if case .success(let s) = withTaskFile(pid, "stat", { StatScheduling.parse($0) }) { d.scheduling = s }
        d.status = parsedFile(pid, "status") { StatusDetail.parse($0) }
        d.cmdline = withTaskFile(pid, "cmdline") { ProcCmdline.parse($0) }
        d.exe = link(pid, "exe")
        d.cwd = link(pid, "cwd")
        d.root = link(pid, "root")
        d.wchan = withTaskFile(pid, "wchan") { KernelWait.wchan($0) }
        if stat.state == UInt8(ascii: "D") { d.stack = withTaskFile(pid, "stack") { KernelWait.stack($0) } }
        d.limits = parsedFile(pid, "limits") { ProcLimits.parse($0) }
        switch fileDescriptors(pid) {
        case .failure(let f): d.openFiles = .failure(f)
        case .success(let fds):
            d.openFileCount = fds.count
            let files = fds.prefix(Self.maximumOpenFiles).map { OpenFile(fd: $0, target: link(pid, "fd/\($0)")) }
            d.openFiles = .success(files)
            let hasSocket = files.contains { if case .success(let t) = $0.target { return t.starts(with: Array("socket:".utf8)) } else { return false } }
            if hasSocket { d.sockets = sockets(pid) }
        }
        d.environment = withTaskFile(pid, "environ") { ProcCmdline.parse($0) }
        d.io = parsedFile(pid, "io") { ProcIO.parse($0) }
        d.oomScore = parsedFile(pid, "oom_score") { ProcInteger.parse($0) }
        d.oomScoreAdj = parsedFile(pid, "oom_score_adj") { ProcInteger.parse($0) }
        // A pid reused while the files were read would mix two processes on one page.
        guard currentStat(pid, startTicks: startTicks) != nil else { return .gone }
        return .read(d)
    }

    /// The process's stat when it is still the process that started at `startTicks`.
    private func currentStat(_ pid: Int32, startTicks: UInt64) -> ProcStat? {
        guard case .success(let parsed) = withTaskFile(pid, "stat", { ProcStat.parse($0) }), let stat = parsed,
            stat.startTime == startTicks
        else { return nil }
        return stat
    }

    private func parsedFile<T>(_ pid: Int32, _ name: StaticString, _ parse: (UnsafeBufferPointer<UInt8>) -> T?) -> Result<T, ReadFailure> {
        switch withTaskFile(pid, name, parse) {
        case .success(let v?): return .success(v)
        // Read but not understood: a file cut short, an unknown format.
        case .success(nil): return .failure(.other(EINVAL))
        case .failure(let f): return .failure(f)
        }
    }

    /// The text of the symbolic link `PID/name` (exe, cwd, root, fd/N).
    public func link(_ pid: Int32, _ name: String) -> Result<[UInt8], ReadFailure> {
        SystemCalls.readLink(root + "/" + String(pid) + "/" + name)
    }

    /// The fd numbers in `PID/fd`, sorted.
    public func fileDescriptors(_ pid: Int32) -> Result<[Int32], ReadFailure> {
        SystemCalls.decimalNames(root + "/" + String(pid) + "/fd").map { $0.sorted() }
    }

    /// The socket tables of the process's network namespace; a table that cannot be read
    /// (IPv6 disabled, a replayed tree without it) adds nothing.
    public func sockets(_ pid: Int32) -> SocketTable {
        var table = SocketTable()
        let p = String(pid)
        for (name, proto) in [("tcp", SocketTable.Proto.tcp), ("tcp6", .tcp6), ("udp", .udp), ("udp6", .udp6)] {
            _ = withFile(p + "/net/" + name) { table.addInet($0, proto: proto) }
        }
        _ = withFile(p + "/net/unix") { table.addUnix($0) }
        return table
    }
}

extension SystemCalls {
    static func readLink(_ path: String) -> Result<[UInt8], ReadFailure> {
        var size = 256
        while true {
            var buffer = [UInt8](repeating: 0, count: size)
            let n = buffer.withUnsafeMutableBufferPointer { b in
                b.baseAddress.map { base in base.withMemoryRebound(to: CChar.self, capacity: size) { Glibc.readlink(path, $0, size) } } ?? -1
            }
            if n < 0 { return .failure(ReadFailure(errno: errno)) }
            // A link as long as the buffer may have been cut: try again with more room.
            if n < size || size >= 1 << 16 { return .success(Array(buffer[..<min(n, size)])) }
            size *= 4
        }
    }

    /// The names of a directory that are decimal numbers (0 included, unlike numericEntries).
    static func decimalNames(_ path: String) -> Result<[Int32], ReadFailure> {
        guard let dir = opendir(path) else { return .failure(ReadFailure(errno: errno)) }
        defer { closedir(dir) }
        var out: [Int32] = []
        while let entry = readdir(dir) {
            let number = withUnsafeBytes(of: &entry.pointee.d_name) { SystemCalls.decimalValue($0) }
            if let number { out.append(number) }
        }
        return .success(out)
    }
}
