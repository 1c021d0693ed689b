import Lifecycle

/// Counters of how processes ended, per group, kept for as long as the exporter runs (they
/// never go backwards), and the groups of the crash loops going on. Bounded like the series of
/// the living: at most `maxGroups` groups have counters of their own (the rest count under
/// `other`), and a loop's group is kept only while the loop goes on.
struct LifecycleCounters {
    let maxGroups: Int
    /// group -> outcome name -> exits.
    private(set) var exits: [String: [String: Int]] = [:]
    private(set) var oomKills: [String: Int] = [:]
    /// group -> graceful or forced -> stops that another process asked for (root: the signal
    /// tracepoint).
    private(set) var stops: [String: [String: Int]] = [:]
    /// command -> group, for the loops the monitor reported and that go on (`keepLoops`).
    private(set) var loopGroups: [String: String] = [:]

    init(maxGroups: Int) { self.maxGroups = max(1, maxGroups) }

    /// Counts the ends among `events` in the group `group` gives each (its own while slots are
    /// free or it holds one, else `other`), and notes the groups of loops that start.
    mutating func take(_ events: [LifecycleEvent], group: (ProcessFacts) -> String) {
        var counted = Set(exits.keys)
        for event in events {
            switch event.kind {
            case .exit(let record):
                let name = GroupSlots.bounded(group(record.process), counted: &counted, limit: maxGroups)
                exits[name, default: [:]][record.outcome.name, default: 0] += 1
                if record.outcome == .oomKilled { oomKills[name, default: 0] += 1 }
                if let stop = record.stop { stops[name, default: [:]][stop.kind.rawValue, default: 0] += 1 }
            case .crashLoop(let loop):
                loopGroups[loop.command] = GroupSlots.bounded(group(event.process), counted: &counted, limit: maxGroups)
            case .zombie, .orphan, .signal:
                break
            }
        }
    }

    /// Forgets the groups of loops that ended: only `commands` loop now. (A command that
    /// loops again later is reported again, with its group, by the monitor.)
    mutating func keepLoops(_ commands: Set<String>) {
        if loopGroups.keys.contains(where: { !commands.contains($0) }) {
            loopGroups = loopGroups.filter { commands.contains($0.key) }
        }
    }
}
