import ProcFS
import ProcessModel

/// The table of living processes as the lifecycle monitor knows them: the last snapshot's, kept
/// up to date between snapshots from what the kernel reports (births, execs, uid changes), and
/// the pids that have children (only their exits can leave orphans).
struct ProcessTable {
    /// Every process of the last snapshot (and, with the connector, those born since), by pid.
    private(set) var alive = AliveProcesses()
    /// Pids the kernel reported born or exec'd since the last snapshot: their entries, read as it
    /// happened, are newer than the snapshot's.
    private var touched: Set<Int32> = []
    /// The pids that have children (in the snapshots, or forked since; a pid leaves at its
    /// exit). Kept up to date from what changed, so a pid whose children have all ended stays
    /// until it ends itself, which costs only a look.
    private var parents: Set<Int32> = []
    /// Children forked since the last snapshot that have not exec'd: they run their parent's
    /// program (a pre-fork server's workers) until they do.
    private(set) var forkedOnly: Set<Int32> = []
    /// Pids that renamed themselves (a comm event) since their last exec: read again a moment
    /// later, for the command line they often rewrite with the name.
    private var named: Set<Int32> = []
    /// Processes to read again a moment after a fork or a rename, oldest first: a worker sets its
    /// title right after the fork (nginx: "nginx: worker process"), and a process that renames
    /// itself often rewrites its command line too. An end then carries what it last had.
    private var rereads: [(pid: Int32, due: Double)] = []
    /// The names the kernel gave programs at exec (the signal tracepoint's COMM records, read in
    /// the same batch as the exec event or before it), until the exec is taken: a program that
    /// ended before /proc could be read is named by them.
    var execNames: [Int32: (name: String, time: Double)] = [:] {
        didSet { if execNames.count > 65_536 { execNames.removeAll() } }  // exec events lost
    }
    /// How long after a fork or rename the process is read again.
    static let rereadDelay = 0.05

    private let reader: ProcReader
    private let build: (RawProcess) -> ProcessEntry

    init(reader: ProcReader, build: @escaping (RawProcess) -> ProcessEntry) {
        self.reader = reader
        self.build = build
    }

    subscript(pid: Int32) -> ProcessEntry? {
        get { alive[pid] }
        set { alive[pid] = newValue }
    }

    /// The process row of `pid` in the last snapshot.
    func snapshotProcess(_ pid: Int32) -> ProcessEntry? {
        AliveProcesses.find(pid, in: alive.list)
    }

    // MARK: - The kernel's reports

    mutating func forked(parent: Int32, child: Int32, now: Double) {
        parents.insert(parent)
        forkedOnly.insert(child)
        named.remove(child)
        rereads.append((child, now + Self.rereadDelay))
        let parentEntry = alive[parent]
        if let raw = reader.process(child, files: parentEntry == nil ? [.status, .cmdline, .cgroup] : []) {
            var entry = build(raw)
            if let parentEntry {
                entry.keepCommandLine(of: parentEntry)
                // The kernel forks a child into its parent's cgroup: nothing to read at the fork,
                // the costliest moment (a busy shell forks thousands a second). One born
                // elsewhere (clone3's CLONE_INTO_CGROUP) or moved before its exec (systemd,
                // runc) is read at the exec; a child moved and never exec'd keeps this until
                // the next snapshot reads it.
                entry.membership = parentEntry.membership
            }
            alive[child] = entry
            touched.insert(child)
        } else if let parentEntry {
            // Gone already: until it execs, a child is its parent's program.
            alive[child] = parentEntry.forkedChild(pid: child)
            touched.insert(child)
        }
    }

    mutating func execed(pid: Int32) {
        let old = alive[pid]
        forkedOnly.remove(pid)
        named.remove(pid)
        let execName = execNames.removeValue(forKey: pid)?.name
        // The cgroup too: where a service manager or a container runtime moved the process
        // (between its fork and this exec), here is where it runs from now on.
        guard let raw = reader.process(pid, files: old.map { $0.startTicks == 0 } ?? true ? [.status, .cmdline, .cgroup] : [.cmdline, .cgroup]) else {
            // It runs another program now, which could not be read: named as the kernel named it
            // at exec where that is known, its command line unknown.
            if var entry = old ?? execName.map({ _ in Self.unknownEntry(pid: pid, ppid: 0) }) {
                entry.name = execName ?? ""
                entry.cmdline = []
                alive[pid] = entry
                touched.insert(pid)
            }
            return
        }
        var entry = build(raw)
        if let old, old.startTicks == entry.startTicks, entry.uid == nil {
            // The uid is kept (uid events say when it changes).
            entry.setOwner(uid: old.uid, user: old.user)
        }
        // A cgroup that could not be read (it exited meanwhile) is the one it had.
        if let old, old.startTicks == entry.startTicks || old.startTicks == 0, entry.membership == nil {
            entry.membership = old.membership
        }
        alive[pid] = entry
        touched.insert(pid)
    }

    /// The kernel's comm event: the process renamed itself (`prctl(PR_SET_NAME)`; an exec sends
    /// none, its exec event is read instead).
    mutating func renamed(pid: Int32, name: String, now: Double) {
        var entry = alive[pid] ?? Self.unknownEntry(pid: pid, ppid: 0)
        entry.name = name
        alive[pid] = entry
        touched.insert(pid)
        named.insert(pid)
        rereads.append((pid, now + Self.rereadDelay))
    }

    /// Reads again the processes whose moment after a fork or rename has come (each one file,
    /// `cmdline`, and its `stat`): still the same process (by start time), it now carries its
    /// own title. Returns the children that have run their parent's program since their fork,
    /// now a run of it (those that exec'd are runs of what they exec'd).
    mutating func reread(now: Double) -> [ProcessEntry] {
        var forkRuns: [Int32] = []
        var n = 0
        while n < rereads.count, rereads[n].due <= now {
            let pid = rereads[n].pid
            n += 1
            // An exec'd program was read at its exec: only forks and renames are read again.
            let forkRun = forkedOnly.remove(pid) != nil
            if forkRun { forkRuns.append(pid) }
            guard forkRun || named.contains(pid), let old = alive[pid], old.startTicks != 0, let raw = reader.process(pid, files: [.cmdline]),
                raw.stat.startTime == old.startTicks
            else { continue }
            var entry = build(raw)
            if entry.uid == nil { entry.setOwner(uid: old.uid, user: old.user) }
            entry.keepOccasionalFields(of: old)
            alive[pid] = entry
            touched.insert(pid)
        }
        if n > 0 { rereads.removeFirst(n) }
        return forkRuns.compactMap { alive[$0] }
    }

    /// A process ended: what was pending for it goes. Returns whether it was a child that ran
    /// its parent's program since its fork (a run of it, that ended before it was read again).
    mutating func exited(_ pid: Int32) -> Bool {
        named.remove(pid)
        return forkedOnly.remove(pid) != nil
    }

    /// An entry for a process that exited before anything of it could be read but, where the
    /// kernel said it at exec, its name.
    mutating func unreadEntry(pid: Int32, ppid: Int32) -> ProcessEntry {
        var entry = Self.unknownEntry(pid: pid, ppid: ppid)
        if let exec = execNames.removeValue(forKey: pid) { entry.name = exec.name }
        return entry
    }

    /// An entry for a process that exited before anything of it could be read.
    static func unknownEntry(pid: Int32, ppid: Int32) -> ProcessEntry {
        let stat = ProcStat(
            pid: pid, comm: [], state: UInt8(ascii: "X"), ppid: ppid, pgrp: 0, session: 0, ttyNr: 0, flags: 0, utime: 0,
            stime: 0, priority: 0, nice: 0, numThreads: 0, startTime: 0, vsize: 0, rss: 0)
        return ProcessEntry(raw: RawProcess(stat: stat, pid: pid, cmdline: []), pageSizeKB: 4)
    }

    mutating func uidChanged(pid: Int32, ruid: UInt32) {
        guard var entry = alive[pid] else { return }
        entry.setOwner(uid: ruid, user: UserNames.lookUp(ruid) ?? String(ruid))
        alive[pid] = entry
    }

    /// The entry of a process that exited: as known alive, else read now, else nil.
    func exiting(_ pid: Int32) -> ProcessEntry? {
        alive[pid] ?? reader.process(pid, files: [.cmdline, .cgroup]).map(build)
    }

    /// Forgets `pid` as a parent; returns its children when it had some (they are orphans now).
    mutating func parentExited(_ pid: Int32) -> [ProcessEntry] {
        guard parents.remove(pid) != nil else { return [] }
        var children: [ProcessEntry] = []
        alive.forEach { child in
            if child.ppid == pid, child.pid != pid { children.append(child) }
        }
        return children
    }

    // MARK: - Snapshots

    mutating func vanished(_ pid: Int32) { parents.remove(pid) }

    mutating func isParent(_ pid: Int32) { parents.insert(pid) }

    /// Takes the snapshot's processes (sorted by pid) as the table, keeping over them what the
    /// kernel reported since it was read (newer than the snapshot), except of `exited` pids.
    mutating func replace(with current: [ProcessEntry], exited: [Int32: Double]) {
        var newer: [Int32: ProcessEntry] = [:]
        for pid in touched where exited[pid] == nil {
            if let born = alive.newer[pid], AliveProcesses.find(pid, in: current).map({ $0.startTicks == born.startTicks || born.startTicks == 0 }) ?? true {
                newer[pid] = born
                parents.insert(born.ppid)
            }
        }
        touched.removeAll()
        alive.replace(list: current, newer: newer)
    }

    /// Whether `pid`'s process is gone from `current` (or a zombie, or another process now).
    func isGone(_ pid: Int32, _ current: [ProcessEntry]) -> Bool {
        guard let parent = AliveProcesses.find(pid, in: current) else { return true }
        return parent.state == .zombie || alive[pid].map { $0.startTicks != parent.startTicks } ?? true
    }

    /// The last snapshot's processes (with what the kernel reported since) against `current`
    /// (sorted by pid), one walk of both: those gone or replaced by another process under their
    /// pid, and those new or read anew, each with its earlier entry if it had one.
    ///
    /// Its cost follows what changed: a process whose entry is the same reading as before (the
    /// sampler keeps the entry of a process that did not run) is passed over unread.
    func differences(_ current: [ProcessEntry]) -> (vanished: [ProcessEntry], changed: [(old: ProcessEntry?, new: ProcessEntry)]) {
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
}
