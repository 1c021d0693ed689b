#if canImport(Glibc)
import Glibc
#endif

/// The controlling terminal, when swtop run is started on one: the child runs in a process group
/// of its own (so that a terminal's ^C is not delivered twice, once by the terminal and once passed
/// on), and that group is made the terminal's foreground group so that the child can read it.
enum Terminal {
    /// Makes `pid`'s group the foreground group of stdin's terminal, when stdin is one and this
    /// process's group holds it (or the previous child's did: a restart). SIGTTOU is blocked
    /// (SignalInbox), so this works from a background group too.
    static func giveForeground(to pid: Int32, previous: Int32?) {
        guard isatty(0) == 1 else { return }
        let foreground = tcgetpgrp(0)
        guard foreground == getpgrp() || (previous != nil && foreground == previous) else { return }
        _ = tcsetpgrp(0, pid)
    }
}
