#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// An open reference to one process: a pidfd, opened and then checked against the target's start
/// time. Everything sent through it reaches that process or nothing: never one that reused its PID.
public final class ProcessHandle {
    public let pid: Int32
    public let startTicks: UInt64
    /// comm, for messages.
    public let name: String
    public let uid: UInt32?
    /// -1 only where the kernel has no pidfds (ENOSYS).
    let pidfd: Int32
    let procRoot: String

    private init(pid: Int32, startTicks: UInt64, name: String, uid: UInt32?, pidfd: Int32, procRoot: String) {
        self.pid = pid
        self.startTicks = startTicks
        self.name = name
        self.uid = uid
        self.pidfd = pidfd
        self.procRoot = procRoot
    }

    deinit {
        if pidfd >= 0 { Kernel.close(pidfd) }
    }

    /// Opens the target. Refuses pid <= 0 before any system call.
    public static func open(_ target: ProcessTarget, procRoot: String = "/proc") -> Result<ProcessHandle, ControlError> {
        guard target.pid > 0 else { return .failure(.refusedPID(target.pid)) }
        let pid = target.pid
        var fd: Int32 = -1
        switch Kernel.openPidfd(pid) {
        case .success(let opened): fd = opened
        case .failure(ESRCH): return .failure(missing(target))
        // The kernel's answer for the id of a thread that is not its process's main thread:
        // ENOENT since Linux 6.15, EINVAL before.
        case .failure(ENOENT), .failure(EINVAL):
            if let reader = try? ProcReader(root: procRoot), let tgid = reader.process(pid, files: [.status])?.status?.tgid, tgid != pid {
                return .failure(.thread(of: tgid))
            }
            return .failure(missing(target))
        case .failure(ENOSYS): fd = -1  // old kernel: fall back to kill(2) after the same check
        case .failure(let code): return .failure(.system(call: "pidfd_open", errno: code))
        }
        // The pidfd now names the process that had `pid` when it was opened. Check that it is the
        // one the user chose.
        guard let reader = try? ProcReader(root: procRoot), let raw = reader.process(pid, files: [.status]) else {
            if fd >= 0 { Kernel.close(fd) }
            return .failure(missing(target))
        }
        if let tgid = raw.status?.tgid, tgid != pid {
            if fd >= 0 { Kernel.close(fd) }
            return .failure(.thread(of: tgid))
        }
        if let expected = target.startTicks, raw.stat.startTime != expected {
            if fd >= 0 { Kernel.close(fd) }
            return .failure(.pidReused(pid: pid))
        }
        let handle = ProcessHandle(
            pid: pid, startTicks: raw.stat.startTime, name: String(decoding: raw.stat.comm, as: UTF8.self),
            uid: raw.status?.realUID, pidfd: fd, procRoot: procRoot)
        if raw.stat.state == UInt8(ascii: "Z") { return .failure(.zombie(parent: raw.stat.ppid)) }
        // If the process exited between the open and the read, the stat read may be of a new
        // process with the same pid: only a still-running pidfd proves the read was of ours.
        if handle.hasExited { return .failure(.alreadyGone) }
        return .success(handle)
    }

    /// A target from the process table (with its start time) that is not there any more has
    /// exited; a pid the user typed may never have been a process.
    private static func missing(_ target: ProcessTarget) -> ControlError {
        target.startTicks == nil ? .noSuchProcess : .alreadyGone
    }

    /// Whether the process has exited (a zombie counts: it will never run again).
    public var hasExited: Bool {
        if pidfd >= 0 { return Kernel.readable([pidfd], milliseconds: 0)[0] }
        return !isStillTheSameProcess(allowZombie: false)
    }

    /// Without pidfds: whether /proc still shows this pid with our start time.
    private func isStillTheSameProcess(allowZombie: Bool) -> Bool {
        guard let reader = try? ProcReader(root: procRoot), let raw = reader.process(pid, files: []) else { return false }
        return raw.stat.startTime == startTicks && (allowZombie || raw.stat.state != UInt8(ascii: "Z"))
    }

    public func send(_ signal: Signal) -> Result<Void, ControlError> { deliver(signal.number) }

    /// kill(1)'s signal 0: whether the process exists and this caller may signal it. Nothing
    /// is sent.
    public func mayBeSignalled() -> Result<Void, ControlError> { deliver(0) }

    private func deliver(_ number: Int32) -> Result<Void, ControlError> {
        let code: Int32
        if pidfd >= 0 {
            code = Kernel.sendSignal(pidfd: pidfd, number)
        } else {
            guard isStillTheSameProcess(allowZombie: true) else { return .failure(.alreadyGone) }
            code = Kernel.kill(pid, number)
        }
        switch code {
        case 0: return .success(())
        case ESRCH: return .failure(.alreadyGone)
        case EPERM: return .failure(.notPermitted(owner: ownerName))
        default: return .failure(.system(call: pidfd >= 0 ? "pidfd_send_signal" : "kill", errno: code))
        }
    }

    var ownerName: String? {
        guard let uid else { return nil }
        return UserNames.lookUp(uid) ?? String(uid)
    }
}
