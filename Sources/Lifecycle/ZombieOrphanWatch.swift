import ProcFS
import ProcessModel

/// The zombie and orphan watch: which processes are zombies now, and, with the proc connector
/// (where /proc is read only now and then), the exits to look at again when a zombie report
/// would fall due and the children to look at once their parent has exited. Each look reads one
/// process's `stat`, not the whole of /proc.
struct ZombieOrphanWatch {
    /// A child of an exited process, to look at once the kernel has given it its new parent.
    struct OrphanCheck {
        var child: ProcessEntry
        var formerParent: Int32
        var formerName: String
        var due: Double
    }

    /// The pids whose entry in the last snapshot is a zombie: each is looked at every snapshot
    /// (its report is due after `zombieAfter`), though its entry does not change.
    private var zombiePIDs: Set<Int32> = []
    /// The zombies of the last snapshot, by pid.
    private(set) var zombies: [ProcessEntry] = []
    /// Exits to look at again when a zombie would be reported, oldest first. Most were reaped at
    /// once and are dropped then; one still a zombie is reported without reading all of /proc.
    private var zombieChecks: [(key: ProcessKey, due: Double)] = []
    private var zombieChecksDone = 0
    private var orphanChecks: [OrphanCheck] = []
    /// The children of `orphanChecks` not reported yet (a shell that exits can leave thousands:
    /// each report is a lookup here, not a pass over the checks).
    private var pendingOrphans: Set<ProcessKey> = []

    // MARK: - Zombies

    /// A process of the snapshot, zombie or not.
    mutating func saw(_ entry: ProcessEntry) {
        if entry.state == .zombie { zombiePIDs.insert(entry.pid) } else { zombiePIDs.remove(entry.pid) }
    }

    mutating func vanished(_ pid: Int32) { zombiePIDs.remove(pid) }

    /// The zombies of the snapshot `current` (sorted by pid), by pid: kept as `zombies`.
    mutating func zombies(in current: [ProcessEntry]) -> [ProcessEntry] {
        var found: [ProcessEntry] = []
        for pid in zombiePIDs.sorted() {
            guard let entry = AliveProcesses.find(pid, in: current), entry.state == .zombie else {
                zombiePIDs.remove(pid)
                continue
            }
            found.append(entry)
        }
        zombies = found
        return found
    }

    /// Looks at this exit again at `due`.
    mutating func checkZombie(_ key: ProcessKey, due: Double) {
        zombieChecks.append((key, due))
    }

    /// The exits whose look is due, each with its parent when it is still a zombie (the same
    /// process, by its start time), nil when it is gone.
    mutating func dueZombies(now: Double, reader: ProcReader) -> [(key: ProcessKey, parent: Int32?)] {
        var due: [(key: ProcessKey, parent: Int32?)] = []
        while zombieChecksDone < zombieChecks.count, zombieChecks[zombieChecksDone].due <= now {
            let key = zombieChecks[zombieChecksDone].key
            zombieChecksDone += 1
            due.append((key, Self.zombieParent(key, reader: reader)))
        }
        if zombieChecksDone == zombieChecks.count, zombieChecks.capacity > 1024 {
            // All looked at after a burst of exits: the room goes too.
            zombieChecks = []
            zombieChecksDone = 0
        } else if zombieChecksDone > 1024, zombieChecksDone * 2 > zombieChecks.count {
            zombieChecks.removeFirst(zombieChecksDone)
            zombieChecksDone = 0
        }
        return due
    }

    /// The parent of the process `key` if it is a zombie now (the same process, by its start
    /// time where known).
    static func zombieParent(_ key: ProcessKey, reader: ProcReader) -> Int32? {
        guard let raw = reader.process(key.id, files: []), raw.stat.state == UInt8(ascii: "Z"),
            key.startTicks == 0 || raw.stat.startTime == key.startTicks
        else { return nil }
        return raw.stat.ppid
    }

    // MARK: - Orphans

    /// Looks at these children of an exited parent at `due`.
    mutating func checkOrphans(_ children: [ProcessEntry], formerParent: Int32, formerName: String, due: Double) {
        for child in children {
            orphanChecks.append(OrphanCheck(child: child, formerParent: formerParent, formerName: formerName, due: due))
            pendingOrphans.insert(child.key)
        }
    }

    /// An orphan was reported from a snapshot: a look still pending at it (its parent's exit
    /// was read in the same update, the look falls due after it) would report it again.
    mutating func orphanReported(_ key: ProcessKey) {
        pendingOrphans.remove(key)
    }

    /// The children whose look is due and that have a new parent now (each with it).
    mutating func dueOrphans(now: Double, reader: ProcReader) -> [(check: OrphanCheck, newParent: Int32)] {
        guard !orphanChecks.isEmpty else { return [] }
        var orphans: [(check: OrphanCheck, newParent: Int32)] = []
        var later: [OrphanCheck] = []
        for check in orphanChecks where pendingOrphans.contains(check.child.key) {
            guard check.due <= now else {
                later.append(check)
                continue
            }
            guard let raw = reader.process(check.child.pid, files: []), raw.stat.startTime == check.child.startTicks,
                raw.stat.ppid != check.formerParent
            else { continue }
            orphans.append((check, raw.stat.ppid))
        }
        orphanChecks = later
        if later.isEmpty { pendingOrphans.removeAll() }
        return orphans
    }
}
