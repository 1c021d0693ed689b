/// The files of one process (or one thread) for the screen's refreshes: `schedstat` kept open and
/// re-read with pread, everything else opened, read and closed by path when it is needed.
///
/// Only `schedstat` is kept because it is read for every process at every refresh: it answers
/// "did it run?", and a process that did not run needs nothing else read. `stat` and `statm` are
/// read only for the few that ran (or are on screen, or due), so keeping them would hold two
/// more fds per process to save a few opens a refresh; and one fd per process keeps 15,000
/// processes within an ordinary open-file limit.
///
/// A kept fd stays bound to the task it was opened for: once that task exits, pread fails with
/// ESRCH rather than read whatever reused the PID. A file read by path has no such guard: the
/// caller checks that `stat`'s start time is the one it knows. A `schedstat` that cannot be kept
/// (out of fds) is read by path too.
public struct KeptProcess {
    public let pid: Int32
    /// The thread whose `task/TID/` files these are; nil for the process's own files.
    public let tid: Int32?
    private var schedstatFD: Int32 = -1

    /// Opens `schedstat` when `keep` (else every read opens and closes). A missing `schedstat` (a
    /// kernel without CONFIG_SCHED_INFO) is no error.
    public init(pid: Int32, tid: Int32?, reader: ProcReader, keep: Bool = true) {
        self.pid = pid
        self.tid = tid
        guard keep, case .success(let fd) = reader.openTaskFile(pid, tid: tid, "schedstat") else { return }
        schedstatFD = fd
    }

    /// The most fds one process keeps.
    public static let filesKept = 1

    /// How many fds this one holds.
    public var openCount: Int { schedstatFD >= 0 ? 1 : 0 }

    public func close() {
        if schedstatFD >= 0 { SystemCalls.close(schedstatFD) }
    }

    /// Whether `schedstat` is kept open, so that it surely belongs to the task first read.
    public var keepsSchedstat: Bool { schedstatFD >= 0 }

    /// nil when the task is gone, or the kernel has no statistics file. Read by path when not
    /// kept: then it is the account of whatever task has this id now.
    public func schedstat(_ reader: ProcReader) -> ProcSchedstat? {
        let result = schedstatFD >= 0
            ? reader.withKept(schedstatFD, ProcSchedstat.parse)
            : reader.withTaskFile(pid, tid: tid, "schedstat", ProcSchedstat.parse)
        guard case .success(let value) = result else { return nil }
        return value
    }

    /// nil when the task is gone or its `stat` does not parse. Read by path: check its start time.
    public func stat(_ reader: ProcReader) -> ProcStat? {
        value(reader.withTaskFile(pid, tid: tid, "stat", ProcStat.parse))
    }

    /// RES must come from here: since Linux 6.x the rss field of `stat` is an approximation,
    /// `statm` is exact.
    public func statm(_ reader: ProcReader) -> ProcStatm? {
        value(reader.withTaskFile(pid, tid: tid, "statm", ProcStatm.parse))
    }

    /// `status` of this task.
    public func status(_ reader: ProcReader) -> ProcStatus? {
        value(reader.withTaskFile(pid, tid: tid, "status", ProcStatus.parse))
    }

    /// `cmdline` is the process's: a thread's says the same, and a recording keeps only the
    /// process's. Empty once the main thread has exited: then a live thread's own still has it.
    public func cmdline(_ reader: ProcReader) -> [[UInt8]]? {
        guard case .success(let whole) = reader.withTaskFile(pid, "cmdline", { Array($0) }) else { return nil }
        if whole.isEmpty, tid != nil, let own = value(reader.withTaskFile(pid, tid: tid, "cmdline", ProcCmdline.parse)) {
            return own
        }
        return whole.withUnsafeBufferPointer(ProcCmdline.parse)
    }

    private func value<T>(_ result: Result<T?, ReadFailure>) -> T? {
        guard case .success(let value) = result else { return nil }
        return value
    }
}
