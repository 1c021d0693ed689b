import ProcessModel

/// A mouse event as the terminal reports it (through ncurses), without ncurses types.
public struct MouseEvent: Equatable, Hashable, Sendable {
    public enum Kind: Equatable, Hashable, Sendable {
        /// The left button released (a click is acted on at release, as in htop).
        case click
        case wheelUp, wheelDown
    }

    public var kind: Kind
    /// Screen cell, 0-based.
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// What is drawn under a screen cell.
public enum MouseTarget: Equatable, Sendable {
    /// A process row, by its index in `rows`.
    case row(Int)
    /// A column title of the process list.
    case title(Column)
    /// A key of the function bar: clicking it is pressing it.
    case functionKey(Key)
    case setupItem(SetupScreen.Panel, Int)
    case pickerItem(Int)
    case nothing
}

extension ScreenRenderer {
    /// The process list's columns at a width, as drawn: the state's columns (TID after PID in
    /// the thread view, the sort's column where it is not among them), less those a narrow
    /// terminal has no room for.
    public func listColumns(_ state: ViewState, width: Int) -> ProcessColumns {
        var shown = state.columns
        if state.showUserThreads, !shown.contains(.tid) { shown.insert(.tid, at: (shown.firstIndex(of: .pid) ?? -1) + 1) }
        // The service view says what each group is.
        if state.byCgroup {
            let added = [Column.container, .unit].filter { !shown.contains($0) }
            shown.insert(contentsOf: added, at: max(0, shown.count - 1))
        }
        // The sort's column is shown, as `--once` shows it.
        shown = Column.showing(shown, sortKey: state.sortKey)
        return ProcessColumns(columns: shown, context: state.snapshot.map(Column.Context.init) ?? Column.Context()).fitting(width: width)
    }

    /// What is under (x, y) on the screen `render` draws at this size.
    public func target(at x: Int, _ y: Int, in state: ViewState, width: Int, height: Int) -> MouseTarget {
        let layout = layout(state, width: width, height: height)
        if y == layout.functionBarRow {
            return FunctionBar.forState(state).key(atX: x).map { .functionKey($0) } ?? .nothing
        }
        switch state.mode {
        case .setup(let setup):
            let (itemsTop, rows) = SetupScreen.geometry(top: 0, bottom: layout.statusRow)
            guard y >= itemsTop, y < itemsTop + rows else { return .nothing }
            for (panel, px, pw) in SetupScreen.panels(width: width, focus: setup.panel) where x >= px && x < px + pw {
                let count = panel == .options ? SetupScreen.Option.allCases.count : SetupScreen.columnList(state.columns).count
                let cursor = panel == .options ? setup.option : setup.column
                let i = SetupScreen.firstShown(cursor: cursor, rows: rows) + y - itemsTop
                return i < count ? .setupItem(panel, i) : .nothing
            }
            return .nothing
        case .picker(let picker):
            let visible = layout.listHeight
            guard y >= layout.listTop, y < layout.listTop + visible else { return .nothing }
            let top = picker.selected >= visible ? picker.selected - visible + 1 : 0
            let i = top + y - layout.listTop
            return i < picker.items.count ? .pickerItem(i) : .nothing
        case .help, .limits, .prompt, .detail, .events:
            return .nothing
        case .list, .search, .filter:
            if y == layout.titleRow {
                return listColumns(state, width: width).column(atX: x).map { .title($0) } ?? .nothing
            }
            guard y >= layout.listTop, y < layout.listTop + layout.listHeight else { return .nothing }
            let i = state.scrollTop + y - layout.listTop
            return i < state.rows.count ? .row(i) : .nothing
        }
    }
}

extension ViewState {
    /// Rows the wheel moves per step.
    static let wheelRows = 3

    /// A mouse event on `target`, as htop takes it: a click selects a row, sorts by a title
    /// (again: inverts), presses a function-bar key, picks an item; the wheel scrolls.
    public mutating func handle(_ event: MouseEvent, on target: MouseTarget) -> Effects {
        switch event.kind {
        case .wheelUp, .wheelDown:
            let down = event.kind == .wheelDown
            if mode == .list {
                moveSelection(to: selectedIndex + (down ? Self.wheelRows : -Self.wheelRows))
                return []
            }
            if mode == .help { return handle(.escape) }
            var effects: Effects = []
            for _ in 0..<Self.wheelRows { effects.formUnion(handle(down ? .down : .up)) }
            return effects
        case .click:
            break
        }
        if case .functionKey(let key) = target { return handle(key) }
        switch mode {
        case .help:
            mode = .list
        case .setup(var setup):
            guard case .setupItem(let panel, let i) = target else { return [] }
            setup.panel = panel
            if panel == .options { setup.option = i } else { setup.column = i }
            mode = .setup(setup)
        case .picker(var picker):
            guard case .pickerItem(let i) = target else { return [] }
            // A click on the item already chosen takes it, as Enter does.
            if picker.selected == i { return handle(.enter) }
            picker.selected = i
            mode = .picker(picker)
        case .list, .search, .filter:
            switch target {
            case .row(let i):
                // A click ends typing, as a movement key does; a filter stays.
                mode = .list
                moveSelection(to: i)
            case .title(let column):
                guard column.sort != nil else { return [] }
                mode = .list
                return apply(column == sortKey ? .invertSort : .sortBy(column))
            default: break
            }
        case .limits, .prompt, .detail, .events:
            break
        }
        return []
    }
}

extension FunctionBar {
    /// The key drawn at column x, with the label after it; nil between keys or past them.
    public func key(atX x: Int) -> Key? {
        for item in spans() where x >= item.start && x < item.end { return Self.key(named: item.key) }
        return nil
    }

    static func key(named name: String) -> Key? {
        switch name {
        case "Esc", "Any key": return .escape
        case "Enter": return .enter
        case "Space": return .character(" ")
        case "Tab": return .tab
        default:
            // A letter key (the detail page's l and e) is that letter typed.
            if name.unicodeScalars.count == 1, let c = name.unicodeScalars.first { return .character(c) }
            guard name.hasPrefix("F"), let n = Int(name.dropFirst()), (1...12).contains(n) else { return nil }
            return .function(n)
        }
    }
}

extension ProcessColumns {
    /// The column whose title covers column x (with the space after it); the command's runs
    /// to the end of the line.
    public func column(atX x: Int) -> Column? {
        var start = 0
        for column in columns {
            if column.width == 0 { return x >= start ? column : nil }
            let end = start + CellWidth.of(pad(column.title, column)) + 1
            if x >= start && x < end { return column }
            start = end
        }
        return nil
    }
}
