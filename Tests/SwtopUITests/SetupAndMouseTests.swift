import ProcessModel
import Testing
@testable import SwtopUI

/// F2 and the mouse on the view state and the rendered grid (the tmux tests drive the binary).
struct SetupAndMouseTests {
    static let processes = [
        makeProcess(pid: 10, name: "a", cpu: 5), makeProcess(pid: 20, name: "b", cpu: 50), makeProcess(pid: 30, name: "c", cpu: 1),
    ]

    static func text(_ grid: ScreenGrid, y: Int) -> String {
        var s = ""
        for x in 0..<grid.width { if let c = grid[x, y], !c.isContinuation { s.unicodeScalars.append(c.scalar) } }
        while s.last == " " { s.removeLast() }
        return s
    }

    @Test func f2OpensSetupAndSpaceHidesTheSelectedColumn() {
        var s = makeState(Self.processes)
        _ = s.handle(.function(2))
        #expect(s.mode == .setup(SetupScreen()))
        _ = s.handle(.tab)
        _ = s.handle(.down)  // USER
        _ = s.handle(.character(" "))
        #expect(s.columns.map(\.id) == ["pid", "priority", "nice", "vsz", "rss", "state", "threads", "cpu", "mem", "time", "command"])
        // The cursor stays on USER, now among the hidden columns in the registry's order (after TID PPID PGRP SID TTY UID).
        #expect(s.mode == .setup(SetupScreen(panel: .columns, option: 0, column: 17)))
        _ = s.handle(.character(" "))
        #expect(s.columns.map(\.id) == ["pid", "priority", "nice", "vsz", "rss", "state", "threads", "cpu", "mem", "time", "user", "command"])
        _ = s.handle(.escape)
        #expect(s.mode == .list)
        let grid = ScreenRenderer().render(s, width: 120, height: 20)
        let layout = ScreenRenderer().layout(s, width: 120, height: 20)
        #expect(Self.text(grid, y: layout.titleRow) == "    PID PRI  NI   VIRT    RES S  THR  CPU%  MEM%     TIME+ USER      Command")
    }

    @Test func f7AndF8MoveAColumnButNotPastTheCommand() {
        var s = makeState(Self.processes)
        s.mode = .setup(SetupScreen(panel: .columns, column: 1))
        _ = s.handle(.function(7))
        #expect(Array(s.columns.map(\.id).prefix(2)) == ["user", "pid"])
        #expect(s.mode == .setup(SetupScreen(panel: .columns, column: 0)))
        s.mode = .setup(SetupScreen(panel: .columns, column: 10))  // TIME+, just before Command
        _ = s.handle(.character("]"))
        #expect(s.columns.suffix(2).map(\.id) == ["time", "command"])
        #expect(s.message?.text == "Command stays last: it takes the rest of the line")
    }

    @Test func optionsApplyAtOnce() {
        var s = makeState(Self.processes)
        _ = s.handle(.function(2))
        _ = s.handle(.enter)  // tree view
        #expect(s.tree)
        _ = s.handle(.down)
        _ = s.handle(.down)
        #expect(s.handle(.character(" ")) == .resample)  // userland threads shown: read /proc again
        #expect(s.showUserThreads)
        for _ in 0..<3 { _ = s.handle(.down) }  // refresh delay
        _ = s.handle(.character("-"))
        #expect(s.delayTenths == 10)
        _ = s.handle(.character("-"))
        #expect(s.delayTenths == 9)
        _ = s.handle(.character("+"))
        _ = s.handle(.character("+"))
        #expect(s.delayTenths == 15)
        _ = s.handle(.down)
        _ = s.handle(.character(" "))
        #expect(!s.color)
        #expect(s.settings.values.color == false)
        let grid = ScreenRenderer().render(s, width: 80, height: 24)
        #expect(Self.text(grid, y: 0) == SetupScreen.title)
        #expect(Self.text(grid, y: 2) == " [x] Tree view                           [x] PID        Process id (thread grou")
        #expect(Self.text(grid, y: 23) == "Space Toggle  F7      F8      Tab Panel F10Done")
    }

    /// F2 lists every column by its whole title (CONTAINER, DISK WRITE were cut to 8 cells),
    /// all titles in one aligned column.
    @Test func setupShowsEveryColumnTitleWhole() throws {
        for column in Column.all {
            let text = SetupScreen.columnText(column, shown: false)
            #expect(text.hasPrefix("[ ] " + column.title + " "), "\(text)")
            // Every help text starts at the same place: after the widest title and a space.
            #expect(String(text.dropFirst(4 + 10 + 1)) == column.help, "\(text)")
        }
        #expect(SetupScreen.columnText(try #require(Column.all.first { $0.title == "DISK WRITE" }), shown: true).hasPrefix("[x] DISK WRITE "))
        #expect(SetupScreen.columnText(try #require(Column.all.first { $0.title == "CONTAINER" }), shown: true).hasPrefix("[x] CONTAINER  "))
    }

    @Test func highlightOffDropsExitedProcessesAtOnce() {
        var s = makeState(Self.processes)
        s.update(makeSnapshot(Array(Self.processes.prefix(2))), now: 1)
        #expect(s.hasExited(Self.processes[2].key))
        s.mode = .setup(SetupScreen(option: SetupScreen.Option.highlight.rawValue))
        _ = s.handle(.character(" "))
        #expect(!s.highlightChanges)
        #expect(s.rows.map(\.entry.pid).sorted() == [10, 20])
    }

    @Test func mouseTargetsAreWhatIsDrawnThere() {
        let s = makeState(Self.processes)
        let r = ScreenRenderer()
        let layout = r.layout(s, width: 120, height: 30)
        #expect(r.target(at: 0, layout.titleRow, in: s, width: 120, height: 30) == .title(.pid))
        #expect(r.target(at: 7, layout.titleRow, in: s, width: 120, height: 30) == .title(.pid))  // the space after it
        #expect(r.target(at: 8, layout.titleRow, in: s, width: 120, height: 30) == .title(.user))
        #expect(r.target(at: 119, layout.titleRow, in: s, width: 120, height: 30) == .title(.command))
        #expect(r.target(at: 3, layout.listTop + 2, in: s, width: 120, height: 30) == .row(2))
        #expect(r.target(at: 3, layout.listTop + 3, in: s, width: 120, height: 30) == .nothing)
        // "F1Help  F2Setup ": F2 from column 8 to 15.
        #expect(r.target(at: 8, layout.functionBarRow, in: s, width: 120, height: 30) == .functionKey(.function(2)))
        #expect(r.target(at: 15, layout.functionBarRow, in: s, width: 120, height: 30) == .functionKey(.function(2)))
        #expect(r.target(at: 16, layout.functionBarRow, in: s, width: 120, height: 30) == .functionKey(.function(3)))
        #expect(r.target(at: 100, layout.functionBarRow, in: s, width: 120, height: 30) == .nothing)
    }

    @Test func clicksSelectSortAndPressKeys() {
        var s = makeState(Self.processes)
        #expect(s.pidsInOrder == [20, 10, 30])
        _ = s.handle(MouseEvent(.click, x: 3, y: 0), on: .row(2))
        #expect(s.selectedPID == 30)
        _ = s.handle(MouseEvent(.click, x: 0, y: 0), on: .title(.pid))
        #expect(s.sortKey == .pid && !s.inverted)
        #expect(s.pidsInOrder == [10, 20, 30])
        _ = s.handle(MouseEvent(.click, x: 0, y: 0), on: .title(.pid))
        #expect(s.inverted)
        #expect(s.pidsInOrder == [30, 20, 10])
        _ = s.handle(MouseEvent(.wheelDown, x: 0, y: 0), on: .nothing)
        #expect(s.selectedIndex == 2)
        _ = s.handle(MouseEvent(.click, x: 8, y: 0), on: .functionKey(.function(2)))
        #expect(s.mode == .setup(SetupScreen()))
        #expect(s.handle(MouseEvent(.click, x: 0, y: 0), on: .functionKey(.function(10))) == [])
        #expect(s.mode == .list)
    }

    @Test func aClickOnTheChosenPickerItemTakesIt() {
        var s = makeState(Self.processes)
        _ = s.handle(.function(6))
        guard case .picker(let picker) = s.mode else {
            Issue.record("no picker")
            return
        }
        let pidItem = s.sortColumns.firstIndex(of: .pid) ?? -1
        #expect(picker.items[pidItem] == "PID")
        _ = s.handle(MouseEvent(.click, x: 1, y: 0), on: .pickerItem(pidItem))
        #expect(s.sortKey == .cpu)
        _ = s.handle(MouseEvent(.click, x: 1, y: 0), on: .pickerItem(pidItem))
        #expect(s.mode == .list)
        #expect(s.sortKey == .pid)
    }

    /// Columns added in F2 beyond what fits go from the right, before the command loses its room.
    @Test func extraColumnsGiveWayOnANarrowTerminal() {
        let many = ProcessColumns(columns: [.pid, .ppid, .user, .tty, .start, .state, .cpu, .command])
        #expect(many.fitting(width: 200).columns == many.columns)
        // PPID first (htop's order of what goes), then START and TTY, the rightmost first.
        #expect(many.fitting(width: 50).columns.map(\.id) == ["pid", "user", "tty", "state", "cpu", "command"])
        #expect(many.fitting(width: 20).columns.map(\.id) == ["pid", "user", "state", "cpu", "command"])
    }
}
