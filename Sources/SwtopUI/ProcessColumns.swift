import ProcessModel

/// A column of the process list: its title, width and what it sorts by.
public enum Column: String, CaseIterable, Sendable {
    case pid, ppid, user, priority, nice, virt, res, state, threads, cpu, mem, time, command

    /// htop's default columns.
    public static let defaults: [Column] = [.pid, .user, .priority, .nice, .virt, .res, .state, .threads, .cpu, .mem, .time, .command]

    public var title: String {
        switch self {
        case .pid: return "PID"
        case .ppid: return "PPID"
        case .user: return "USER"
        case .priority: return "PRI"
        case .nice: return "NI"
        case .virt: return "VIRT"
        case .res: return "RES"
        case .state: return "S"
        case .threads: return "THR"
        case .cpu: return "CPU%"
        case .mem: return "MEM%"
        case .time: return "TIME+"
        case .command: return "Command"
        }
    }

    /// Columns of the cell; 0 for the command, which takes the rest of the line.
    public var width: Int {
        switch self {
        case .pid, .ppid: return 7
        case .user: return 9
        case .priority, .nice: return 3
        case .virt, .res: return 6
        case .state: return 1
        case .threads: return 4
        case .cpu, .mem: return 5
        case .time: return 9
        case .command: return 0
        }
    }

    public var alignsLeft: Bool { self == .user || self == .command || self == .state }

    public var sortKey: SortKey {
        switch self {
        case .pid: return .pid
        case .ppid: return .ppid
        case .user: return .user
        case .priority: return .priority
        case .nice: return .nice
        case .virt: return .vsz
        case .res: return .rss
        case .state: return .state
        case .threads: return .threads
        case .cpu: return .cpu
        case .mem: return .mem
        case .time: return .time
        case .command: return .name
        }
    }

    /// The column a sort key is shown in, for highlighting its title.
    public static func showing(_ key: SortKey) -> Column? {
        switch key {
        case .pid: return .pid
        case .ppid: return .ppid
        case .user: return .user
        case .priority: return .priority
        case .nice: return .nice
        case .vsz: return .virt
        case .rss: return .res
        case .state: return .state
        case .threads: return .threads
        case .cpu: return .cpu
        case .mem: return .mem
        case .time: return .time
        case .name: return .command
        case .start: return nil
        }
    }

    /// The cell's text, not padded. Names and command lines are escaped.
    public func text(_ p: ProcessEntry, ticksPerSecond: Double) -> String {
        switch self {
        case .pid: return String(p.id)
        case .ppid: return String(p.ppid)
        case .user: return DisplayText.escaped(p.user ?? p.uid.map(String.init) ?? "?")
        case .priority: return p.priority > -100 ? String(p.priority) : "RT"
        case .nice: return String(p.nice)
        case .virt: return p.vszKB.map(Format.kib) ?? "-"
        case .res: return p.rssKB.map(Format.kib) ?? "-"
        case .state: return p.state.letter
        case .threads: return String(p.threads)
        case .cpu: return p.cpuPercent.map { Format.fixed($0, decimals: 1) } ?? "-"
        case .mem: return p.memPercent.map { Format.fixed($0, decimals: 1) } ?? "-"
        case .time: return Format.cpuTime(ticks: p.cpuTicks, ticksPerSecond: ticksPerSecond)
        case .command: return DisplayText.escaped(p.commandLine)
        }
    }

    /// The role of the state letter: R, D, Z and T each in their own.
    public static func stateRole(_ state: ProcessState) -> Role {
        switch state {
        case .running: return .stateRunning
        case .diskSleep: return .stateDiskSleep
        case .zombie, .dead: return .stateZombie
        case .stopped, .tracingStop: return .stateStopped
        default: return .normal
        }
    }
}

/// Lays out the column titles and the rows of the process list.
public struct ProcessColumns: Sendable {
    public var columns: [Column]
    public var ticksPerSecond: Double

    public init(columns: [Column] = Column.defaults, ticksPerSecond: Double = 100) {
        self.columns = columns
        self.ticksPerSecond = ticksPerSecond
    }

    /// On a narrow terminal, the columns that fit with room left for the command: the least
    /// telling ones go first (PRI, NI, VIRT, THR, TIME+, MEM%), as the command says what a
    /// process is.
    public func fitting(width: Int, commandRoom: Int = 11) -> ProcessColumns {
        var kept = columns
        for drop in [Column.priority, .nice, .virt, .threads, .time, .mem, .ppid] {
            if fixedWidth(kept) + commandRoom <= width { break }
            kept.removeAll { $0 == drop }
        }
        return ProcessColumns(columns: kept, ticksPerSecond: ticksPerSecond)
    }

    private func fixedWidth(_ columns: [Column]) -> Int {
        columns.reduce(0) { $0 + ($1.width == 0 ? 0 : $1.width + 1) }
    }

    /// The title row: each title padded as its cells are; the sort column highlighted.
    public func drawTitles(into grid: inout ScreenGrid, y: Int, sortKey: SortKey) {
        grid.fill(y: y, role: .columnHeader)
        let sorted = Column.showing(sortKey)
        var x = 0
        for column in columns {
            let text = column.width == 0 ? column.title : pad(column.title, column)
            let end = grid.put(text, x: x, y: y, role: column == sorted ? .sortColumn : .columnHeader)
            x = end + 1
        }
    }

    /// The title line as text, for tests.
    public func titleLine() -> String {
        columns.map { $0.width == 0 ? $0.title : pad($0.title, $0) }.joined(separator: " ")
    }

    func pad(_ text: String, _ column: Column) -> String {
        let w = CellWidth.of(text)
        if w >= column.width { return column.alignsLeft ? String(text.prefix(column.width)) : text }
        let spaces = String(repeating: " ", count: column.width - w)
        return column.alignsLeft ? text + spaces : spaces + text
    }

    /// One row. `override` paints the whole row in one role (selection, new, exited, tagged);
    /// otherwise the state letter, tree branches and command get their own roles.
    /// `scroll` shifts the command column left by that many columns.
    /// `marker` ("TERM 7s": a graceful stop in progress) comes first in the command cell.
    public func drawRow(_ p: ProcessEntry, branch: String, into grid: inout ScreenGrid, y: Int, override: Role?, scroll: Int = 0, marker: String? = nil) {
        if let override { grid.fill(y: y, role: override) }
        var x = 0
        for column in columns {
            guard x < grid.width else { break }
            if column == .command {
                if let marker { x = grid.put("[" + marker + "] ", x: x, y: y, role: override ?? .statusError) }
                var segments = commandSegments(p, branch: branch)
                if scroll > 0 { segments = Self.dropColumns(scroll, of: segments) }
                for (text, role) in segments { x = grid.put(text, x: x, y: y, role: override ?? role) }
                break
            }
            let role: Role = override ?? (column == .state ? Column.stateRole(p.state) : .normal)
            x = grid.put(pad(column.text(p, ticksPerSecond: ticksPerSecond), column), x: x, y: y, role: role) + 1
        }
    }

    /// The command cell in parts: the tree branch, then the command line with the program's
    /// basename highlighted; kernel threads and userland threads in their own roles.
    public func commandSegments(_ p: ProcessEntry, branch: String) -> [(String, Role)] {
        var out: [(String, Role)] = []
        if !branch.isEmpty { out.append((branch, .treeBranch)) }
        if p.isKernelThread { return out + [(DisplayText.escaped(p.commandLine), .kernelThread)] }
        if p.isSecondaryThread { return out + [(DisplayText.escaped(p.commandLine), .userThread)] }
        guard let args = p.cmdline, let first = args.first, !first.isEmpty else {
            return out + [(DisplayText.escaped(p.commandLine), .normal)]
        }
        // A program that rewrote its argv[0] ("sshd: root@pts/0") has no path to split.
        var dir = ""
        var base = first
        if !first.contains(" "), let slash = first.lastIndex(of: "/") {
            dir = String(first[...slash])
            base = String(first[first.index(after: slash)...])
        }
        if !dir.isEmpty { out.append((DisplayText.escaped(dir), .normal)) }
        out.append((DisplayText.escaped(base), .commandBase))
        let rest = args.dropFirst().map { " " + $0 }.joined()
        if !rest.isEmpty { out.append((DisplayText.escaped(rest), .normal)) }
        return out
    }

    static func dropColumns(_ n: Int, of segments: [(String, Role)]) -> [(String, Role)] {
        var left = n
        var out: [(String, Role)] = []
        for (text, role) in segments {
            if left <= 0 {
                out.append((text, role))
                continue
            }
            var kept = String.UnicodeScalarView()
            for s in text.unicodeScalars {
                if left > 0 {
                    left -= CellWidth.of(s)
                } else {
                    kept.append(s)
                }
            }
            if !kept.isEmpty { out.append((String(kept), role)) }
        }
        return out
    }
}
