import ProcFS
import ProcessModel
/// `swtop --once`: a few summary lines, then one row per process, like `top -b -n 1`.
public struct PlainTable {
    public var snapshot: Snapshot
    public var rows: [(entry: ProcessEntry, depth: Int?)]
    /// Lines are cut to this many characters when set (a terminal), as ps does.
    public var width: Int?
    /// From the registry: htop's defaults, with TID after PID in the thread view.
    public var columns: [Column]
    /// Grouped by cgroup (`--group-by cgroup`): a heading line before each group, its path, as
    /// systemd-cgls heads each cgroup.
    public var cgroupHeadings = false

    public init(snapshot: Snapshot, rows: [(entry: ProcessEntry, depth: Int?)], width: Int? = nil, showTID: Bool = false) {
        self.snapshot = snapshot
        self.rows = rows
        self.width = width
        var columns = Column.defaults
        if showTID { columns.insert(.tid, at: 1) }
        self.columns = columns
    }

    public func render() -> String {
        var out = ""
        for line in summary() { out += cut(line) + "\n" }
        out += "\n"
        out += cut(trimmed(columns.map(\.paddedTitle).joined(separator: " "))) + "\n"
        let context = Column.Context(snapshot)
        var group: String??
        for row in rows {
            if cgroupHeadings, group != .some(row.entry.cgroup) {
                group = .some(row.entry.cgroup)
                out += cut("── " + (row.entry.cgroup.map(DisplayText.escaped) ?? "(cgroup unknown)")) + "\n"
            }
            out += cut(line(row.entry, depth: row.depth, context: context)) + "\n"
        }
        return out
    }

    /// Lines of at most 80 columns whatever the figures (a terminal of 80 cuts nothing): the
    /// time and uptime; the task counts and states in the screen's words (TaskCounts); CPU and
    /// load; memory.
    public func summary() -> [String] {
        let s = snapshot
        let sys = s.system
        var first = "swtop - " + Format.rfc3339(s.time)
        if let up = sys.uptime { first += " up " + Format.uptime(up.seconds) }
        let t = s.tasks
        var cpu = "CPU: \(sys.cpus) online"
        if let pct = sys.cpuPercent, s.interval > 0 {
            cpu += ", " + Format.fixed(pct, decimals: 1) + "% busy over " + Format.fixed(s.interval, decimals: 1) + " s"
        }
        if let l = sys.load {
            cpu += "; load average: " + Format.fixed(l.one, decimals: 2) + ", " + Format.fixed(l.five, decimals: 2) + ", " + Format.fixed(l.fifteen, decimals: 2)
        }
        var lines = [first, TaskCounts.text(t.tasksLine), TaskCounts.text(t.statesLine), cpu]
        if let m = sys.memory {
            lines.append("Mem: " + Format.kib(m.memUsed) + " used of " + Format.kib(m.memTotal) + ", " + Format.kib(m.memAvailable) + " available; Swap: " + Format.kib(m.swapUsed) + " used of " + Format.kib(m.swapTotal))
        }
        return lines
    }

    /// One process: its cells padded as the titles are; in a tree, the last column (the
    /// command) indented two spaces a level, then the row's mark.
    public func line(_ p: ProcessEntry, depth: Int?, context: Column.Context) -> String {
        var cells: [String] = []
        cells.reserveCapacity(columns.count)
        for (i, column) in columns.enumerated() {
            var text = column.text(p, context)
            if i == columns.count - 1 {
                if column == .command, let mark = Self.mark(p) { text = "[" + mark + "] " + text }
                if let depth { text = String(repeating: "  ", count: depth) + text }
            }
            cells.append(column.padded(text))
        }
        return trimmed(cells.joined(separator: " "))
    }

    /// Without the spaces a left-aligned last column (`-o pid,comm`) is padded with, as ps
    /// ends its lines.
    private func trimmed(_ line: String) -> String {
        guard let last = columns.last, last.alignment == .left, last.width > 0, line.last == " " else { return line }
        return TextLayout.trimmedTrailing(line)
    }

    /// A row's mark before its command, after the tree's indent (as the screen puts its marks
    /// after the branches): a parent holding zombies, in the screen's words.
    static func mark(_ p: ProcessEntry) -> String? {
        guard p.zombieChildren > 0, !p.isSecondaryThread else { return nil }
        return ReapingCheck.parentMark(zombies: Int(p.zombieChildren), namespaceInitNotReaping: ReapingCheck.notReapingAtOneLook(p))
    }

    private func cut(_ line: String) -> String {
        guard let width, line.count > width else { return line }
        return String(line.prefix(width))
    }
}
