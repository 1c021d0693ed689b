/// The `schedstat`, `stat` and `statm` of one process (or one thread) kept open between refreshes
/// of the screen and re-read with pread: a pread per file instead of open, read and close
/// (measured in NOTES.md: 8.1 against 12.4 µs a file).
///
/// A kept fd stays bound to the task it was opened for: once that task exits, pread fails with
/// ESRCH rather than read whatever reused the PID. A file that cannot be kept (out of fds) is read
/// the ordinary way; `schedstat` only when kept, because only then it surely belongs to this task.
public struct KeptProcess {
    public let pid: Int32
    /// The thread whose `task/TID/` files these are; nil for the process's own files.
    public let tid: Int32?
    private var schedstatFD: Int32 = -1
    private var statFD: Int32 = -1
    private var statmFD: Int32 = -1

    /// Opens the files when `keep` (else every read opens and closes). A missing `schedstat` (a
    /// kernel without CONFIG_SCHED_INFO) is no error.
    public init(pid: Int32, tid: Int32?, reader: ProcReader, keep: Bool = true) {
        self.pid = pid
        self.tid = tid
        guard keep else { return }
        schedstatFD = open("schedstat", reader)
        statFD = open("stat", reader)
        statmFD = open("statm", reader)
    }

    /// The most fds one process keeps.
    public static let filesKept = 3

    /// How many fds this one holds.
    public var openCount: Int { (schedstatFD >= 0 ? 1 : 0) + (statFD >= 0 ? 1 : 0) + (statmFD >= 0 ? 1 : 0) }

    private func path(_ name: String) -> String {
        (tid.map { "\(pid)/task/\($0)/" } ?? "\(pid)/") + name
    }

    private func open(_ name: String, _ reader: ProcReader) -> Int32 {
        guard case .success(let fd) = reader.open(path(name)) else { return -1 }
        return fd
    }

    public func close() {
        for fd in [schedstatFD, statFD, statmFD] where fd >= 0 { SystemCalls.close(fd) }
    }

    public var hasSchedstat: Bool { schedstatFD >= 0 }

    /// nil when the task is gone (or the kernel has no statistics file).
    public func schedstat(_ reader: ProcReader) -> ProcSchedstat? {
        guard schedstatFD >= 0, case .success(let value) = reader.withKept(schedstatFD, ProcSchedstat.parse) else { return nil }
        return value
    }

    /// nil when the task is gone or its `stat` does not parse.
    public func stat(_ reader: ProcReader) -> ProcStat? {
        read(statFD, "stat", reader, ProcStat.parse)
    }

    /// RES must come from here: since Linux 6.x the rss field of `stat` is an approximation,
    /// `statm` is exact.
    public func statm(_ reader: ProcReader) -> ProcStatm? {
        read(statmFD, "statm", reader, ProcStatm.parse)
    }

    private func read<T>(_ fd: Int32, _ name: String, _ reader: ProcReader, _ parse: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        let result = fd >= 0 ? reader.withKept(fd, parse) : reader.withFile(path(name), parse)
        guard case .success(let value) = result else { return nil }
        return value
    }

    /// Reads a file that is not kept (`status`, `cmdline`). `cmdline` is the process's: a
    /// thread's says the same, and a recording keeps only the process's.
    public func read<T>(_ name: String, _ reader: ProcReader, _ parse: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        if name == "cmdline" {
            // Empty once the main thread has exited: then a live thread's own still has it.
            if case .success(let whole) = reader.withFile("\(pid)/cmdline", { Array($0) }) {
                if whole.isEmpty, tid != nil, let own = read(-1, name, reader, parse) { return own }
                return whole.withUnsafeBufferPointer(parse)
            }
            return nil
        }
        return read(-1, name, reader, parse)
    }
}
