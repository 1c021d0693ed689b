import ProcFS

/// Busy share of one CPU (or all) between two samples, in percent of that CPU's time.
public struct CPUUsage: Sendable, Equatable {
    public var user: Double
    public var nice: Double
    public var system: Double
    /// irq, softirq, steal and iowait are not busy time the meter splits out; they are counted
    /// here so the parts add up to `total`.
    public var other: Double

    public var total: Double { user + nice + system + other }

    public init(user: Double, nice: Double, system: Double, other: Double) {
        self.user = user
        self.nice = nice
        self.system = system
        self.other = other
    }

    /// nil when no time passed between the two readings.
    public init?(from old: CPUTimes, to new: CPUTimes) {
        guard new.total > old.total else { return nil }
        let all = Double(new.total - old.total)
        func d(_ a: UInt64, _ b: UInt64) -> Double { b >= a ? Double(b - a) / all * 100 : 0 }
        // guest time is already inside user and nice.
        user = d(old.user, new.user)
        nice = d(old.nice, new.nice)
        system = d(old.system, new.system)
        other = d(old.irq &+ old.softirq &+ old.steal, new.irq &+ new.softirq &+ new.steal)
    }
}

extension Snapshot {
    /// Fills in CPU% for this snapshot from an earlier one of the same system.
    ///
    /// A process is matched by (pid, start time), so a reused PID never inherits the CPU time of
    /// the process that had it before. A process that started after `previous` used all of its
    /// CPU time within the interval.
    public mutating func computeCPU(since previous: Snapshot) {
        let elapsed = monotonic - previous.monotonic
        guard elapsed > 0 else { return }
        interval = elapsed
        let ticksPerInterval = elapsed * clockTicksPerSecond
        let pairs = SnapshotPairing.previousIndices(of: processes, in: previous.processes)
        for i in processes.indices {
            let now = processes[i].cpuTicks
            let before = pairs[i].map { previous.processes[$0] }
            let then = before?.cpuTicks ?? 0
            let used = now >= then ? Double(now - then) : 0
            // CPU time comes in clock ticks (10 ms): over a short interval one tick more or
            // less reads as more than a thread can use. A thread uses at most one CPU; a
            // process as many as it had threads at either sample (threads that exited between
            // them still count in its time).
            let threads = processes[i].tid == nil
                ? Int(max(1, processes[i].threads, before?.threads ?? 1)) : 1
            let most = 100 * Double(min(threads, max(1, system.cpus)))
            // Written only when changed (a process that did not run stays at 0): a write copies
            // the array, which the sampler keeps too.
            let percent = min(used / ticksPerInterval * 100, most)
            if processes[i].cpuPercent != percent { processes[i].cpuPercent = percent }
        }
        computeIORates(since: previous, pairs: pairs)
        if let old = previous.system.cpuTimes, let new = system.cpuTimes {
            system.cpuPercent = CPUUsage(from: old.total, to: new.total)?.total
            var usage: [CPUUsage] = []
            for (index, id) in new.cpuIDs.enumerated() {
                let newTimes = new.perCPU[index]
                if let oldIndex = old.cpuIDs.firstIndex(of: id),
                    let u = CPUUsage(from: old.perCPU[oldIndex], to: newTimes)
                {
                    usage.append(u)
                } else {
                    usage.append(CPUUsage(user: 0, nice: 0, system: 0, other: 0))
                }
            }
            system.perCPU = usage
        }
    }
}
