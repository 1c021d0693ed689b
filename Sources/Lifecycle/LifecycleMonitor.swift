#if canImport(Glibc)
import Glibc
#endif
import ProcFS
import ProcessModel

/// Watches processes live and tells what happens to them: how each one ends, zombies left
/// unreaped, orphans, crash loops. Fed by the kernel where it can be (`pollSources`) and by the
/// snapshots the screen or `swtop events` reads anyway (`update`).
///
/// Sources, best first:
/// - as root, the proc connector: every exit with its wait status as it happens, even of a
///   process that lived a millisecond, and /dev/kmsg, which names each OOM kill;
/// - without root, on Linux 6.15+, a pidfd per process: readable at the death, the wait status
///   after the reap; an OOM kill is judged from the kernel's OOM counters at the death;
/// - a zombie's `stat`, which holds its wait status until it is reaped;
/// - else a process that vanished unseen ended in an unknown way: swtop never guesses.
public final class LifecycleMonitor {
    public struct Options: Sendable {
        /// Seconds a zombie stays unreaped before it is reported.
        public var zombieAfter: Double
        /// Whether to try the proc connector (it needs root).
        public var useConnector: Bool
        /// The most pidfds to hold, where they are used.
        public var pidfdBudget: Int

        public init(zombieAfter: Double = 5, useConnector: Bool = true, pidfdBudget: Int = 1024) {
            self.zombieAfter = zombieAfter
            self.useConnector = useConnector
            self.pidfdBudget = pidfdBudget
        }
    }

    /// A process that died and has not yet vanished from /proc (a zombie, or not yet reaped).
    struct Dead {
        var entry: ProcessEntry
        var deathTime: Double
        var reported: Bool
        var zombieReported = false
        /// The judgement made at the death, for a SIGKILL: an OOM kill.
        var oomAtDeath = false
        /// How it ended, once reported.
        var outcome = Outcome.unknown
    }

    public let options: Options
    private let reader: ProcReader
    /// Seconds since the epoch at boot, from the clocks (see `facts`).
    private let bootTime = Clock.now() - Clock.sinceBoot()
    private let ticksPerSecond: Double = {
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        return ticks > 0 ? Double(ticks) : 100
    }()
    private let build: (RawProcess) -> ProcessEntry
    private let isRoot = geteuid() == 0

    public private(set) var connector: ProcConnector?
    private let kernelLog: KernelLog?
    public private(set) var pidfds: PidfdExits?
    private let oom: OOMCounters
    /// Why a better source is not in use, in words, for the first line of `swtop events`.
    public private(set) var notes: [String] = []

    /// Every process of the last snapshot (and, with the connector, those born since), by pid.
    private var alive = AliveProcesses()
    /// The pids whose entry in the last snapshot is a zombie: each is looked at every snapshot
    /// (its report is due after `zombieAfter`), though its entry does not change.
    private var zombiePIDs: Set<Int32> = []
    /// The zombies of the last snapshot, by pid.
    public private(set) var zombies: [ProcessEntry] = []
    private var dead: [ProcessKey: Dead] = [:]
    /// Pids whose exit the proc connector reported, and when: a snapshot read just before an
    /// exit still shows the process (perhaps before its exec, under another name), and when it
    /// then vanishes it is not a second, unexplained end.
    private var connectorExits: [Int32: Double] = [:]
    /// The connector's lost-event count at the last snapshot: when it grew, a vanished process
    /// may be one whose exit was lost.
    private var lostAtLastSnapshot = 0
    /// Pids the proc connector reported born or exec'd since the last snapshot: their entries,
    /// read as it happened, are newer than the snapshot's.
    private var touched: Set<Int32> = []
    /// Pids the kernel log named as OOM-killed, and when (kept a minute).
    private var oomKilled: [Int32: Double] = [:]
    private var lastSystemOOMKills: UInt64?
    /// When /proc/vmstat's oom_kill was last seen to rise.
    private var systemOOMRise = -Double.infinity
    /// Without root: each watched process's memory cgroup and the cgroups' OOM counters.
    private var memoryCgroups: [ProcessKey: MemoryCgroup] = [:]
    private var cgroupKills: [MemoryCgroup: UInt64] = [:]
    private var crashLoops = CrashLoopDetector()
    /// The last signal swtop sent each process it was stopping.
    private var sentBySwtop: [ProcessKey: Int32] = [:]
    /// Whether something happened that a snapshot should follow (with the connector, the
    /// snapshots are needed only for orphans and zombies).
    public private(set) var wantsSnapshot = true
    /// The pids that have children (in the snapshots, or forked since; a pid leaves at its
    /// exit): only their exits can leave orphans. Kept up to date from what changed, so a pid
    /// whose children have all ended stays until it ends itself, which costs only a look.
    private var parents: Set<Int32> = []
    /// With the connector: exits to look at again when a zombie would be reported, oldest first.
    /// Most were reaped at once and are dropped then; one still a zombie is reported without
    /// reading the whole of /proc.
    private var zombieChecks: [(key: ProcessKey, due: Double)] = []
    private var zombieChecksDone = 0
    /// With the connector: children of an exited process, to look at once the kernel has given
    /// them their new parent.
    private var orphanChecks: [(child: ProcessEntry, formerParent: Int32, formerName: String, due: Double)] = []
    private var lastSnapshotTime = 0.0
    private var connectorEvents = 0

    /// The most recent events, oldest first (at most `recentLimit`).
    public private(set) var recent: [LifecycleEvent] = []
    public static let recentLimit = 500
    /// The ends of the last ten minutes, for the header.
    private var endings: [(time: Double, outcome: Outcome)] = []

    /// - Parameter build: makes an entry of a process read when the connector reports it (the
    ///   sampler's, so names, users and start times match the snapshots').
    public init(reader: ProcReader, options: Options = Options(), build: @escaping (RawProcess) -> ProcessEntry) {
        self.reader = reader
        self.options = options
        self.build = build
        oom = OOMCounters(reader: reader)
        lastSystemOOMKills = oom.systemKills()
        if reader.isLive, options.useConnector {
            if !isRoot {
                notes.append("not root: exits of processes shorter than a refresh are not seen (the proc connector needs root)")
            } else if !Self.inInitialNamespaces() {
                notes.append("in a container (not the initial PID or user namespace): the kernel ignores the proc connector here")
            } else {
                switch ProcConnector.open() {
                case .success(let c): connector = c
                case .failure(let error): notes.append(error.description)
                }
            }
        }
        kernelLog = connector != nil ? KernelLog() : nil
        if connector != nil, kernelLog == nil {
            notes.append("/dev/kmsg unreadable: OOM kills judged from the kernel's OOM counters")
        }
        if connector == nil, reader.isLive { startPidfds() }
    }

    private func startPidfds() {
        let watch = PidfdExits(budget: options.pidfdBudget)
        pidfds = watch
        if !watch.kernelGivesStatus {
            notes.append("Linux before 6.15: no exit status through pidfds; only zombies tell how a process ended")
        }
    }

    /// The sources in use, in words: "proc connector, kernel log", "pidfds", "zombies".
    public var sources: [String] {
        var list: [String] = []
        if connector != nil { list.append("proc connector") }
        if kernelLog != nil { list.append("kernel log (OOM kills)") }
        if let pidfds, pidfds.kernelGivesStatus { list.append("pidfds") }
        if connector == nil { list.append("OOM counters") }
        list.append("zombies' stat")
        return list
    }

    /// The fds to wait on for what the kernel reports between snapshots.
    public var pollFDs: [Int32] {
        [connector?.fd, kernelLog?.fd, pidfds?.pollFD].compactMap { $0 }
    }

    /// Events lost because the proc connector's socket buffer overflowed.
    public var lostEvents: Int { connector?.lost ?? 0 }

    /// Whether the kernel reports every exit, so snapshots are needed only now and then.
    public var isEventDriven: Bool { connector != nil }

    /// Whether the proc connector can be used here: root, in the initial namespaces (it may
    /// still turn out to be ignored, see `connectorIgnored`).
    public static var connectorUsable: Bool { geteuid() == 0 && inInitialNamespaces() }

    /// The PID namespace and user namespace are the kernel's first ones (their inode numbers
    /// are fixed: PROC_PID_INIT_INO and PROC_USER_INIT_INO).
    static func inInitialNamespaces() -> Bool {
        var pidNS = stat()
        var userNS = stat()
        guard stat("/proc/self/ns/pid", &pidNS) == 0, stat("/proc/self/ns/user", &userNS) == 0 else { return true }
        return pidNS.st_ino == 0xEFFF_FFFC && userNS.st_ino == 0xEFFF_FFFD
    }

    /// Tells the monitor swtop sent a signal to a process it is stopping, so its end says
    /// whether the stop was graceful or forced.
    public func noteSent(signal: Int32, to key: ProcessKey) {
        sentBySwtop[key] = signal
    }

    // MARK: - Between snapshots: the kernel's reports

    /// Reads what the kernel reported since the last call; returns the events it makes.
    public func pollSources(now: Double = Clock.now()) -> [LifecycleEvent] {
        var events: [LifecycleEvent] = []
        if let kernelLog {
            for pid in kernelLog.oomKills() { oomKilled[pid] = now }
        }
        if let connector {
            for event in connector.drain() {
                connectorEvents += 1
                handle(event, now: now, into: &events)
            }
        }
        if let pidfds {
            for key in pidfds.deaths() { died(key, now: now, into: &events) }
            resolvePending(now: now, into: &events)
        }
        checkZombies(now: now, into: &events)
        checkOrphans(now: now, into: &events)
        oomKilled = oomKilled.filter { now - $0.value < 60 }
        return events
    }

    private func handle(_ event: ConnectorEvent, now: Double, into events: inout [LifecycleEvent]) {
        switch event {
        case .fork(let parent, let child, let childTGID):
            // A new process (not a thread): it runs its parent's program until it execs.
            guard child == childTGID else { return }
            parents.insert(parent)
            let parentEntry = alive[parent]
            if let raw = reader.process(child, files: parentEntry == nil ? [.status, .cmdline] : []) {
                var entry = build(raw)
                if let parentEntry { entry.keepCommandLine(of: parentEntry) }
                alive[child] = entry
                touched.insert(child)
            } else if var entry = parentEntry {
                // Gone already: until it execs, a child is its parent's program (its start time
                // is unknown).
                entry.pid = child
                entry.ppid = parent
                entry.startTicks = 0
                entry.startTime = nil
                alive[child] = entry
                touched.insert(child)
            }
        case .exec(let pid, let tgid):
            guard pid == tgid else { return }
            let old = alive[pid]
            guard let raw = reader.process(pid, files: old == nil ? [.status, .cmdline] : [.cmdline]) else {
                // It runs another program now, which could not be read: its name is unknown.
                if var entry = old {
                    entry.name = ""
                    entry.cmdline = []
                    alive[pid] = entry
                    touched.insert(pid)
                }
                return
            }
            var entry = build(raw)
            if let old, old.startTicks == entry.startTicks, entry.uid == nil {
                // The uid is kept (uid events say when it changes).
                entry.uid = old.uid
                entry.user = old.user
            }
            alive[pid] = entry
            touched.insert(pid)
        case .uid(let pid, let tgid, let ruid):
            guard pid == tgid, var entry = alive[pid] else { return }
            entry.uid = ruid
            entry.user = UserNames.lookUp(ruid) ?? String(ruid)
            alive[pid] = entry
        case .exit(let pid, let tgid, let status, let parent):
            guard pid == tgid else { return }  // a thread
            var entry = alive[pid] ?? reader.process(pid, files: [.cmdline]).map(build) ?? Self.unknownEntry(pid: pid, ppid: parent)
            if parent > 0 { entry.ppid = parent }
            let key = entry.key
            var outcome = Outcome(waitStatus: status)
            if outcome == .killed(signal: 9), oomKilled[pid] != nil || kernelLog == nil && systemOOMRoseRecently(now) {
                outcome = .oomKilled
            }
            var record = exitRecord(entry, outcome: outcome, source: .procConnector, time: now)
            record.stoppedBySwtop = stopKind(key, outcome)
            dead[key] = Dead(entry: entry, deathTime: now, reported: true, outcome: outcome)
            connectorExits[pid] = now
            zombieChecks.append((key, now + options.zombieAfter))
            report(record, into: &events)
            // Its children get another parent as it exits: each is read again a moment later.
            if parents.remove(pid) != nil {
                let name = entry.name
                alive.forEach { child in
                    if child.ppid == pid, child.pid != pid { orphanChecks.append((child, pid, name, now + 0.05)) }
                }
            }
        }
    }

    /// The exits whose zombie report is due: still a zombie (the same process, by its start
    /// time) is reported, gone is forgotten.
    private func checkZombies(now: Double, into events: inout [LifecycleEvent]) {
        while zombieChecksDone < zombieChecks.count, zombieChecks[zombieChecksDone].due <= now {
            let key = zombieChecks[zombieChecksDone].key
            zombieChecksDone += 1
            guard var d = dead[key], !d.zombieReported else { continue }
            guard let raw = reader.process(key.id, files: []), raw.stat.state == UInt8(ascii: "Z"),
                key.startTicks == 0 || raw.stat.startTime == key.startTicks
            else {
                dead[key] = nil
                continue
            }
            d.zombieReported = true
            d.entry.ppid = raw.stat.ppid
            dead[key] = d
            let parentName = alive[raw.stat.ppid]?.name
            events.append(event(now, d.entry, .zombie(outcome: d.outcome, parentName: parentName, unreaped: now - d.deathTime)))
            record(events.last)
        }
        if zombieChecksDone > 1024, zombieChecksDone * 2 > zombieChecks.count {
            zombieChecks.removeFirst(zombieChecksDone)
            zombieChecksDone = 0
        }
    }

    /// The children of exited processes whose check is due: each that has a new parent is an
    /// orphan (read one by one, not the whole of /proc).
    private func checkOrphans(now: Double, into events: inout [LifecycleEvent]) {
        guard !orphanChecks.isEmpty else { return }
        var later: [(child: ProcessEntry, formerParent: Int32, formerName: String, due: Double)] = []
        for check in orphanChecks {
            guard check.due <= now else {
                later.append(check)
                continue
            }
            guard let raw = reader.process(check.child.pid, files: []), raw.stat.startTime == check.child.startTicks,
                raw.stat.ppid != check.formerParent
            else { continue }
            var child = alive[check.child.pid].flatMap { $0.startTicks == check.child.startTicks ? $0 : nil } ?? check.child
            child.ppid = raw.stat.ppid
            alive[child.pid] = child
            events.append(event(now, child, .orphan(formerParent: check.formerParent, formerParentName: check.formerName)))
        }
        orphanChecks = later
    }

    /// An entry for a process that exited before anything of it could be read.
    static func unknownEntry(pid: Int32, ppid: Int32) -> ProcessEntry {
        let stat = ProcStat(
            pid: pid, comm: [], state: UInt8(ascii: "X"), ppid: ppid, pgrp: 0, session: 0, ttyNr: 0, flags: 0, utime: 0,
            stime: 0, priority: 0, nice: 0, numThreads: 0, startTime: 0, vsize: 0, rss: 0)
        return ProcessEntry(raw: RawProcess(stat: stat, pid: pid, cmdline: []), pageSizeKB: 4)
    }

    /// A pidfd turned readable: the process died (it may not be reaped yet).
    private func died(_ key: ProcessKey, now: Double, into events: inout [LifecycleEvent]) {
        guard let entry = alive[key.id], entry.key == key else {
            pidfds?.forget(key)
            return
        }
        var record = Dead(entry: entry, deathTime: now, reported: false)
        // Judged at the death: the zombie has left its memory cgroup already, but the cgroup's
        // counter is the one to compare.
        record.oomAtDeath = oomCountersRose(for: key, now: now)
        dead[key] = record
        resolve(key, now: now, zombieStat: pidfds?.kernelGivesStatus != true, into: &events)
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
        if let s = pidfds?.status(of: key) {
            status = s
        } else if zombieStat, let raw = reader.process(key.id, files: []), raw.stat.startTime == key.startTicks, raw.stat.state == UInt8(ascii: "Z"),
            let s = raw.stat.exitCode, Outcome.canReadWaitStatus(of: d.entry.uid)
        {
            status = s
            source = .zombie
        }
        guard let status else { return }
        var outcome = Outcome(waitStatus: status)
        if outcome == .killed(signal: 9), d.oomAtDeath || oomKilled[key.id] != nil { outcome = .oomKilled }
        var record = exitRecord(d.entry, outcome: outcome, source: source, time: d.deathTime)
        record.stoppedBySwtop = stopKind(key, outcome)
        d.reported = true
        d.outcome = outcome
        dead[key] = d
        pidfds?.forget(key)
        report(record, into: &events)
    }

    private func resolvePending(now: Double, into events: inout [LifecycleEvent]) {
        for (key, d) in dead where !d.reported { resolve(key, now: now, zombieStat: pidfds?.kernelGivesStatus != true, into: &events) }
    }


    /// Reads /proc/vmstat's OOM kill count: whether it rose within the last two seconds (the
    /// killer counts the kill before its victim has finished dying).
    private func systemOOMRoseRecently(_ now: Double) -> Bool {
        if let kills = oom.systemKills() {
            if let last = lastSystemOOMKills, kills > last { systemOOMRise = now }
            lastSystemOOMKills = kills
        }
        return now - systemOOMRise <= 2
    }

    /// Without the kernel log: the system's and the process's memory cgroup's OOM counters
    /// both rose around its death.
    private func oomCountersRose(for key: ProcessKey, now: Double) -> Bool {
        guard systemOOMRoseRecently(now) || oomKilled[key.id] != nil else { return false }
        guard let cgroup = memoryCgroups[key] else { return false }
        let now = oom.kills(in: cgroup)
        defer { if let now { cgroupKills[cgroup] = now } }
        guard let now, let before = cgroupKills[cgroup] else { return false }
        return now > before
    }

    private func stopKind(_ key: ProcessKey, _ outcome: Outcome) -> StopKind? {
        guard let signal = sentBySwtop.removeValue(forKey: key) else { return nil }
        return signal == 9 && outcome == .killed(signal: 9) ? .forced : .graceful
    }

    // MARK: - Snapshots

    /// Takes a snapshot: what vanished, new zombies, orphans, and (without the kernel's
    /// reports) new processes to watch. Returns the events, the kernel's pending ones first.
    ///
    /// Its cost follows what changed: the snapshot and the last one are walked side by side by
    /// pid, and a process whose entry is the same reading as before (the sampler keeps the
    /// entry of a process that did not run) is passed over unread.
    public func update(with snapshot: Snapshot) -> [LifecycleEvent] {
        let now = snapshot.time
        var events = pollSources(now: now)
        let current = AliveProcesses.sortedByPID(snapshot.processes)
        let (vanished, changed) = differences(current)

        // Vanished: reaped (or never seen dying).
        for old in vanished {
            let key = old.key
            parents.remove(old.pid)
            zombiePIDs.remove(old.pid)
            if dead[key] == nil, connector != nil, connectorEvents > 0, connector?.lost == lostAtLastSnapshot {
                // The connector reports every exit as it happens (this one's perhaps under a key
                // read before its start time could be): a vanished process is no second end.
                continue
            }
            if dead[key] == nil {
                if connector != nil, connectorEvents == 0, now - lastSnapshotTime < 60 {
                    connectorIgnored()
                }
                var d = Dead(entry: old, deathTime: now, reported: false)
                if pidfds?.isWatching(key) == true { d.oomAtDeath = oomCountersRose(for: key, now: now) }
                dead[key] = d
            }
        }
        for (key, d) in dead where AliveProcesses.find(key.id, in: current)?.startTicks != key.startTicks {
            if !d.reported {
                resolve(key, now: now, into: &events)
                if dead[key]?.reported == false {
                    // Reaped before anything could tell how it ended.
                    report(exitRecord(d.entry, outcome: .unknown, source: .vanished, time: d.deathTime), into: &events)
                }
            }
            dead[key] = nil
            pidfds?.forget(key)
            memoryCgroups[key] = nil
            sentBySwtop[key] = nil
        }

        for (old, entry) in changed {
            let pid = entry.pid
            let key = entry.key
            if let old, old.startTicks == entry.startTicks {
                if old.ppid != entry.ppid, old.ppid > 1, isGone(old.ppid, current) {
                    let former = alive[old.ppid]
                    events.append(event(now, entry, .orphan(formerParent: old.ppid, formerParentName: former?.name ?? deadName(old.ppid))))
                }
            } else if let pidfds, !entry.isKernelThread, entry.state != .zombie {
                pidfds.watch(key)
                if let cgroup = oom.memoryCgroup(of: pid) {
                    memoryCgroups[key] = cgroup
                    if cgroupKills[cgroup] == nil { cgroupKills[cgroup] = oom.kills(in: cgroup) }
                }
            }
            parents.insert(entry.ppid)
            if entry.state == .zombie { zombiePIDs.insert(pid) } else { zombiePIDs.remove(pid) }
        }
        // Every zombie, changed or not: its report falls due while it waits.
        var zombiesNow: [ProcessEntry] = []
        for pid in zombiePIDs.sorted() {
            guard let entry = AliveProcesses.find(pid, in: current), entry.state == .zombie else {
                zombiePIDs.remove(pid)
                continue
            }
            zombiesNow.append(entry)
            zombie(entry, now: now, current: current, into: &events)
        }
        zombies = zombiesNow
        // What the connector reported since the snapshot was read is newer than the snapshot.
        var newer: [Int32: ProcessEntry] = [:]
        for pid in touched where connectorExits[pid] == nil {
            if let born = alive.newer[pid], AliveProcesses.find(pid, in: current).map({ $0.startTicks == born.startTicks || born.startTicks == 0 }) ?? true {
                newer[pid] = born
                parents.insert(born.ppid)
            }
        }
        touched.removeAll()
        alive.replace(list: current, newer: newer)
        connectorExits = connectorExits.filter { $0.value >= now - 1 }
        crashLoops.expire(now: now)
        endings.removeAll { now - $0.time > 600 }
        lastSnapshotTime = now
        lostAtLastSnapshot = connector?.lost ?? 0
        wantsSnapshot = false
        return events
    }

    /// The last snapshot's processes (with what the kernel reported since) against `current`
    /// (sorted by pid), one walk of both: those gone or replaced by another process under their
    /// pid, and those new or read anew, each with its earlier entry if it had one.
    private func differences(_ current: [ProcessEntry]) -> (vanished: [ProcessEntry], changed: [(old: ProcessEntry?, new: ProcessEntry)]) {
        var vanished: [ProcessEntry] = []
        var changed: [(old: ProcessEntry?, new: ProcessEntry)] = []
        let previous = alive.list
        let newer = alive.newer
        // The pids the kernel's reports gave newer entries: the walk passes them up in order.
        let newerPIDs = newer.keys.sorted()
        var n = 0
        func isNewer(_ pid: Int32) -> Bool {
            while n < newerPIDs.count, newerPIDs[n] < pid { n += 1 }
            return n < newerPIDs.count && newerPIDs[n] == pid
        }
        var i = 0
        var j = 0
        while i < previous.count || j < current.count {
            if i < previous.count, j < current.count, current[j].isSameReading(as: previous[i]) {
                // Unchanged, unless the kernel reported something newer of it.
                let entry = current[j]
                if !entry.isSecondaryThread, isNewer(entry.pid) {
                    let old = newer[entry.pid]
                    if let old, old.startTicks != entry.startTicks { vanished.append(old) }
                    changed.append((old, entry))
                }
                i += 1
                j += 1
                continue
            }
            if i < previous.count, previous[i].isSecondaryThread {
                i += 1
                continue
            }
            if j < current.count, current[j].isSecondaryThread {
                j += 1
                continue
            }
            let oldPID = i < previous.count ? previous[i].pid : Int32.max
            let newPID = j < current.count ? current[j].pid : Int32.max
            if i < previous.count, oldPID < newPID || j == current.count {
                // Gone (the newer entry, if any, is looked at with the others below).
                if !isNewer(oldPID) { vanished.append(previous[i]) }
                i += 1
            } else if i < previous.count, oldPID == newPID {
                let entry = current[j]
                let old = isNewer(oldPID) ? newer[oldPID] : previous[i]
                if let old, old.startTicks != entry.startTicks { vanished.append(old) }
                changed.append((old, entry))
                i += 1
                j += 1
            } else {
                let entry = current[j]
                let old = isNewer(newPID) ? newer[newPID] : nil
                if let old, old.startTicks != entry.startTicks { vanished.append(old) }
                changed.append((old, entry))
                j += 1
            }
        }
        // Newer entries of pids the snapshot lacks, and of none the last one had.
        for (pid, old) in newer where AliveProcesses.find(pid, in: current) == nil {
            vanished.append(old)
        }
        return (vanished, changed)
    }

    private func isGone(_ pid: Int32, _ current: [ProcessEntry]) -> Bool {
        guard let parent = AliveProcesses.find(pid, in: current) else { return true }
        return parent.state == .zombie || alive[pid].map { $0.startTicks != parent.startTicks } ?? true
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
        var d = dead[key] ?? Dead(entry: alive[entry.pid].flatMap { $0.key == key ? $0 : nil } ?? entry, deathTime: now, reported: false)
        // A zombie's command line reads empty: what was known of it alive is kept.
        if d.entry.cmdline?.isEmpty != false, entry.cmdline?.isEmpty == false { d.entry.keepCommandLine(of: entry) }
        if d.entry.name.isEmpty { d.entry.name = entry.name }
        d.entry.ppid = entry.ppid
        d.entry.state = .zombie
        d.entry.waitStatus = entry.waitStatus
        dead[key] = d
        if !d.reported {
            resolve(key, now: now, into: &events)
            d = dead[key] ?? d
        }
        let unreaped = now - d.deathTime
        if !d.zombieReported, unreaped >= options.zombieAfter {
            d.zombieReported = true
            dead[key] = d
            let outcome = Outcome.ofZombie(entry)
            let parentName = AliveProcesses.find(entry.ppid, in: current)?.name
            events.append(event(now, d.entry, .zombie(outcome: outcome, parentName: parentName, unreaped: unreaped)))
            record(events.last)
        }
    }


    /// The process row of `pid` in the last snapshot.
    public func snapshotProcess(_ pid: Int32) -> ProcessEntry? {
        AliveProcesses.find(pid, in: alive.list)
    }

    /// Seconds a zombie has been unreaped (since its death, or since swtop first saw it as a
    /// zombie); nil for anything else.
    public func unreapedSeconds(_ key: ProcessKey, now: Double) -> Double? {
        dead[key].map { now - $0.deathTime }
    }

    private func connectorIgnored() {
        connector = nil
        notes.append("the proc connector sent nothing while processes exited (a container?): using pidfds")
        startPidfds()
    }

    // MARK: - Reporting

    private func exitRecord(_ entry: ProcessEntry, outcome: Outcome, source: ExitSource, time: Double) -> ExitRecord {
        let parent = alive[entry.ppid]
        return ExitRecord(process: facts(entry), outcome: outcome, source: source, time: time, parentName: parent?.name)
    }

    private func report(_ record: ExitRecord, into events: inout [LifecycleEvent]) {
        events.append(LifecycleEvent(time: record.time, process: record.process, kind: .exit(record)))
        self.record(events.last)
        endings.append((record.time, record.outcome))
        if let loop = crashLoops.record(record) {
            events.append(LifecycleEvent(time: record.time, process: record.process, kind: .crashLoop(loop)))
            self.record(events.last)
        }
    }

    private func event(_ time: Double, _ entry: ProcessEntry, _ kind: LifecycleEvent.Kind) -> LifecycleEvent {
        let e = LifecycleEvent(time: time, process: facts(entry), kind: kind)
        if case .orphan = kind { record(e) }
        return e
    }

    private func record(_ event: LifecycleEvent?) {
        guard let event else { return }
        recent.append(event)
        if recent.count > Self.recentLimit { recent.removeFirst(recent.count - Self.recentLimit) }
    }

    /// What is told of a process. Its start time is worked out from the clocks, to the clock
    /// tick: /proc/stat's btime (which the snapshots use, as ps does) is cut to the second, and
    /// would make a process of 5 ms look up to a second old.
    public func facts(_ entry: ProcessEntry) -> ProcessFacts {
        let start = entry.startTicks == 0 || !reader.isLive ? entry.startTime : bootTime + Double(entry.startTicks) / ticksPerSecond
        return ProcessFacts(
            key: entry.key, name: entry.name, cmdline: entry.cmdline ?? [], ppid: entry.ppid, uid: entry.uid,
            user: entry.user, startTime: start)
    }

    // MARK: - What the screen shows

    /// Ends within the last `window` seconds: how many, how many failed, how many OOM kills.
    public func endingsSummary(now: Double, window: Double = 300) -> (ended: Int, failed: Int, oomKilled: Int) {
        var ended = 0, failed = 0, oom = 0
        for e in endings where now - e.time <= window {
            ended += 1
            if e.outcome.isFailure { failed += 1 }
            if e.outcome == .oomKilled { oom += 1 }
        }
        return (ended, failed, oom)
    }

    /// Whether this process's command is in a crash loop under its parent.
    public func isCrashLooping(_ entry: ProcessEntry, now: Double) -> Bool {
        crashLoops.isLooping(command: facts(entry).command, parent: entry.ppid, now: now)
    }

    public func crashLoopsNow(now: Double) -> [CrashLoop] { crashLoops.loops(now: now) }

    /// How the process with this key ended, when swtop saw it end.
    public func outcome(of key: ProcessKey) -> Outcome? {
        for event in recent.reversed() {
            if case .exit(let record) = event.kind, record.process.key == key { return record.outcome }
        }
        return nil
    }
}
