import ProcessModel

extension Column {
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
    /// What the cells need besides the process (clock ticks, the snapshot's time).
    public var context: Column.Context

    public init(columns: [Column] = Column.defaults, context: Column.Context = Column.Context()) {
        self.columns = columns
        self.context = context
    }

    /// On a narrow terminal, the columns that fit with room left for the command: the least
    /// telling ones go first (PRI, NI, VIRT, THR, TIME+, MEM%), as the command says what a
    /// process is.
    public func fitting(width: Int, commandRoom: Int = 11) -> ProcessColumns {
        var kept = columns
        for drop in [Column.priority, .nice, .vsz, .threads, .time, .mem, .ppid] {
            if fixedWidth(kept) + commandRoom <= width { break }
            kept.removeAll { $0 == drop }
        }
        // Columns added in F2 beyond htop's go next, the rightmost first (htop's own stay as
        // they were: a narrow terminal keeps CPU% and a short command).
        while fixedWidth(kept) + commandRoom > width, let i = kept.lastIndex(where: { !Column.defaults.contains($0) && $0 != .tid }) {
            kept.remove(at: i)
        }
        return ProcessColumns(columns: kept, context: context)
    }

    private func fixedWidth(_ columns: [Column]) -> Int {
        columns.reduce(0) { $0 + ($1.width == 0 ? 0 : $1.width + 1) }
    }

    /// The title row: each title padded as its cells are; the sort column highlighted.
    public func drawTitles(into grid: inout ScreenGrid, y: Int, sortKey: Column) {
        grid.fill(y: y, role: .columnHeader)
        var x = 0
        for column in columns {
            let text = column.width == 0 ? column.title : pad(column.title, column)
            let end = grid.put(text, x: x, y: y, role: column == sortKey ? .sortColumn : .columnHeader)
            x = end + 1
        }
    }

    /// The title line as text, for tests.
    public func titleLine() -> String {
        columns.map { $0.width == 0 ? $0.title : pad($0.title, $0) }.joined(separator: " ")
    }

    func pad(_ text: String, _ column: Column) -> String {
        let w = CellWidth.of(text)
        if w >= column.width { return column.alignment == .left ? String(text.prefix(column.width)) : text }
        let spaces = String(repeating: " ", count: column.width - w)
        return column.alignment == .left ? text + spaces : spaces + text
    }

    /// One row. `override` paints the whole row in one role (selection, new, exited, tagged);
    /// otherwise the state letter, tree branches and command get their own roles.
    /// `scroll` shifts the command column left by that many columns.
    /// `marker` ("TERM 7s": a graceful stop in progress) comes first in the command cell, after
    /// the tree's branches.
    public func drawRow(
        _ p: ProcessEntry, branch: String, into grid: inout ScreenGrid, y: Int, override: Role?, scroll: Int = 0, marker: String? = nil,
        markerRole: Role = .statusError
    ) {
        if let override { grid.fill(y: y, role: override) }
        var x = 0
        for column in columns {
            guard x < grid.width else { break }
            if column == .command {
                // The mark after the tree's branches, as htop puts its own: before them it would
                // break the lines that join a parent to its children.
                var segments = commandSegments(p, branch: "")
                if let marker { segments.insert(("[" + DisplayText.escaped(marker) + "] ", markerRole), at: 0) }
                if !branch.isEmpty { segments.insert((branch, .treeBranch), at: 0) }
                if scroll > 0 { segments = Self.dropColumns(scroll, of: segments) }
                for (text, role) in segments { x = grid.put(text, x: x, y: y, role: override ?? role) }
                break
            }
            let role: Role = override ?? (column == .state ? Column.stateRole(p.state) : .normal)
            x = grid.put(pad(column.text(p, context), column), x: x, y: y, role: role) + 1
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
