#if canImport(Glibc)
import Glibc
#endif

/// A signal, by the kernel's number, with the name users type ("TERM", "SIGHUP", "9").
public struct Signal: Hashable, Sendable, CustomStringConvertible {
    public let number: Int32

    public init?(number: Int32) {
        guard number >= 1, number <= 64 else { return nil }
        self.number = number
    }

    private init(known: Int32) { number = known }

    public static let hup = Signal(known: SIGHUP)
    public static let int = Signal(known: SIGINT)
    public static let quit = Signal(known: SIGQUIT)
    public static let kill = Signal(known: SIGKILL)
    public static let usr1 = Signal(known: SIGUSR1)
    public static let usr2 = Signal(known: SIGUSR2)
    public static let term = Signal(known: SIGTERM)
    public static let cont = Signal(known: SIGCONT)
    public static let stop = Signal(known: SIGSTOP)

    /// The plain signals of the signal menu, in its order.
    public static let menu: [Signal] = [.term, .hup, .kill, .int, .quit, .usr1, .usr2, .stop, .cont]

    static let names: [(String, Int32)] = [
        ("HUP", SIGHUP), ("INT", SIGINT), ("QUIT", SIGQUIT), ("ILL", SIGILL), ("TRAP", SIGTRAP),
        ("ABRT", SIGABRT), ("BUS", SIGBUS), ("FPE", SIGFPE), ("KILL", SIGKILL), ("USR1", SIGUSR1),
        ("SEGV", SIGSEGV), ("USR2", SIGUSR2), ("PIPE", SIGPIPE), ("ALRM", SIGALRM), ("TERM", SIGTERM),
        ("STKFLT", SIGSTKFLT), ("CHLD", SIGCHLD), ("CONT", SIGCONT), ("STOP", SIGSTOP), ("TSTP", SIGTSTP),
        ("TTIN", SIGTTIN), ("TTOU", SIGTTOU), ("URG", SIGURG), ("XCPU", SIGXCPU), ("XFSZ", SIGXFSZ),
        ("VTALRM", SIGVTALRM), ("PROF", SIGPROF), ("WINCH", SIGWINCH), ("IO", SIGIO), ("PWR", SIGPWR),
        ("SYS", SIGSYS),
    ]

    /// "TERM", "SIGTERM", "term", "15", "RTMIN+2"; nil for anything else.
    public init?(parsing text: String) {
        var name = text.uppercased()
        if let n = Int32(name) {
            self.init(number: n)
            return
        }
        if name.hasPrefix("SIG") { name = String(name.dropFirst(3)) }
        if let known = Self.names.first(where: { $0.0 == name }) {
            self.init(known: known.1)
            return
        }
        let rtmin = Int32(34)
        if name == "RTMIN" {
            self.init(number: rtmin)
            return
        }
        // Checked: "RTMIN+2147483647" is typed text, and must not trap.
        if name.hasPrefix("RTMIN+"), let k = Int32(name.dropFirst(6)) {
            let (n, overflow) = rtmin.addingReportingOverflow(k)
            if overflow { return nil }
            self.init(number: n)
            return
        }
        return nil
    }

    /// "SIGTERM"; real-time signals as "SIGRTMIN+N".
    public var name: String {
        if let known = Self.names.first(where: { $0.1 == number }) { return "SIG" + known.0 }
        if number >= 34 { return number == 34 ? "SIGRTMIN" : "SIGRTMIN+\(number - 34)" }
        return "SIG\(number)"
    }

    public var description: String { name }
}
