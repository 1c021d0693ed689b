extension Snapshot {
    /// Fills in each process's I/O rates from an earlier snapshot: bytes over the interval, for
    /// a process whose `io` both snapshots read (matched by pid and start time). Everything else
    /// (one sample, unreadable, not read, new) stays nil: never 0 for "unknown".
    public mutating func computeIORates(since previous: Snapshot, pairs: [Int?]) {
        let elapsed = monotonic - previous.monotonic
        for i in processes.indices {
            var read: Double?
            var write: Double?
            if elapsed > 0, let j = pairs[i] {
                let before = previous.processes[j]
                let now = processes[i]
                // A counter that went down (it cannot, but the numbers are untrusted) is unknown.
                if let a = before.ioReadBytes, let b = now.ioReadBytes, b >= a { read = Double(b - a) / elapsed }
                if let a = before.ioWriteBytes, let b = now.ioWriteBytes, b >= a { write = Double(b - a) / elapsed }
            }
            // Checked here too: calling a mutating method on an element copies the array (which
            // the sampler keeps as well) before the method can find nothing changed.
            if processes[i].ioReadRate != read || processes[i].ioWriteRate != write {
                processes[i].setIORates(read: read, write: write)
            }
        }
    }
}

/// Counts each process's zombie children.
public enum ZombieChildren {
    /// Sets `zombieChildren` of every process row: its direct children in state Z. Thread rows
    /// (secondary threads) are neither parents nor children here.
    public static func count(_ processes: inout [ProcessEntry]) {
        var zombies: [Int32: Int32] = [:]
        for p in processes where p.state == .zombie && !p.isSecondaryThread {
            zombies[p.ppid, default: 0] += 1
        }
        for i in processes.indices where !processes[i].isSecondaryThread {
            // Only a changed count is written: a write copies the array (shared with the
            // sampler's own) and the box (shared with the previous refresh).
            let count = zombies[processes[i].pid] ?? 0
            if processes[i].zombieChildren != count { processes[i].zombieChildren = count }
        }
    }
}
