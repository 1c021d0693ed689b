#if canImport(Glibc)
import Glibc
#endif

/// The signals an init sends (`swtop run`): to its own child, to the child's process group, and
/// as PID 1 to every other process of its PID namespace.
///
/// Plain kill(2) is exact here, with no pidfd: a child's pid cannot be given to another process
/// until its parent reaps it, and the parent is the caller, which reaps only after it stops
/// signalling (the child's process group, led by the child, lives at least as long as its pid).
public enum ChildSignals {
    /// Sends `signal` to the caller's child `pid`; 0 or the errno (ESRCH: already reaped).
    public static func send(_ signal: Int32, toChild pid: Int32) -> Int32 {
        Kernel.kill(pid, signal)
    }

    /// Sends `signal` to every process of the group the caller's child `leader` leads.
    public static func send(_ signal: Int32, toGroupOf leader: Int32) -> Int32 {
        guard leader > 1 else { return EINVAL }
        return Glibc.kill(-leader, signal) == 0 ? 0 : Glibc.errno
    }

    /// As PID 1 of a PID namespace: sends `signal` to every other process of the namespace
    /// (kill(-1) reaches exactly those, never the caller). Refused (EPERM) for any other caller,
    /// where kill(-1) would reach every process the user owns.
    public static func sendToEveryOtherProcessInNamespace(_ signal: Int32) -> Int32 {
        guard getpid() == 1 else { return EPERM }
        return Glibc.kill(-1, signal) == 0 ? 0 : Glibc.errno
    }
}
