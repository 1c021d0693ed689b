import ProcFS

/// What a kernel source tells the lifecycle monitor, whichever source it comes from: the model
/// that classifies exits, tracks zombies and finds crash loops does not know where a report
/// came from, and tests feed it reports directly.
public enum KernelReport: Sendable, Equatable {
    /// A new process (not a thread): it runs its parent's program until it execs.
    case forked(parent: Int32, child: Int32)
    /// A process called execve.
    case execed(pid: Int32)
    /// A process's real uid changed.
    case uidChanged(pid: Int32, ruid: UInt32)
    /// A process renamed itself (`prctl(PR_SET_NAME)`).
    case renamed(pid: Int32, name: String)
    /// A process ended with this wait status; `parent` is 0 where the kernel does not say.
    case exited(pid: Int32, status: Int32, parent: Int32)
    /// A watched process died; how is asked of its source later (`PidfdExits.status(of:)`),
    /// once its parent has reaped it.
    case died(ProcessKey)
    /// The kernel's OOM killer killed this process.
    case oomKilled(pid: Int32)
    /// A signal that stops or kills was generated for a process (the signal tracepoint).
    case signal(SignalSample)
    /// The name the kernel gave a process at exec (the signal tracepoint's rings): it names a
    /// program that ended before /proc could be read.
    case execName(pid: Int32, name: String, time: Double)
}

/// One of the kernel's ways of telling what happens to processes (the proc connector, a pidfd
/// per process, /dev/kmsg, the signal tracepoint): a reader, never a decider. Its `fd`
/// turns readable when it has something to tell, and `reports()` takes it without blocking.
public protocol KernelSource: AnyObject {
    /// The descriptor to poll.
    var fd: Int32 { get }
    /// What it was told since the last call, in the order it was told.
    func reports() -> [KernelReport]
}

extension ProcConnector: KernelSource {
    /// The events of processes (a thread's are dropped: swtop follows processes).
    public func reports() -> [KernelReport] {
        drain().compactMap { event in
            switch event {
            case .fork(let parent, let child, let childTGID):
                return child == childTGID ? .forked(parent: parent, child: child) : nil
            case .exec(let pid, let tgid):
                return pid == tgid ? .execed(pid: pid) : nil
            case .uid(let pid, let tgid, let ruid):
                return pid == tgid ? .uidChanged(pid: pid, ruid: ruid) : nil
            case .comm(let pid, let tgid, let name):
                // A thread's own name (Java's, Chrome's) is not the process's.
                return pid == tgid ? .renamed(pid: pid, name: String(decoding: name, as: UTF8.self)) : nil
            case .exit(let pid, let tgid, let status, let parent):
                return pid == tgid ? .exited(pid: pid, status: status, parent: parent) : nil
            }
        }
    }
}

extension PidfdExits: KernelSource {
    public var fd: Int32 { pollFD }
    public func reports() -> [KernelReport] { deaths().map { .died($0) } }
}

extension KernelLog: KernelSource {
    public func reports() -> [KernelReport] { oomKills().map { .oomKilled(pid: $0) } }
}

extension SignalTracepoint: KernelSource {
    public func reports() -> [KernelReport] {
        let (samples, execs) = drain()
        return execs.map { .execName(pid: $0.pid, name: String(decoding: $0.name, as: UTF8.self), time: $0.time) } + samples.map { .signal($0) }
    }
}
