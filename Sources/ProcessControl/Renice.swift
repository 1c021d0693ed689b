import ProcFS

/// Sets the nice value of every thread of a process. Nice is per thread on Linux: renicing only
/// the main thread (as htop does) leaves the others behind.
public enum Renice {
    public static let range: ClosedRange<Int32> = -20...19

    public struct Report: Sendable, Equatable, CustomStringConvertible {
        public var pid: Int32
        public var name: String
        /// The main thread's nice before.
        public var oldNice: Int32
        public var newNice: Int32
        /// Threads changed.
        public var threads: Int

        public var description: String {
            "nice \(oldNice) -> \(newNice) on \(threads) thread\(threads == 1 ? "" : "s")"
        }
    }

    public static func apply(_ nice: Int32, to target: ProcessTarget, procRoot: String = "/proc") -> Result<Report, ControlError> {
        guard range.contains(nice) else {
            return .failure(.invalid("nice \(nice) is outside \(range.lowerBound)...\(range.upperBound)"))
        }
        return set(to: { _ in .success(nice) }, target, procRoot)
    }

    /// Moves the nice value of every thread by `delta` from the main thread's value now (not
    /// from what a screen showed at its last refresh: two quick presses move it by two), within
    /// -20...19. At the end of the range it is refused and says so.
    public static func adjust(by delta: Int32, _ target: ProcessTarget, procRoot: String = "/proc") -> Result<Report, ControlError> {
        set(to: { now in
            let wanted = min(max(now + delta, range.lowerBound), range.upperBound)
            guard wanted != now else {
                return .failure(.invalid(now == range.upperBound
                    ? "already at nice \(now), the lowest priority"
                    : "already at nice \(now), the highest priority"))
            }
            return .success(wanted)
        }, target, procRoot)
    }

    /// Opens the target, works out the new value from the main thread's current one, and sets
    /// it on every thread.
    private static func set(to value: (Int32) -> Result<Int32, ControlError>, _ target: ProcessTarget, _ procRoot: String) -> Result<Report, ControlError> {
        let handle: ProcessHandle
        switch ProcessHandle.open(target, procRoot: procRoot) {
        case .success(let h): handle = h
        case .failure(let e): return .failure(e)
        }
        guard let reader = try? ProcReader(root: procRoot), let main = reader.process(handle.pid, files: []) else {
            return .failure(.alreadyGone)
        }
        let nice: Int32
        switch value(main.stat.nice) {
        case .success(let n): nice = n
        case .failure(let e): return .failure(e)
        }
        var tids = reader.tids(of: handle.pid)
        if tids.isEmpty { tids = [handle.pid] }
        var changed = 0
        for tid in tids.sorted() {
            // setpriority takes a bare id, with no pidfd to pin it: the id is checked to be the
            // thread listed (the same start time in /proc/TID/stat, which follows the id to
            // whichever task has it) immediately before and after the change.
            guard let started = reader.process(tid, files: [])?.stat.startTime else { continue }
            guard case .success(let before) = Kernel.getPriority(thread: tid) else { continue }
            guard !handle.hasExited else { return .failure(.alreadyGone) }
            guard reader.process(tid, files: [])?.stat.startTime == started else { continue }
            let code = Kernel.setPriority(thread: tid, nice)
            if code == 0, let after = reader.process(tid, files: [])?.stat.startTime, after != started {
                return .failure(.idTakenDuringChange(id: tid, undo: undo(tid, set: nice, before: before)))
            }
            switch code {
            case 0: changed += 1
            case ESRCH: continue  // that thread exited meanwhile
            case EACCES:
                return .failure(.needsPrivilege("lowering nice needs root or CAP_SYS_NICE"))
            case EPERM:
                return .failure(.notPermitted(owner: handle.ownerName))
            case let code:
                return .failure(.system(call: "setpriority", errno: code))
            }
        }
        // The tids were listed while the pidfd held the process; if it exited meanwhile, say so
        // rather than report a change of threads that may no longer be its own.
        if handle.hasExited || changed == 0 { return .failure(.alreadyGone) }
        return .success(Report(pid: handle.pid, name: handle.name, oldNice: main.stat.nice, newNice: nice, threads: changed))
    }

    /// After a change that may have reached a process that took the id meanwhile: puts the
    /// holder back to the value the id had just before, if it still has the value swtop set.
    private static func undo(_ id: Int32, set nice: Int32, before: Int32) -> String {
        guard case .success(let now) = Kernel.getPriority(thread: id) else { return "it has gone too" }
        guard now == nice, now != before else { return "its nice is \(now), left as it is" }
        let code = Kernel.setPriority(thread: id, before)
        return code == 0 ? "put back to nice \(before)" : "could not put it back to nice \(before): \(errnoText(code))"
    }
}

#if canImport(Glibc)
import Glibc
#endif
