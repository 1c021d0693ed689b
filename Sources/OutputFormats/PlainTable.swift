import ProcFS
import ProcessModel
/// `swtop --once`: a few summary lines, then one row per process, like `top -b -n 1`.
public struct PlainTable {
    public var snapshot: Snapshot
    public var rows: [(entry: ProcessEntry, depth: Int?)]
    /// Lines are cut to this many characters when set (a terminal), as ps does.
    public var width: Int?
    public var showTID: Bool

    public init(snapshot: Snapshot, rows: [(entry: ProcessEntry, depth: Int?)], width: Int? = nil, showTID: Bool = false) {
        self.snapshot = snapshot
        self.rows = rows
        self.width = width
        self.showTID = showTID
    }

    public func render() -> String {
        var out = ""
        for line in summary() { out += cut(line) + "\n" }
        out += "\n"
        var header = showTID ? "    PID     TID" : "    PID"
        header += " USER       PRI  NI   VIRT    RES S  THR  CPU%  MEM%     TIME+ COMMAND"
        out += cut(header) + "\n"
        for row in rows { out += cut(line(row.entry, depth: row.depth)) + "\n" }
        return out
    }

    public func summary() -> [String] {
        let s = snapshot
        let sys = s.system
        var first = "swtop - " + Format.rfc3339(s.time)
        if let up = sys.uptime { first += " up " + Format.uptime(up.seconds) }
        if let l = sys.load {
            first += ", load average: " + Format.fixed(l.one, decimals: 2) + ", " + Format.fixed(l.five, decimals: 2) + ", " + Format.fixed(l.fifteen, decimals: 2)
        }
        let t = s.tasks
        // Idle kernel threads (state I) have a count of their own, so that the states add up to
        // the total.
        let tasks = "Tasks: \(t.total) total, \(t.running) running, \(t.sleeping) sleeping, \(t.idle) idle, \(t.diskSleep) disk sleep, \(t.stopped) stopped, \(t.zombie) zombie; \(t.threads) threads, \(t.kernelThreads) kernel threads"
        var cpu = "CPU: \(sys.cpus) online"
        if let pct = sys.cpuPercent, s.interval > 0 {
            cpu += ", " + Format.fixed(pct, decimals: 1) + "% busy over " + Format.fixed(s.interval, decimals: 1) + " s"
        }
        var lines = [first, tasks, cpu]
        if let m = sys.memory {
            lines.append("Mem: " + Format.kib(m.memTotal) + " total, " + Format.kib(m.memUsed) + " used, " + Format.kib(m.memAvailable) + " available; Swap: " + Format.kib(m.swapTotal) + " total, " + Format.kib(m.swapUsed) + " used")
        }
        return lines
    }

    public func line(_ p: ProcessEntry, depth: Int?) -> String {
        var l = leftPad(String(p.pid), 7)
        if showTID { l += " " + leftPad(p.tid.map(String.init) ?? "-", 7) }
        let user = p.user ?? p.uid.map(String.init) ?? "?"
        l += " " + rightPad(DisplayText.escaped(user), 9, cut: true)
        l += " " + leftPad(p.isKernelThread || p.priority > -100 ? String(p.priority) : "RT", 4)
        l += " " + leftPad(String(p.nice), 3)
        l += " " + leftPad(p.vszKB.map(Format.kib) ?? "-", 6)
        l += " " + leftPad(p.rssKB.map(Format.kib) ?? "-", 6)
        l += " " + p.state.letter
        l += " " + leftPad(String(p.threads), 4)
        l += " " + leftPad(p.cpuPercent.map { Format.fixed($0, decimals: 1) } ?? "-", 5)
        l += " " + leftPad(p.memPercent.map { Format.fixed($0, decimals: 1) } ?? "-", 5)
        l += " " + leftPad(Format.cpuTime(ticks: p.cpuTicks, ticksPerSecond: snapshot.clockTicksPerSecond), 9)
        l += " " + String(repeating: "  ", count: depth ?? 0) + DisplayText.escaped(p.commandLine)
        return l
    }

    private func cut(_ line: String) -> String {
        guard let width, line.count > width else { return line }
        return String(line.prefix(width))
    }
}

func leftPad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}

func rightPad(_ s: String, _ width: Int, cut: Bool = false) -> String {
    if s.count >= width { return cut ? String(s.prefix(width)) : s }
    return s + String(repeating: " ", count: width - s.count)
}
