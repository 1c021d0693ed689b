#if canImport(Glibc)
import Glibc
#endif
import ProcFS
import ProcessModel

/// Watches processes live and tells what happens to them: how each one ends, zombies left
/// unreaped, orphans, crash loops. Fed by the kernel where it can be (`pollSources`) and by the
/// snapshots the screen or `swtop events` reads anyway (`update`).
///
/// Sources, best first (each a `KernelSource`, see `LifecycleSources`):
/// - as root, the proc connector: every exit with its wait status as it happens, even of a
///   process that lived a millisecond, and /dev/kmsg, which names each OOM kill;
/// - without root, on Linux 6.15+, a pidfd per process: readable at the death, the wait status
///   after the reap; an OOM kill is judged from the kernel's OOM counters at the death;
/// - a zombie's `stat`, which holds its wait status until it is reaped;
/// - else a process that vanished unseen ended in an unknown way: swtop never guesses.
///
/// Its rooms: the kernel sources (`LifecycleSources`), the table of living processes
/// (`ProcessTable`), the zombie and orphan watch (`ZombieOrphanWatch`), the OOM judgement
/// (`OOMJudge`) and what it has told (`LifecycleReport`). This type joins them: it keeps the
/// processes that died and decides how each ended.
public final class LifecycleMonitor {
    public struct Options: Sendable {
        /// Seconds a zombie stays unreaped before it is reported.
        public var zombieAfter: Double
        /// The most pidfds to hold, where they are used.
        public var pidfdBudget: Int

        public init(zombieAfter: Double = 5, pidfdBudget: Int = 1024) {
            self.zombieAfter = zombieAfter
            self.pidfdBudget = pidfdBudget
        }
    }

    public let options: Options
    let reader: ProcReader
    private var kernel: LifecycleSources
    var table: ProcessTable
    private var watch = ZombieOrphanWatch()
    private var oom: OOMJudge
    var told: LifecycleReport
    static let ownPID = getpid()
    /// Who sent the signals that stop and kill, joined to the processes they went to.
    let senders: SignalSenders
    private let userNames = UserNames()

    public var connector: ProcConnector? { kernel.connector }
    public var pidfds: PidfdExits? { kernel.pidfds }
    /// Why a better source is not in use, in words, for the first line of `swtop events`.
    public var notes: [String] { kernel.notes }
    /// The zombies of the last snapshot, by pid.
    public var zombies: [ProcessEntry] { watch.zombies }
    /// The most recent events, oldest first (at most `recentLimit`).
    public var recent: [LifecycleEvent] { told.recent }
    public static let recentLimit = 500

    var dead: [ProcessKey: Dead] = [:]
    /// How long each zombie has waited: the one tracker of it, which the screen shares.
    public internal(set) var zombieAges = ZombieAges()
    /// Pids whose exit the proc connector reported, and when: a snapshot read just before an
    /// exit still shows the process (perhaps before its exec, under another name), and when it
    /// then vanishes it is not a second, unexplained end.
    private var connectorExits: [Int32: Double] = [:]
    /// The connector's lost-event count at the last snapshot: when it grew, a vanished process
    /// may be one whose exit was lost.
    private var lostAtLastSnapshot = 0
    /// The last signal swtop sent each process it was stopping.
    private var sentBySwtop: [ProcessKey: Int32] = [:]
    /// Whether something happened that a snapshot should follow (with the connector, the
    /// snapshots are needed only for orphans and zombies).
    public private(set) var wantsSnapshot = true
    private var lastSnapshotTime = 0.0
    /// What the kernel reported that only the next snapshot lets go of: processes ended, and
    /// those born or exec'd since. A drain that runs on without snapshots (an exporter nobody
    /// scrapes) takes one when this grows.
    public var heldUntilSnapshot: Int { dead.count + table.alive.newer.count }
    private var connectorEvents = 0

    /// - Parameter build: makes an entry of a process read when the connector reports it (the
    ///   sampler's, so names, users and start times match the snapshots').
    public init(reader: ProcReader, options: Options = Options(), build: @escaping (RawProcess) -> ProcessEntry) {
        self.reader = reader
        self.options = options
        kernel = LifecycleSources(live: reader.isLive, pidfdBudget: options.pidfdBudget)
        table = ProcessTable(reader: reader, build: build)
        oom = OOMJudge(reader: reader, hasKernelLog: kernel.kernelLog != nil)
        told = LifecycleReport(isLive: reader.isLive)
        let names = userNames
        senders = SignalSenders(userName: { names.name(of: $0) })
    }

    /// The sources in use, in words: "proc connector, kernel log", "pidfds", "zombies".
    public var sources: [String] { kernel.names }

    /// The fds to wait on for what the kernel reports between snapshots.
    public var pollFDs: [Int32] { kernel.all.map(\.fd) }

    /// Events lost because the proc connector's socket buffer overflowed.
    public var lostEvents: Int { connector?.lost ?? 0 }

    /// Signal records the kernel dropped because a ring of the signal tracepoint was full
    /// (its PERF_RECORD_LOST): those signals' senders are not known.
    public var lostSignals: Int { kernel.signals?.lost ?? 0 }

    /// Whether the kernel reports every exit, so snapshots are needed only now and then.
    public var isEventDriven: Bool { connector != nil }

    /// Whether the proc connector can be used here: root, in the initial namespaces (it may
    /// still turn out to be ignored, see `connectorIgnored`).
    public static var connectorUsable: Bool { LifecycleSources.connectorUsable }

    /// Tells the monitor swtop sent a signal to a process it is stopping, so its end says
    /// whether the stop was graceful or forced.
    public func noteSent(signal: Int32, to key: ProcessKey) {
        sentBySwtop[key] = signal
    }

    // MARK: - Between snapshots: the kernel's reports

    /// Reads what the kernel reported since the last call; returns the events it makes.
    public func pollSources(now: Double = Clock.now()) -> [LifecycleEvent] {
        var events: [LifecycleEvent] = []
        var reports: [KernelReport] = []
        for source in kernel.all {
            let told = source.reports()
            if source === kernel.connector { connectorEvents += told.count }
            reports += told
        }
        // The signals first: each was sent before the exit it explains, which may be in the
        // same reading (the tracepoint is read last, so none is missing).
        var samples: [SignalSample] = []
        for case .signal(let sample) in reports { samples.append(sample) }
        // The names programs got at exec, for those that end before /proc can be read.
        for case .execName(let pid, let name, let time) in reports { table.execNames[pid] = (name, time) }
        var forks: [Int32: Int32] = [:]
        if !samples.isEmpty { for case .forked(let parent, let child) in reports { forks[child] = parent } }
        let signals = samples.isEmpty ? [] : signalled(samples, forks: forks)
        for report in reports {
            if case .signal = report { continue }
            take(report, now: now, into: &events)
        }
        if !signals.isEmpty { events = tell(signals) + events }
        if kernel.pidfds != nil { resolvePending(now: now, into: &events) }
        // Forked children read again: those still running their parent's program are its runs.
        for child in table.reread(now: now) {
            told.started(child, as: .fork(of: child.ppid), time: now, into: &events)
        }
        checkZombies(now: now, into: &events)
        checkOrphans(now: now, into: &events)
        oom.expire(now: now)
        return events
    }

    /// One report of a kernel source.
    func take(_ report: KernelReport, now: Double, into events: inout [LifecycleEvent]) {
        switch report {
        case .forked(let parent, let child): table.forked(parent: parent, child: child, now: now)
        case .execed(let pid):
            table.execed(pid: pid)
            if var entry = table[pid] {
                if entry.cmdline?.isEmpty ?? true, let runs = told.runs,
                    let command = runs.command(ofChild: pid, parent: entry.ppid, execName: entry.name)
                {
                    entry.cmdline = command
                    table[pid] = entry
                }
                told.started(entry, as: .command(entry.cmdline ?? [], parent: entry.ppid), time: now, into: &events)
            }
        case .uidChanged(let pid, let ruid): table.uidChanged(pid: pid, ruid: ruid)
        case .renamed(let pid, let name): table.renamed(pid: pid, name: name, now: now)
        case .exited(let pid, let status, let parent):
            exited(pid, status: status, parent: parent, now: now, into: &events)
        case .died(let key): died(key, now: now, into: &events)
        case .oomKilled(let pid): oom.named(pid, now: now)
        case .signal(let sample): events += tell(signalled([sample]))
        case .execName(let pid, let name, let time): table.execNames[pid] = (name, time)
        }
    }

    /// The proc connector's exit: told at once, with its wait status.
    private func exited(_ pid: Int32, status: Int32, parent: Int32, now: Double, into events: inout [LifecycleEvent]) {
        var entry = table.exiting(pid) ?? table.unreadEntry(pid: pid, ppid: parent)
        if table.exited(pid) {
            // A child that ran its parent's program, ended before it was read again: a run of it.
            told.started(entry, as: .fork(of: entry.ppid), time: now, into: &events)
        }
        // Written only when it differs: a write copies the entry's box, shared with the table.
        if parent > 0, entry.ppid != parent { entry.ppid = parent }
        let key = entry.key
        let outcome = oom.judgeAtExit(Outcome(waitStatus: status), pid: pid, now: now)
        var record = exitRecord(entry, outcome: outcome, source: .procConnector, time: now)
        record.stoppedBySwtop = stopKind(key, outcome)
        (record.sentBy, record.stop) = senders.ending(of: pid, signal: outcome.signal, time: now)
        // A signal it sent itself (abort) is named as it ended, after any exec the table had not
        // yet heard of when the signal was read.
        if record.sentBy?.pid == pid, !entry.name.isEmpty { record.sentBy?.name = entry.name }
        dead[key] = Dead(entry: entry, deathTime: now, reported: true, outcome: outcome, record: record)
        zombieAges.died(key, at: now)
        connectorExits[pid] = now
        watch.checkZombie(key, due: now + options.zombieAfter)
        told.report(record, into: &events)
        // Its children get another parent as it exits: each is read again a moment later.
        let children = table.parentExited(pid)
        if !children.isEmpty { watch.checkOrphans(children, formerParent: pid, formerName: entry.name, due: now + 0.05) }
    }

    /// The exits whose zombie report is due: still a zombie is reported, gone is forgotten.
    private func checkZombies(now: Double, into events: inout [LifecycleEvent]) {
        for (key, parent) in watch.dueZombies(now: now, reader: reader) {
            guard var d = dead[key], !d.zombieReported else { continue }
            guard let parent else {
                dead[key] = nil
                continue
            }
            d.zombieReported = true
            d.entry.ppid = parent
            dead[key] = d
            let age = zombieAges.age(of: key, now: now) ?? ZombieAge(seconds: now - d.deathTime, isLowerBound: false)
            let kind = LifecycleEvent.Kind.zombie(outcome: d.outcome, parentName: table[parent]?.name, unreaped: age)
            told.add(LifecycleEvent(time: now, process: told.facts(d.entry), kind: kind), into: &events)
        }
    }

    /// The children of exited processes whose check is due: each that has a new parent is an
    /// orphan.
    private func checkOrphans(now: Double, into events: inout [LifecycleEvent]) {
        for (check, newParent) in watch.dueOrphans(now: now, reader: reader) {
            var child = table[check.child.pid].flatMap { $0.startTicks == check.child.startTicks ? $0 : nil } ?? check.child
            child.ppid = newParent
            table[child.pid] = child
            orphan(child, formerParent: check.formerParent, formerName: check.formerName, now: now, into: &events)
        }
    }

    private func orphan(_ child: ProcessEntry, formerParent: Int32, formerName: String?, now: Double, into events: inout [LifecycleEvent]) {
        // Each orphan once: the snapshot and the look after its parent's exit may both see it.
        watch.orphanReported(child.key)
        let kind = LifecycleEvent.Kind.orphan(formerParent: formerParent, formerParentName: formerName)
        told.add(LifecycleEvent(time: now, process: told.facts(child), kind: kind), into: &events)
    }

    /// A pidfd turned readable: the process died (it may not be reaped yet).
    private func died(_ key: ProcessKey, now: Double, into events: inout [LifecycleEvent]) {
        guard let entry = table[key.id], entry.key == key else {
            kernel.pidfds?.forget(key)
            return
        }
        var record = Dead(entry: entry, deathTime: now, reported: false)
        // Judged at the death: the zombie has left its memory cgroup already, but the cgroup's
        // counter is the one to compare.
        record.oomAtDeath = oom.countersRose(for: key, now: now)
        dead[key] = record
        zombieAges.died(key, at: now)
        resolve(key, now: now, zombieStat: kernel.pidfds?.kernelGivesStatus != true, into: &events)
        wantsSnapshot = true
    }

    /// Reports a dead process whose wait status can now be had: from its pidfd after the reap,
    /// or from its zombie `stat` where that can be trusted.
    /// - Parameter zombieStat: whether a zombie's `stat` may say; else, where pidfds give the
    ///   status after the reap, it is waited for (a zombie left unreaped is resolved from its
    ///   `stat` at the next snapshot).
    private func resolve(_ key: ProcessKey, now: Double, zombieStat: Bool = true, into events: inout [LifecycleEvent]) {
        guard var d = dead[key], !d.reported else { return }
        var status: Int32?
        var source = ExitSource.pidfd
        if let s = kernel.pidfds?.status(of: key) {
            status = s
        } else if zombieStat, let raw = reader.process(key.id, files: []), raw.stat.startTime == key.startTicks, raw.stat.state == UInt8(ascii: "Z"),
            let s = raw.stat.exitCode, Outcome.canReadWaitStatus(of: d.entry.uid)
        {
            status = s
            source = .zombie
        }
        guard let status else { return }
        let outcome = oom.judge(Outcome(waitStatus: status), pid: key.id, atDeath: d.oomAtDeath)
        var record = exitRecord(d.entry, outcome: outcome, source: source, time: d.deathTime)
        record.stoppedBySwtop = stopKind(key, outcome)
        (record.sentBy, record.stop) = senders.ending(of: key.id, signal: outcome.signal, time: d.deathTime)
        d.reported = true
        d.outcome = outcome
        d.record = record
        dead[key] = d
        kernel.pidfds?.forget(key)
        told.report(record, into: &events)
    }

    private func resolvePending(now: Double, into events: inout [LifecycleEvent]) {
        // The keys first: changing `dead` while it is iterated would copy all of it.
        let pending = dead.compactMap { $0.value.reported ? nil : $0.key }
        for key in pending { resolve(key, now: now, zombieStat: kernel.pidfds?.kernelGivesStatus != true, into: &events) }
    }

    private func stopKind(_ key: ProcessKey, _ outcome: Outcome) -> StopKind? {
        guard let signal = sentBySwtop.removeValue(forKey: key) else { return nil }
        return signal == 9 && outcome == .killed(signal: 9) ? .forced : .graceful
    }

    // MARK: - Snapshots

    /// Takes a snapshot: what vanished, new zombies, orphans, and (without the kernel's
    /// reports) new processes to watch. Returns the events, the kernel's pending ones first.
    public func update(with snapshot: Snapshot) -> [LifecycleEvent] {
        let now = snapshot.time
        var events = pollSources(now: now)
        let current = AliveProcesses.sortedByPID(snapshot.processes)
        let (vanished, changed) = table.differences(current)

        // Vanished: reaped (or never seen dying).
        for old in vanished {
            let key = old.key
            table.vanished(old.pid)
            watch.vanished(old.pid)
            senders.forget(old.pid)
            if dead[key] == nil, kernel.connector != nil, connectorEvents > 0, kernel.connector?.lost == lostAtLastSnapshot {
                // The connector reports every exit as it happens (this one's perhaps under a key
                // read before its start time could be): a vanished process is no second end.
                continue
            }
            if dead[key] == nil {
                if kernel.connector != nil, connectorEvents == 0, now - lastSnapshotTime < 60 {
                    kernel.connectorIgnored()
                }
                var d = Dead(entry: old, deathTime: now, reported: false)
                if kernel.pidfds?.isWatching(key) == true { d.oomAtDeath = oom.countersRose(for: key, now: now) }
                dead[key] = d
            }
        }
        // The keys first: changing `dead` while it is iterated would copy all of it (5,000
        // processes killed at once: 2.7 MB).
        let reaped = dead.keys.filter { AliveProcesses.find($0.id, in: current)?.startTicks != $0.startTicks }
        for key in reaped {
            guard let d = dead[key] else { continue }
            if !d.reported {
                resolve(key, now: now, into: &events)
                if dead[key]?.reported == false {
                    // Reaped before anything could tell how it ended.
                    told.report(exitRecord(d.entry, outcome: .unknown, source: .vanished, time: d.deathTime), into: &events)
                }
            }
            dead[key] = nil
            kernel.pidfds?.forget(key)
            oom.forget(key)
            sentBySwtop[key] = nil
        }
        // After a burst the table's room goes too (a dictionary keeps its capacity).
        if dead.isEmpty, dead.capacity > 64 { dead = [:] }

        for (old, entry) in changed {
            if let old, old.startTicks == entry.startTicks {
                if old.ppid != entry.ppid, old.ppid > 1, table.isGone(old.ppid, current) {
                    orphan(entry, formerParent: old.ppid, formerName: table[old.ppid]?.name ?? deadName(old.ppid), now: now, into: &events)
                }
            } else {
                if kernel.connector == nil, lastSnapshotTime > 0, !entry.isKernelThread {
                    // Without the kernel's reports, a run starts when a reading first shows it.
                    told.started(entry, as: .command(entry.cmdline ?? [], parent: entry.ppid), time: now, into: &events)
                }
                if let pidfds = kernel.pidfds, !entry.isKernelThread, entry.state != .zombie {
                    pidfds.watch(entry.key)
                    oom.watch(entry.key)
                }
            }
            table.isParent(entry.ppid)
            watch.saw(entry)
        }
        // Every zombie, changed or not: its report falls due while it waits.
        let zombiesNow = watch.zombies(in: current)
        zombieAges.observe(zombies: zombiesNow, now: now)
        for entry in zombiesNow {
            zombie(entry, now: now, current: current, into: &events)
        }
        table.replace(with: current, exited: connectorExits)
        connectorExits = connectorExits.filter { $0.value >= now - 1 }
        told.expire(now: now)
        lastSnapshotTime = now
        lostAtLastSnapshot = kernel.connector?.lost ?? 0
        wantsSnapshot = false
        return events
    }

    private func deadName(_ pid: Int32) -> String? {
        dead.first { $0.key.id == pid }?.value.entry.name
    }

    private func zombie(_ entry: ProcessEntry, now: Double, current: [ProcessEntry], into events: inout [LifecycleEvent]) {
        let key = entry.key
        if dead[key] == nil, let unknownStart = dead.removeValue(forKey: ProcessKey(id: key.id, startTicks: 0)) {
            // Reported by the connector before its start could be read.
            dead[key] = unknownStart
        }
        let known = dead[key] != nil
        var d = dead[key] ?? Dead(entry: table[entry.pid].flatMap { $0.key == key ? $0 : nil } ?? entry, deathTime: now, reported: false)
        if !known, zombieAges.diedBeforeWatching(key) {
            // It died before swtop watched: no exit of now to tell (nor to count), only a zombie
            // that has waited at least as long as swtop has watched.
            d.reported = true
            d.outcome = Outcome.ofZombie(entry)
        }
        if !known {
            // With the connector /proc is read now and then: its report is looked at when due.
            watch.checkZombie(key, due: now + options.zombieAfter)
        }
        // A zombie's command line reads empty: what was known of it alive is kept.
        if d.entry.cmdline?.isEmpty != false, entry.cmdline?.isEmpty == false { d.entry.keepCommandLine(of: entry) }
        d.entry.becameZombie(as: entry)
        dead[key] = d
        if !d.reported {
            resolve(key, now: now, into: &events)
            d = dead[key] ?? d
        }
        let unreaped = zombieAges.age(of: key, now: now) ?? ZombieAge(seconds: now - d.deathTime, isLowerBound: false)
        if !d.zombieReported, unreaped.seconds >= options.zombieAfter {
            d.zombieReported = true
            dead[key] = d
            let parentName = AliveProcesses.find(entry.ppid, in: current)?.name
            let kind = LifecycleEvent.Kind.zombie(outcome: Outcome.ofZombie(entry), parentName: parentName, unreaped: unreaped)
            told.add(LifecycleEvent(time: now, process: told.facts(d.entry), kind: kind), into: &events)
        }
    }

    private func exitRecord(_ entry: ProcessEntry, outcome: Outcome, source: ExitSource, time: Double) -> ExitRecord {
        ExitRecord(process: told.facts(entry), outcome: outcome, source: source, time: time, parentName: table[entry.ppid]?.name)
    }
}
