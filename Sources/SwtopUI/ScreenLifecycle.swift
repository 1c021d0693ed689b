import Lifecycle
import ProcFS
import ProcessModel
import Sampling

/// The lifecycle monitor as the screen runs it on the live /proc: fed the snapshots the screen
/// reads anyway (it never reads /proc for them itself), and turned into a LifecycleView after
/// each one.
public final class ScreenLifecycle {
    public let monitor: LifecycleMonitor
    /// The events of the processes the list's filter passes, kept apart from the monitor's last
    /// 500 of the whole machine: where processes come and go by the thousand a second, those
    /// 500 last a fraction of a second, and the events of the processes asked about would be
    /// gone before the user looks.
    private var matching: [LifecycleEvent] = []
    private var filterSeen: ProcessFilter?

    /// - Parameter sampler: the screen's; its entries and fd share (`sharedFDs`) are the
    ///   monitor's, so names and users match the list's.
    public init(sampler: Sampler) {
        monitor = LifecycleMonitor(
            reader: sampler.reader, options: LifecycleMonitor.Options(pidfdBudget: sampler.sharedFDs), build: sampler.entry)
    }

    /// Takes a refreshed snapshot (after `state.update` with it, so the ghosts are known) and
    /// puts what the screen shows of the monitor into the state.
    public func update(with snapshot: Snapshot, state: inout ViewState) {
        let new = monitor.update(with: snapshot)
        let filter = state.listing.filter
        if filter != filterSeen {
            // Another filter: start from what the monitor still holds.
            filterSeen = filter
            matching = filter.isEmpty ? [] : LifecycleView.matching(monitor.recent, filter)
        } else if !filter.isEmpty {
            matching += LifecycleView.matching(new, filter)
            if matching.count > LifecycleMonitor.recentLimit { matching.removeFirst(matching.count - LifecycleMonitor.recentLimit) }
        }
        state.setLifecycle(Self.view(of: monitor, kept: filter.isEmpty ? nil : matching, snapshot: snapshot, ghosts: state.ghostKeys))
    }

    /// What the screen shows, at the snapshot's time: `snapshot` is the one the monitor took last.
    /// - Parameter kept: the events of the filtered processes, where the list has a filter.
    static func view(of monitor: LifecycleMonitor, kept: [LifecycleEvent]? = nil, snapshot: Snapshot, ghosts: [ProcessKey]) -> LifecycleView {
        let now = snapshot.time
        var view = LifecycleView()
        view.events = kept ?? monitor.recent
        (view.ended, view.failed, view.oomKilled) = monitor.endingsSummary(now: now, window: LifecycleView.window)
        if !ghosts.isEmpty {
            var ends: [ProcessKey: Outcome] = [:]
            for event in monitor.recent + (kept ?? []) {
                if case .exit(let record) = event.kind { ends[record.process.key] = record.outcome }
            }
            for key in ghosts { view.outcomes[key] = ends[key] }
        }
        // The zombies the monitor found (it follows them from snapshot to snapshot), not a pass
        // over every process; the crash loops' commands only where there are loops (most
        // refreshes have none).
        var zombiesOf: [Int32: Int] = [:]
        var marks: [ProcessKey: [String]] = [:]
        for p in monitor.zombies {
            zombiesOf[p.ppid, default: 0] += 1
            var outcome = Outcome.ofZombie(p)
            if outcome == .unknown { outcome = monitor.outcome(of: p.key) ?? .unknown }
            marks[p.key, default: []].append(
                LifecycleView.zombieMark(unreaped: monitor.unreapedSeconds(p.key, now: now), outcome: outcome))
        }
        let loops = monitor.crashLoopsNow(now: now)
        if !loops.isEmpty {
            var looping: Set<String> = []
            var loopParents: Set<Int32> = []
            for loop in loops {
                looping.insert(loop.command + "\u{0}" + String(loop.parent))
                loopParents.insert(loop.parent)
            }
            for p in snapshot.processes where !p.isSecondaryThread && p.state != .zombie && loopParents.contains(p.ppid) {
                if looping.contains(monitor.facts(p).command + "\u{0}" + String(p.ppid)) {
                    marks[p.key, default: []].append(LifecycleView.crashLoopMark)
                }
            }
        }
        // Draining: asked to stop by another process, not ended yet.
        for (pid, request) in monitor.drainingNow {
            guard let p = monitor.snapshotProcess(pid), p.state != .zombie else { continue }
            view.draining[p.key] = request
            marks[p.key, default: []].append(LifecycleView.drainingMark(since: now - request.time))
        }
        for (ppid, n) in zombiesOf {
            if let parent = monitor.snapshotProcess(ppid) {
                marks[parent.key, default: []].insert(LifecycleView.parentMark(zombies: n), at: 0)
            }
        }
        for (key, list) in marks { view.marks[key] = list.joined(separator: ", ") }
        return view
    }
}
