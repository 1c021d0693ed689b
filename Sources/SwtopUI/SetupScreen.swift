import ProcessModel

/// F2: the display options and the columns, two panels as in htop's setup. Every change
/// applies at once; the settings file keeps them when the screen quits.
public struct SetupScreen: Equatable, Sendable {
    public enum Panel: Equatable, Sendable { case options, columns }

    public enum Option: Int, CaseIterable, Sendable {
        case tree, hideKernelThreads, hideUserlandThreads, highlight, highlightSeconds, delay, color
    }

    public var panel: Panel = .options
    /// The cursor in each panel.
    public var option = 0
    public var column = 0

    public init(panel: Panel = .options, option: Int = 0, column: Int = 0) {
        self.panel = panel
        self.option = option
        self.column = column
    }

    public static let title = "Setup: changes apply at once and are saved on quit"
    public static let hint = "Space toggles  - + change a number  F7 F8 move a column  Tab panel  Esc done"

    /// The columns panel: the shown columns in order, then the others in the registry's order.
    static func columnList(_ shown: [Column]) -> [Column] {
        shown + Column.all.filter { !shown.contains($0) }
    }

    /// One line of the options panel.
    static func optionText(_ option: Option, _ state: ViewState) -> String {
        func box(_ on: Bool) -> String { on ? "[x] " : "[ ] " }
        switch option {
        case .tree: return box(state.tree) + "Tree view"
        case .hideKernelThreads: return box(!state.showKernelThreads) + "Hide kernel threads"
        case .hideUserlandThreads: return box(!state.showUserThreads) + "Hide userland threads"
        case .highlight: return box(state.highlightChanges) + "Highlight new and exited processes"
        case .highlightSeconds: return "    - " + String(Int(state.highlightSeconds)) + " s + highlight time"
        case .delay: return "    - " + Format.fixed(Double(state.delayTenths) / 10, decimals: 1) + " s + refresh delay"
        case .color: return box(state.color) + "Colours"
        }
    }

    /// One line of the columns panel.
    static func columnText(_ column: Column, shown: Bool) -> String {
        (shown ? "[x] " : "[ ] ") + TextLayout.padRight(column.title, titleWidth) + " " + column.help
    }

    /// Wide enough for every title whole (`DISK WRITE`, `CONTAINER` were cut to eight cells).
    static let titleWidth = Column.all.map { $0.title.count }.max() ?? 8

    /// The panels' x and width at a screen width; one panel (the focused one) when narrow.
    static func panels(width: Int, focus: Panel) -> [(panel: Panel, x: Int, width: Int)] {
        if width < 70 { return [(focus, 0, width)] }
        let left = min(44, width / 2)
        return [(.options, 0, left), (.columns, left, width - left)]
    }

    /// The first line of each panel's items, the rows they have, and the first item shown.
    static func geometry(top: Int, bottom: Int) -> (itemsTop: Int, rows: Int) {
        (top + 2, max(0, bottom - top - 2))
    }

    static func firstShown(cursor: Int, rows: Int) -> Int { rows > 0 && cursor >= rows ? cursor - rows + 1 : 0 }

    public func draw(_ state: ViewState, into grid: inout ScreenGrid, top: Int, bottom: Int) {
        grid.fill(y: top, role: .helpTitle)
        grid.put(Self.title, x: 0, y: top, role: .helpTitle)
        let (itemsTop, rows) = Self.geometry(top: top, bottom: bottom)
        for (panel, x, width) in Self.panels(width: grid.width, focus: self.panel) {
            let heading = panel == .options ? "Display options" : "Columns (shown first, in order)"
            grid.fill(y: top + 1, x: x, count: width, role: .columnHeader)
            grid.put(heading, x: x + 1, y: top + 1, role: panel == self.panel ? .sortColumn : .columnHeader, limit: width - 2)
            let items: [String]
            let cursor: Int
            if panel == .options {
                items = Option.allCases.map { Self.optionText($0, state) }
                cursor = option
            } else {
                let list = Self.columnList(state.columns)
                items = list.map { Self.columnText($0, shown: state.columns.contains($0)) }
                cursor = column
            }
            let first = Self.firstShown(cursor: cursor, rows: rows)
            for line in 0..<rows {
                let i = first + line
                guard i < items.count else { break }
                let y = itemsTop + line
                let role: Role = panel == self.panel && i == cursor ? .selection : .normal
                grid.fill(y: y, x: x, count: width - 1, role: role)
                grid.put(items[i], x: x + 1, y: y, role: role, limit: width - 2)
            }
        }
    }
}

extension ViewState {
    /// F2 opens the setup on the options panel.
    mutating func openSetup() {
        mode = .setup(SetupScreen())
    }

    mutating func handleSetupKey(_ key: Key, _ setup: SetupScreen) -> Effects {
        var s = setup
        defer { if case .setup = mode { mode = .setup(s) } }
        let count = s.panel == .options ? SetupScreen.Option.allCases.count : SetupScreen.columnList(columns).count
        let cursorNow = s.panel == .options ? s.option : s.column
        if let moved = cursor(cursorNow, movedBy: key, count: count) {
            if s.panel == .options { s.option = moved } else { s.column = moved }
            return []
        }
        switch key {
        case .tab: s.panel = s.panel == .options ? .columns : .options
        case .left: s.panel = .options
        case .right: s.panel = .columns
        case .escape, .function(10), .function(2), .character("q"):
            mode = .list
        case .enter, .character(" "):
            return s.panel == .options ? toggleOption(s.option, step: 1) : toggleColumn(&s)
        case .character("-"): return s.panel == .options ? toggleOption(s.option, step: -1) : []
        case .character("+"), .character("="): return s.panel == .options ? toggleOption(s.option, step: 1) : []
        case .function(7), .character("["): moveColumn(&s, by: -1)
        case .function(8), .character("]"): moveColumn(&s, by: 1)
        default: break
        }
        return []
    }

    /// Space or Enter on an option flips it; - and + step a number (Enter and Space step up).
    mutating func toggleOption(_ index: Int, step: Int) -> Effects {
        guard let option = SetupScreen.Option(rawValue: index) else { return [] }
        switch option {
        case .tree:
            tree.toggle()
            rebuild()
        case .hideKernelThreads:
            showKernelThreads.toggle()
            rebuild()
        case .hideUserlandThreads:
            showUserThreads.toggle()
            return .resample
        case .highlight:
            highlightChanges.toggle()
            if expire() || !highlightChanges { rebuild() }
        case .highlightSeconds:
            let range = ConfigFile.highlightRange
            highlightSeconds = Double(min(max(Int(highlightSeconds) + step, range.lowerBound), range.upperBound))
            if expire() { rebuild() }
        case .delay:
            // Fine steps where a change is felt, coarse ones beyond.
            let size: Int
            if step > 0 {
                size = delayTenths < 10 ? 1 : (delayTenths < 50 ? 5 : 10)
            } else {
                size = delayTenths <= 10 ? 1 : (delayTenths <= 50 ? 5 : 10)
            }
            let range = ConfigFile.delayRange
            delayTenths = min(max(delayTenths + step * size, range.lowerBound), range.upperBound)
        case .color:
            color.toggle()
        }
        return []
    }

    /// Shows a hidden column (before the command) or hides a shown one; the cursor stays on it.
    mutating func toggleColumn(_ s: inout SetupScreen) -> Effects {
        let list = SetupScreen.columnList(columns)
        guard s.column >= 0, s.column < list.count else { return [] }
        let chosen = list[s.column]
        if let i = columns.firstIndex(of: chosen) {
            guard columns.count > 1 else {
                say("One column at least stays shown", error: true)
                return []
            }
            columns.remove(at: i)
        } else if chosen != .command, let commandAt = columns.firstIndex(of: .command) {
            columns.insert(chosen, at: commandAt)
        } else {
            columns.append(chosen)
        }
        s.column = SetupScreen.columnList(columns).firstIndex(of: chosen) ?? s.column
        if sortKey == chosen, !columns.contains(chosen) { say("Still sorted by \(chosen.title), now hidden") }
        return []
    }

    /// F7 [ / F8 ]: a shown column one place up or down; the command stays last.
    mutating func moveColumn(_ s: inout SetupScreen, by step: Int) {
        guard s.panel == .columns else { return }
        let list = SetupScreen.columnList(columns)
        guard s.column >= 0, s.column < list.count, let i = columns.firstIndex(of: list[s.column]) else {
            say("Show the column (Space) to move it")
            return
        }
        let j = i + step
        guard columns[i] != .command, j >= 0, j < columns.count, columns[j] != .command else {
            if columns[i] == .command || (j < columns.count && j >= 0 && columns[j] == .command) {
                say("Command stays last: it takes the rest of the line")
            }
            return
        }
        columns.swapAt(i, j)
        s.column = j
    }

    /// The settings as the screen has them now: what quitting saves.
    public var settings: ScreenSettings {
        var s = ScreenSettings()
        s.columns = columns
        s.sortKey = sortKey
        s.inverted = inverted
        s.tree = tree
        s.hideKernelThreads = !showKernelThreads
        s.hideUserlandThreads = !showUserThreads
        s.highlightChanges = highlightChanges
        s.highlightSeconds = Int(highlightSeconds)
        s.delayTenths = delayTenths
        s.color = color
        return s
    }
}
