import ProcFS

/// CPU seconds and storage bytes per group that never go backwards while the exporter runs.
///
/// A group's CPU is not the sum of its processes' CPU now: that sum drops when a process
/// exits, and Prometheus would take the drop for a counter reset. Instead each process's CPU
/// since the previous reading (keyed by pid and start time, so a reused pid is a new process)
/// is added to its group's total; a process first seen brings all its CPU so far. The CPU a
/// process used between the last reading and its exit is not counted.
public final class CPUCounters {
    /// Clock ticks, so that sums stay exact.
    public struct Ticks: Sendable, Equatable {
        public var user: UInt64 = 0
        public var system: UInt64 = 0
        /// Storage bytes read and written (`io`), counted the same way; a process whose `io`
        /// cannot be read (another user's, without root) adds none.
        public var readBytes: UInt64 = 0
        public var writtenBytes: UInt64 = 0
    }

    private var last: [ProcessKey: Ticks] = [:]
    public private(set) var totals: [String: Ticks] = [:]

    public init() {}

    /// Takes a reading whose processes are in `groups` (the group of each, same order); the
    /// CPU ticks each process used since the previous reading.
    public func update(_ processes: [ProcessFigures], groups: [String]) -> [UInt64] {
        var seen: [ProcessKey: Ticks] = [:]
        seen.reserveCapacity(processes.count)
        var present: [String: Ticks] = [:]
        var used: [UInt64] = []
        used.reserveCapacity(processes.count)
        for (process, group) in zip(processes, groups) {
            let now = Ticks(
                user: process.userTicks, system: process.systemTicks, readBytes: process.ioReadBytes ?? 0,
                writtenBytes: process.ioWriteBytes ?? 0)
            let before = last[process.key] ?? Ticks()
            // Never negative, whatever a kernel or a replayed tree says.
            func since(_ a: UInt64, _ b: UInt64) -> UInt64 { a >= b ? a - b : 0 }
            let delta = Ticks(
                user: since(now.user, before.user), system: since(now.system, before.system),
                readBytes: since(now.readBytes, before.readBytes), writtenBytes: since(now.writtenBytes, before.writtenBytes))
            var total = present[group] ?? totals[group] ?? Ticks()
            total.user &+= delta.user
            total.system &+= delta.system
            total.readBytes &+= delta.readBytes
            total.writtenBytes &+= delta.writtenBytes
            present[group] = total
            seen[process.key] = now
            used.append(delta.user &+ delta.system)
        }
        // Groups with no process now are dropped: kept, every short-lived command name would
        // stay a series for as long as the exporter runs.
        totals = present
        last = seen
        return used
    }
}
