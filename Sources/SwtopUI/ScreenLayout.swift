import OutputFormats
import ProcessModel

/// Where each part of the screen goes at a terminal size: header meters, column titles, the
/// process list, the status line and the function bar. A small terminal loses the header first,
/// so the list always keeps some rows.
public struct ScreenLayout: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var headerHeight: Int
    public var titleRow: Int
    public var listTop: Int
    public var listHeight: Int
    public var statusRow: Int
    public var functionBarRow: Int

    public init(width: Int, height: Int, headerWanted: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        // Title, status and function bar take three rows; keep at least five for the list.
        let room = max(0, self.height - 3 - 5)
        headerHeight = min(headerWanted, room)
        let gap = headerHeight > 0 && self.height - 3 - headerHeight >= 12 ? 1 : 0
        titleRow = headerHeight + gap
        listTop = titleRow + 1
        statusRow = max(listTop, self.height - 2)
        functionBarRow = max(statusRow + 1, self.height - 1)
        listHeight = max(0, statusRow - listTop)
    }
}

/// Renders the whole screen from the view state into a grid. Reads the state, never changes it.
public struct ScreenRenderer {
    public var theme: Theme

    public init(theme: Theme = .color) { self.theme = theme }

    public func header(_ state: ViewState) -> HeaderMeters? {
        guard let snapshot = state.snapshot else { return nil }
        var meters = HeaderMeters(system: snapshot.system, tasks: state.tasks, barCharacters: theme.barCharacters)
        meters.exits = state.lifecycle?.exitsText
        return meters
    }

    public func layout(_ state: ViewState, width: Int, height: Int) -> ScreenLayout {
        ScreenLayout(width: width, height: height, headerWanted: header(state)?.height(width: width) ?? 0)
    }

    public func render(_ state: ViewState, width: Int, height: Int) -> ScreenGrid {
        var grid = ScreenGrid(width: width, height: height)
        let layout = layout(state, width: width, height: height)
        if state.mode == .help {
            HelpScreen.draw(into: &grid, top: 0, bottom: layout.statusRow, readonly: state.readonly)
        } else if state.mode == .detail, let view = state.detailView {
            DetailPage.draw(view, state: state, layout: layout, into: &grid)
        } else if case .setup(let setup) = state.mode {
            setup.draw(state, into: &grid, top: 0, bottom: layout.statusRow)
        } else {
            if let header = header(state) { header.draw(into: &grid, y: 0, maxHeight: layout.headerHeight) }
            if let view = state.limitsView, Self.showsLimits(state.mode) {
                drawLimits(view, layout: layout, into: &grid)
            } else if state.mode == .events {
                drawEvents(state, layout: layout, into: &grid)
            } else {
                drawList(state, layout: layout, into: &grid)
            }
            if case .picker(let picker) = state.mode { drawPicker(picker, layout: layout, into: &grid) }
        }
        drawStatus(state, y: layout.statusRow, into: &grid)
        FunctionBar.forState(state).draw(into: &grid, y: layout.functionBarRow)
        return grid
    }

    func drawList(_ state: ViewState, layout: ScreenLayout, into grid: inout ScreenGrid) {
        // The thread view adds TID after PID, as `--once --threads` does.
        let columns = listColumns(state, width: grid.width)
        columns.drawTitles(into: &grid, y: layout.titleRow, sortKey: state.sortKey)
        let rows = state.rows
        guard layout.listHeight > 0 else { return }
        let first = min(state.scrollTop, rows.count)
        let last = min(rows.count, first + layout.listHeight)
        for i in first..<last {
            let row = rows[i]
            let key = row.entry.key
            let override: Role?
            if i == state.selectedIndex {
                override = .selection
            } else if state.hasExited(key) {
                override = .exitedProcess
            } else if state.isTagged(key) {
                override = .tagged
            } else if state.isNew(key) {
                override = .newProcess
            } else {
                override = nil
            }
            let branch = i < state.branches.count ? state.branches[i] : ""
            // A stop's countdown first; else what the lifecycle monitor says of the row.
            let stop = state.stopMarkers[key]
            let marker = stop ?? state.lifecycle?.mark(for: key, exited: state.hasExited(key), reapingShown: state.byCgroup)
            columns.drawRow(
                row.entry, branch: branch, into: &grid, y: layout.listTop + i - first, override: override, scroll: state.scrollLeft,
                marker: marker, markerRole: stop == nil ? .taskWarning : .statusError)
        }
        if rows.isEmpty {
            let text = state.snapshot == nil ? "Reading processes..." : "No process matches."
            grid.put(text, x: 1, y: layout.listTop, role: .dim)
        }
    }

    static func showsLimits(_ mode: ViewState.Mode) -> Bool {
        switch mode {
        case .limits: return true
        case .prompt(let p):
            if case .limit = p.kind { return true }
            return false
        default: return false
        }
    }

    /// L: the limits of one process, one resource a row, the selected one highlighted.
    func drawLimits(_ view: LimitsView, layout: ScreenLayout, into grid: inout ScreenGrid) {
        grid.fill(y: layout.titleRow, role: .columnHeader)
        grid.put(LimitsTable.title, x: 0, y: layout.titleRow, role: .columnHeader)
        guard layout.listHeight > 0 else { return }
        if view.limits.isEmpty {
            grid.put(view.error ?? "Reading limits...", x: 1, y: layout.listTop, role: view.error == nil ? .dim : .statusError)
            return
        }
        let top = view.selected >= layout.listHeight ? view.selected - layout.listHeight + 1 : 0
        for line in 0..<layout.listHeight {
            let i = top + line
            guard i < view.limits.count else { break }
            let y = layout.listTop + line
            let role: Role = i == view.selected ? .selection : .normal
            if role == .selection { grid.fill(y: y, role: role) }
            grid.put(LimitsTable.line(view.limits[i]), x: 0, y: y, role: role)
        }
    }

    func drawPicker(_ picker: Picker, layout: ScreenLayout, into grid: inout ScreenGrid) {
        let widest = picker.items.map(\.count).max() ?? 0
        let width = min(grid.width, max(20, picker.title.count + 2, widest + 3))
        grid.fill(y: layout.titleRow, x: 0, count: width, role: .columnHeader)
        grid.put(picker.title, x: 0, y: layout.titleRow, role: .columnHeader, limit: width)
        let visible = layout.listHeight
        guard visible > 0 else { return }
        let top = picker.selected >= visible ? picker.selected - visible + 1 : 0
        for line in 0..<visible {
            let y = layout.listTop + line
            let i = top + line
            let role: Role = i == picker.selected ? .selection : .normal
            grid.fill(y: y, x: 0, count: width - 1, role: role)
            if i < picker.items.count { grid.put(picker.items[i], x: 1, y: y, role: role, limit: width - 2) }
            grid.put("│", x: width - 1, y: y, role: .treeBranch)
        }
    }

    /// A message when there is one; otherwise what the screen is showing.
    public static func statusText(_ state: ViewState) -> (text: String, role: Role) {
        if let message = state.message { return (message.text, message.isError ? .statusError : .statusMessage) }
        if state.mode == .detail, let view = state.detailView {
            var read = view.readAt.map { ", read at " + DetailPage.clockTime($0) } ?? ""
            if view.exit != nil { read = ": exited" + (view.readAt.map { ", as last read at " + DetailPage.clockTime($0) } ?? "") }
            return ("Details of " + view.target.label + read + "  Esc q: back", .status)
        }
        if case .setup = state.mode { return (SetupScreen.hint, .status) }
        if state.mode == .events { return (state.eventsStatus, .status) }
        if let view = state.limitsView, showsLimits(state.mode) {
            if state.readonly { return ("Limits of " + view.target.label + " (read-only: --readonly)  Esc back", .status) }
            return ("Limits of " + view.target.label + ": Enter changes the selected one  Esc back", .status)
        }
        var parts: [String] = []
        if let source = state.replaySource { parts.append("Replay of " + DisplayText.escaped(source) + ": one sample, no CPU%") }
        if state.paused { parts.append("PAUSED") }
        let title = state.sortKey.title
        parts.append("Sort: " + title + (state.inverted ? " (inverted)" : ""))
        if let advice = state.selectedAdvice { return (advice, .statusError) }
        if state.tree { parts.append("Tree") }
        if state.byCgroup { parts.append("By service") }
        if let unit = state.unit { parts.append("Unit: " + DisplayText.escaped(unit)) }
        if let container = state.container { parts.append("Container: " + DisplayText.escaped(container)) }
        if !state.filterText.isEmpty { parts.append("Filter: " + DisplayText.escaped(state.filterText)) }
        if state.uid != nil { parts.append("User: " + (state.userFilterName ?? state.uid.map(String.init) ?? "")) }
        if let pids = state.pids { parts.append("PIDs: " + pids.sorted().map(String.init).joined(separator: ",")) }
        if let follow = state.followKey { parts.append("Following " + String(follow.id)) }
        if !state.tagged.isEmpty { parts.append("Tagged: " + String(state.tagged.count)) }
        if state.showUserThreads { parts.append("Threads shown") }
        if state.showKernelThreads { parts.append("Kernel threads shown") }
        parts.append("Shown: " + String(state.rows.count))
        return (parts.joined(separator: "  "), .status)
    }

    func drawStatus(_ state: ViewState, y: Int, into grid: inout ScreenGrid) {
        let (text, role) = Self.statusText(state)
        grid.put(text, x: 0, y: y, role: role)
    }
}
