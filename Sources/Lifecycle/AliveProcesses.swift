import ProcessModel

/// The processes the lifecycle monitor last saw alive, by pid: the last snapshot's own array of
/// processes (sorted by pid, shared with the snapshot, so it costs no copy), and over it the
/// few entries the kernel's reports made newer since (born, exec'd, given a new uid or parent).
///
/// A dictionary of every process cost two hash tables of it a refresh (the old one and the one
/// being built: about 0.45 MB at 5,000 processes, 1.8 MB at 15,000) and three hashed passes.
struct AliveProcesses {
    /// Sorted by pid (checked where it is taken, see `sortedByPID`); secondary thread rows of
    /// the thread view are skipped by every look-up.
    private(set) var list: [ProcessEntry] = []
    /// Entries newer than `list`'s (or of pids it lacks), from the kernel's reports.
    private(set) var newer: [Int32: ProcessEntry] = [:]

    subscript(pid: Int32) -> ProcessEntry? {
        get { newer.isEmpty ? Self.find(pid, in: list) : newer[pid] ?? Self.find(pid, in: list) }
        set { newer[pid] = newValue }
    }

    /// Every process, each pid once (the newer entry where there is one).
    func forEach(_ body: (ProcessEntry) -> Void) {
        for (_, entry) in newer { body(entry) }
        for entry in list where !entry.isSecondaryThread && (newer.isEmpty || newer[entry.pid] == nil) { body(entry) }
    }

    /// Takes a snapshot's processes (sorted) and the newer entries to keep over them.
    mutating func replace(list: [ProcessEntry], newer: [Int32: ProcessEntry]) {
        self.list = list
        self.newer = newer
    }

    /// The process row of `pid` in a list sorted by pid: a binary search, then past the rows of
    /// its threads.
    static func find(_ pid: Int32, in list: [ProcessEntry]) -> ProcessEntry? {
        var low = 0
        var high = list.count
        while low < high {
            let mid = low + (high - low) / 2
            if list[mid].pid < pid { low = mid + 1 } else { high = mid }
        }
        while low < list.count, list[low].pid == pid {
            if !list[low].isSecondaryThread { return list[low] }
            low += 1
        }
        return nil
    }

    /// The processes sorted by pid: as given where they are (a sampler's snapshot always is, so
    /// the array is shared, not copied), else a sorted copy (rows of one pid in their order).
    static func sortedByPID(_ list: [ProcessEntry]) -> [ProcessEntry] {
        var previous = Int32.min
        for entry in list {
            guard entry.pid >= previous else {
                return list.enumerated().sorted { ($0.element.pid, $0.offset) < ($1.element.pid, $1.offset) }.map(\.element)
            }
            previous = entry.pid
        }
        return list
    }
}
