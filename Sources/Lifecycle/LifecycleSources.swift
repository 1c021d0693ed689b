#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// The kernel sources the lifecycle monitor reads, chosen by what this machine allows: as root
/// in the initial namespaces the proc connector and /dev/kmsg, else a pidfd per process. A new
/// source (the signal tracepoint) is one more `KernelSource` here.
struct LifecycleSources {
    private(set) var connector: ProcConnector?
    let kernelLog: KernelLog?
    private(set) var pidfds: PidfdExits?
    /// Who sent the signals that stop and kill (root, the initial namespaces).
    let signals: SignalTracepoint?
    /// Why a better source is not in use, in words, for the first line of `swtop events`.
    private(set) var notes: [String] = []
    private let pidfdBudget: Int

    init(live: Bool, pidfdBudget: Int) {
        self.pidfdBudget = pidfdBudget
        if live {
            if geteuid() != 0 {
                notes.append("not root: exits of processes shorter than a refresh are not seen (the proc connector needs root)")
            } else if !Self.inInitialNamespaces() {
                notes.append("in a container (not the initial PID or user namespace): the kernel ignores the proc connector here")
            } else {
                switch ProcConnector.open() {
                case .success(let c): connector = c
                case .failure(let error): notes.append(error.description)
                }
            }
        }
        var signals: SignalTracepoint?
        if live, geteuid() == 0, Self.inInitialNamespaces() {
            switch SignalTracepoint.open() {
            case .success(let tracepoint): signals = tracepoint
            case .failure(let error): notes.append(error.description)
            }
        } else if live {
            notes.append("not root: who sent a signal is not known (the signal tracepoint needs root)")
        }
        self.signals = signals
        kernelLog = connector != nil ? KernelLog() : nil
        if connector != nil, kernelLog == nil {
            notes.append("/dev/kmsg unreadable: OOM kills judged from the kernel's OOM counters")
        }
        if connector == nil, live { startPidfds() }
    }

    private mutating func startPidfds() {
        let watch = PidfdExits(budget: pidfdBudget)
        pidfds = watch
        if !watch.kernelGivesStatus {
            notes.append("Linux before 6.15: no exit status through pidfds; only zombies tell how a process ended")
        }
    }

    /// The proc connector sent nothing while processes exited: the kernel ignores it here.
    mutating func connectorIgnored() {
        connector = nil
        notes.append("the proc connector sent nothing while processes exited (a container?): using pidfds")
        startPidfds()
    }

    /// Every source in use, in the order they are read: the kernel log first, so an OOM kill is
    /// known before the exit it explains; the signal tracepoint last, so every signal that came
    /// before an exit read here is read too (the monitor takes the signals first).
    var all: [any KernelSource] {
        var list: [any KernelSource] = []
        if let kernelLog { list.append(kernelLog) }
        if let connector { list.append(connector) }
        if let pidfds { list.append(pidfds) }
        if let signals { list.append(signals) }
        return list
    }

    /// The sources in use, in words: "proc connector, kernel log", "pidfds", "zombies".
    var names: [String] {
        var list: [String] = []
        if connector != nil { list.append("proc connector") }
        if kernelLog != nil { list.append("kernel log (OOM kills)") }
        if let pidfds, pidfds.kernelGivesStatus { list.append("pidfds") }
        if signals != nil { list.append("signal tracepoint (senders)") }
        if connector == nil { list.append("OOM counters") }
        list.append("zombies' stat")
        return list
    }

    /// Whether the proc connector can be used here: root, in the initial namespaces.
    static var connectorUsable: Bool { geteuid() == 0 && inInitialNamespaces() }

    /// The PID namespace and user namespace are the kernel's first ones (their inode numbers
    /// are fixed: PROC_PID_INIT_INO and PROC_USER_INIT_INO).
    static func inInitialNamespaces() -> Bool {
        var pidNS = stat()
        var userNS = stat()
        guard stat("/proc/self/ns/pid", &pidNS) == 0, stat("/proc/self/ns/user", &userNS) == 0 else { return true }
        return pidNS.st_ino == 0xEFFF_FFFC && userNS.st_ino == 0xEFFF_FFFD
    }
}
