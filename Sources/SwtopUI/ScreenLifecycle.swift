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

    /// Takes a new snapshot into the monitor, before the state takes it: the state's zombie
    /// ages are then the monitor's (the one tracker of them, see `ZombieAges`).
    public func observe(_ snapshot: Snapshot, state: inout ViewState) {
        keep(monitor.update(with: snapshot), filter: state.listing.filter)
        state.zombieAges = monitor.zombieAges
    }

    /// Puts what the screen shows of the monitor into the state, after `state.update` with the
    /// snapshot `observe` took (so the ghosts are known).
    public func show(_ snapshot: Snapshot, state: inout ViewState) {
        let filter = state.listing.filter
        keep([], filter: filter)
        state.setLifecycle(Self.view(of: monitor, kept: filter.isEmpty ? nil : matching, snapshot: snapshot, ghosts: state.ghostKeys))
    }

    /// How the process `key` ended, in the words every place uses, once the kernel has told
    /// (its reports are read now: a stop's end is said as soon as it is known).
    public func ending(of key: ProcessKey) -> String? {
        if let filter = filterSeen { keep(monitor.pollSources(), filter: filter) } else { _ = monitor.pollSources() }
        return monitor.ending(of: key)?.words
    }

    /// Keeps the new events of the processes the filter passes.
    private func keep(_ new: [LifecycleEvent], filter: ProcessFilter) {
        if filter != filterSeen {
            // Another filter: start from what the monitor still holds.
            filterSeen = filter
            matching = filter.isEmpty ? [] : LifecycleView.matching(monitor.recent, filter)
        } else if !filter.isEmpty, !new.isEmpty {
            matching += LifecycleView.matching(new, filter)
            if matching.count > LifecycleMonitor.recentLimit { LifecycleEvent.trim(&matching, to: LifecycleMonitor.recentLimit) }
        }
    }

    /// What the screen shows, at the snapshot's time: `snapshot` is the one the monitor took last.
    /// - Parameter kept: the events of the filtered processes, where the list has a filter.
    static func view(of monitor: LifecycleMonitor, kept: [LifecycleEvent]? = nil, snapshot: Snapshot, ghosts: [ProcessKey]) -> LifecycleView {
        let now = snapshot.time
        var view = LifecycleView()
        view.events = kept ?? monitor.recent
        (view.ended, view.failed, view.oomKilled) = monitor.endingsSummary(now: now, window: LifecycleView.window)
        if !ghosts.isEmpty {
            var ends: [ProcessKey: String] = [:]
            for event in monitor.recent + (kept ?? []) {
                // A row's tag says how it ended, without the sender (the E view and the detail
                // page say who): the row keeps room for its command.
                if case .exit(let record) = event.kind {
                    ends[record.process.key] = record.outcome.described(lifetime: record.lifetime, stoppedBySwtop: record.stoppedBySwtop)
                }
            }
            for key in ghosts { view.endings[key] = ends[key] }
        }
        // The zombies the monitor found (it follows them from snapshot to snapshot), not a pass
        // over every process; the crash loops' commands only where there are loops (most
        // refreshes have none).
        var zombiesOf: [Int32: Int] = [:]
        // Each parent's oldest unreaped zombie, to tell a namespace's PID 1 that does not reap.
        var oldestOf: [Int32: Double] = [:]
        var marks: [ProcessKey: [String]] = [:]
        for p in monitor.zombies {
            zombiesOf[p.ppid, default: 0] += 1
            // As its exit was told where swtop saw it, else from its wait status.
            let outcome = Outcome.ofZombie(p)
            let ending = monitor.ending(of: p.key)?.words ?? (outcome == .unknown ? nil : outcome.described())
            let unreaped = monitor.unreaped(p.key, now: now)
            if let unreaped { oldestOf[p.ppid] = max(oldestOf[p.ppid] ?? 0, unreaped.seconds) }
            marks[p.key, default: []].append(LifecycleView.zombieMark(unreaped: unreaped, ending: ending))
        }
        let loops = monitor.crashLoopsNow(now: now)
        if !loops.isEmpty {
            let loopParents = Set(loops.map(\.parent))
            for p in snapshot.processes where !p.isSecondaryThread && p.state != .zombie && loopParents.contains(p.ppid) {
                if monitor.isCrashLooping(p, now: now) { marks[p.key, default: []].append(LifecycleView.crashLoopMark) }
            }
        }
        // Draining: asked to stop by another process, not ended yet.
        for (pid, request) in monitor.drainingNow {
            guard let p = monitor.snapshotProcess(pid), p.state != .zombie else { continue }
            view.draining[p.key] = request
            marks[p.key, default: []].append(LifecycleView.drainingMark(since: now - request.time))
        }
        supervision(monitor, snapshot, into: &view, marks: &marks)
        for (ppid, n) in zombiesOf {
            if let parent = monitor.snapshotProcess(ppid) {
                let verdict = ReapingCheck.judge(isNamespaceInit: parent.isNamespaceInit, initName: parent.name, oldestZombieChildAge: oldestOf[ppid])
                let notReaping = parent.isNamespaceInit && verdict.mark == .notReaping
                marks[parent.key, default: []].insert(ReapingCheck.parentMark(zombies: n, namespaceInitNotReaping: notReaping), at: 0)
            }
        }
        for (key, list) in marks { view.marks[key] = list.joined(separator: ", ") }
        return view
    }

    /// What the swtop runs' state files say: a mark on each supervised child's row (and on a
    /// swtop run's own row while it waits to restart). The files are read again only when their
    /// directory changed; the processes are found by the runs' pids, not by a pass over all.
    static func supervision(_ monitor: LifecycleMonitor, _ snapshot: Snapshot, into view: inout LifecycleView, marks: inout [ProcessKey: [String]]) {
        guard let runs = monitor.supervisedRuns else { return }
        runs.refresh()
        guard !runs.states.isEmpty else { return }
        for (pid, state) in runs.states {
            guard let run = monitor.snapshotProcess(pid), run.state != .zombie else { continue }
            if let childPID = state.childPID, let child = monitor.snapshotProcess(childPID), child.ppid == pid, child.state != .zombie,
                let verified = runs.supervisor(of: childPID, parent: pid)
            {
                view.supervised[child.key] = verified
                marks[child.key, default: []].append(LifecycleView.supervisedMark(verified))
            } else if let verified = runs.run(pid), let mark = LifecycleView.waitingMark(verified, now: snapshot.time) {
                marks[run.key, default: []].append(mark)
            }
        }
    }
}
