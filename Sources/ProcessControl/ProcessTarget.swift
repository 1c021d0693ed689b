import ProcFS

/// The process an action is meant for: a pid, and the start time it had when the user chose it.
/// A PID is reused by the kernel; the start time is not, so (pid, start time) names one process.
public struct ProcessTarget: Hashable, Sendable, CustomStringConvertible {
    public var pid: Int32
    /// Clock ticks after boot, from stat; nil means "whatever process has this pid now" (the
    /// command line, which has no earlier snapshot).
    public var startTicks: UInt64?

    public init(pid: Int32, startTicks: UInt64? = nil) {
        self.pid = pid
        self.startTicks = startTicks
    }

    /// The process the user chose, as the screen names it.
    public init(_ key: ProcessKey) {
        self.init(pid: key.id, startTicks: key.startTicks)
    }

    /// The (pid, start time) this target is pinned to; nil for "whatever process has this pid now".
    public var key: ProcessKey? { startTicks.map { ProcessKey(id: pid, startTicks: $0) } }

    public var description: String { String(pid) }
}
