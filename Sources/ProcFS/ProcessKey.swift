/// Identifies one process across samples: a PID is reused by the kernel, but never with the same
/// start time, so (pid, start time) names the same process and a reused PID is a new one.
public struct ProcessKey: Hashable, Sendable, CustomStringConvertible {
    /// The thread id for a thread row, else the pid.
    public var id: Int32
    /// Clock ticks after boot (field 22 of stat).
    public var startTicks: UInt64

    public init(id: Int32, startTicks: UInt64) {
        self.id = id
        self.startTicks = startTicks
    }

    public var description: String { "\(id)@\(startTicks)" }
}
