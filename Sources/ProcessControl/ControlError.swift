import ProcFS

/// Why an action on a process was not done, in the words the user sees.
public enum ControlError: Error, Equatable, Sendable, CustomStringConvertible {
    /// pid 0 or a negative pid: kill(2) would reach a process group or every process.
    case refusedPID(Int32)
    /// The process exited before the action.
    case alreadyGone
    /// No process has this pid (a pid typed by the user, not one from the process table).
    case noSuchProcess
    /// The id is a thread's (not the main one): signals and limits are a process's.
    case thread(of: Int32)
    /// A zombie: it has exited; only its parent reaping it removes it.
    case zombie(parent: Int32)
    /// The PID now belongs to a process that started at another time.
    case pidReused(pid: Int32)
    /// A change by id (setpriority, prlimit have no pidfd form) during which the process ended
    /// and another took its id: `undo` says what was done about the newcomer.
    case idTakenDuringChange(id: Int32, undo: String)
    /// The kernel said EPERM: the process belongs to another user.
    case notPermitted(owner: String?)
    /// The kernel said EACCES or EPERM for a reason that is not ownership.
    case needsPrivilege(String)
    /// A value the kernel would refuse, caught before asking it.
    case invalid(String)
    case system(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .refusedPID(let pid):
            return pid == 0
                ? "refused: pid 0 would signal the caller's whole process group"
                : "refused: pid \(pid) would signal \(pid == -1 ? "every process" : "process group \(-Int64(pid))")"
        case .alreadyGone: return "already gone"
        case .noSuchProcess: return "no such process"
        case .thread(let process): return "a thread of process \(process), not a process"
        case .zombie(let parent): return "already exited (zombie): its parent \(parent) has not reaped it"
        case .pidReused(let pid): return "pid \(pid) now belongs to another process: nothing sent"
        case .idTakenDuringChange(let id, let undo):
            return "ended during the change, and another process took id \(id): \(undo)"
        case .notPermitted(let owner):
            return owner.map { "not permitted: owned by user \($0)" } ?? "not permitted"
        case .needsPrivilege(let what): return "not permitted: \(what)"
        case .invalid(let what): return what
        case .system(let call, let code): return "\(call) failed: \(errnoText(code))"
        }
    }
}
