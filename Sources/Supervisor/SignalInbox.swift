#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// The signals `swtop run` handles, read from a signalfd instead of handlers: they are blocked,
/// so they wait in the kernel until the event loop reads them, together with who sent each. A
/// blocked signal also reaches PID 1 of a PID namespace, which the kernel would otherwise spare
/// every signal it has no handler for.
struct SignalInbox {
    /// Signals passed on to the child.
    static let forwarded: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH]

    /// One signal as it arrived.
    struct Arrival {
        var signal: Int32
        var senderPID: Int32
        var senderUID: UInt32
        /// si_code > 0: the kernel sent it (a terminal's ^C, a fault), not kill(2) or sigqueue.
        var fromKernel: Bool
    }

    let fd: Int32

    /// Blocks the forwarded signals, SIGCHLD, SIGTTIN and SIGTTOU (it gives the terminal to the
    /// child's process group) and opens the signalfd; nil with the errno on failure.
    static func open() -> Result<SignalInbox, SpawnFailure> {
        var set = sigset_t()
        sigemptyset(&set)
        for s in forwarded + [SIGCHLD, SIGTTIN, SIGTTOU] { sigaddset(&set, s) }
        guard sigprocmask(SIG_BLOCK, &set, nil) == 0 else { return .failure(SpawnFailure(call: "sigprocmask", errno: errno)) }
        sigdelset(&set, SIGTTIN)
        sigdelset(&set, SIGTTOU)
        let fd = swtop_signalfd(&set)
        guard fd >= 0 else { return .failure(SpawnFailure(call: "signalfd", errno: -fd)) }
        return .success(SignalInbox(fd: fd))
    }

    /// Every signal waiting, oldest first.
    func drain() -> [Arrival] {
        var arrivals: [Arrival] = []
        var info = signalfd_siginfo()
        let size = MemoryLayout<signalfd_siginfo>.size
        while true {
            let n = withUnsafeMutableBytes(of: &info) { read(fd, $0.baseAddress, size) }
            if n < 0 && errno == EINTR { continue }
            guard n == size else { return arrivals }
            arrivals.append(Arrival(
                signal: Int32(bitPattern: info.ssi_signo), senderPID: Int32(bitPattern: info.ssi_pid),
                senderUID: info.ssi_uid, fromKernel: info.ssi_code > 0))
        }
    }
}

/// A system call that failed while starting: its name and errno.
struct SpawnFailure: Error {
    var call: String
    var errno: Int32
}
