/// `stat` and `statm` files kept open between refreshes and re-read with pread: a refresh of the
/// screen costs a pread per file instead of open, read and close (measured in NOTES.md: 8.1 against
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

    /// pid in the high bits, then the tid, then which file.
    private static func key(_ pid: Int32, _ tid: Int32?, _ file: Int64) -> Int64 {
        Int64(pid) << 33 | Int64(UInt32(bitPattern: tid ?? 0)) << 1 | file
    }

    /// The parsed `stat` of a process (or of one of its threads); nil when it is gone or does not
    /// parse.
    public func stat(_ pid: Int32, tid: Int32? = nil) -> ProcStat? {
        read(pid, tid, "stat", 0, ProcStat.parse)
    }

    /// The parsed `statm`. RES must come from here: since Linux 6.x the rss field of `stat` is
    /// an approximation, `statm` is exact.
    public func statm(_ pid: Int32, tid: Int32? = nil) -> ProcStatm? {
        read(pid, tid, "statm", 1, ProcStatm.parse)
    }

    private func read<T>(_ pid: Int32, _ tid: Int32?, _ name: String, _ file: Int64, _ parse: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        let key = Self.key(pid, tid, file)
        used.insert(key)
        if let fd = fds[key] {
            if case .success(let value) = reader.withKept(fd, parse), let value { return value }
            // Gone, or the PID now names another process: drop the fd and look again.
            SystemCalls.close(fd)
            fds[key] = nil
        }
        let path = (tid.map { "\(pid)/task/\($0)/" } ?? "\(pid)/") + name
        switch reader.open(path) {
        case .success(let fd):
            fds[key] = fd
            guard case .success(let value) = reader.withKept(fd, parse) else { return nil }
            return value
        case .failure(.other):
            // Out of fds (EMFILE, ENFILE) or similar: read it the ordinary way.
            guard case .success(let value) = reader.withFile(path, parse) else { return nil }
            return value
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
