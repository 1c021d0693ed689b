import ProcFS

/// Pairs the rows of two snapshots that are the same process: the same id and the same start
/// time, so a reused PID is a new process. Samplers list rows in row order (pid, then tid): then
/// it is one pass over both; otherwise a dictionary.
public enum SnapshotPairing {
    /// For each entry of `new`, the index in `old` of the same process, or nil when it is new.
    public static func previousIndices(of new: [ProcessEntry], in old: [ProcessEntry]) -> [Int?] {
        guard isInRowOrder(new), isInRowOrder(old) else { return byDictionary(new, old) }
        var result: [Int?] = []
        result.reserveCapacity(new.count)
        var j = 0
        for entry in new {
            let position = rowPosition(entry)
            while j < old.count, rowPosition(old[j]) < position { j += 1 }
            if j < old.count, rowPosition(old[j]) == position, old[j].startTicks == entry.startTicks {
                result.append(j)
            } else {
                result.append(nil)
            }
        }
        return result
    }

    private static func rowPosition(_ e: ProcessEntry) -> (Int32, Int32) { (e.pid, e.tid ?? 0) }

    private static func isInRowOrder(_ entries: [ProcessEntry]) -> Bool {
        var last: (Int32, Int32)?
        for entry in entries {
            let position = rowPosition(entry)
            if let last, !(last < position) { return false }
            last = position
        }
        return true
    }

    private static func byDictionary(_ new: [ProcessEntry], _ old: [ProcessEntry]) -> [Int?] {
        var index: [ProcessKey: Int] = [:]
        index.reserveCapacity(old.count)
        for (i, entry) in old.enumerated() { index[entry.key] = i }
        return new.map { index[$0.key] }
    }
}
