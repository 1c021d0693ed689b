/// `stat` files kept open between refreshes and re-read with pread: a refresh of the screen costs
/// one pread per process instead of open, read and close (measured in NOTES.md: 8.1 against
/// 12.4 µs a file). A kept fd stays bound to its process: once that process exits, pread fails
/// with ESRCH rather than read whatever reused the PID, and the file is opened again.
///
/// When the process runs out of fds, files are read the ordinary way instead.
public final class KeptFiles {
    private let reader: ProcReader
    private var fds: [Int64: Int32] = [:]
    private var used: Set<Int64> = []

    public init(reader: ProcReader) { self.reader = reader }

    deinit {
        for fd in fds.values { SystemCalls.close(fd) }
    }

    public var openCount: Int { fds.count }

    private static func key(_ pid: Int32, _ tid: Int32?) -> Int64 {
        Int64(pid) << 32 | Int64(UInt32(bitPattern: tid ?? 0))
    }

    /// The parsed `stat` of a process (or of one of its threads); nil when it is gone or does not
    /// parse.
    public func stat(_ pid: Int32, tid: Int32? = nil) -> ProcStat? {
        let key = Self.key(pid, tid)
        used.insert(key)
        let path = tid.map { "\(pid)/task/\($0)/stat" } ?? "\(pid)/stat"
        if let fd = fds[key] {
            if case .success(let stat) = reader.withKept(fd, ProcStat.parse), let stat { return stat }
            // Gone, or the PID now names another process: drop the fd and look again.
            SystemCalls.close(fd)
            fds[key] = nil
        }
        switch reader.open(path) {
        case .success(let fd):
            fds[key] = fd
            guard case .success(let stat) = reader.withKept(fd, ProcStat.parse) else { return nil }
            return stat
        case .failure(.other):
            // Out of fds (EMFILE, ENFILE) or similar: read it the ordinary way.
            guard case .success(let stat) = reader.withFile(path, ProcStat.parse) else { return nil }
            return stat
        case .failure:
            return nil
        }
    }

    /// Closes the files of processes not read since the last sweep.
    public func sweep() {
        for (key, fd) in fds where !used.contains(key) {
            SystemCalls.close(fd)
            fds[key] = nil
        }
        used.removeAll(keepingCapacity: true)
    }
}
