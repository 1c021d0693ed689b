import ProcessModel
import Testing
@testable import SwtopUI

@Suite struct ProcessColumnsTests {
    let columns = ProcessColumns(context: Column.Context(ticksPerSecond: 100))

    func row(_ p: ProcessEntry, branch: String = "", width: Int = 100) -> ScreenGrid {
        var grid = ScreenGrid(width: width, height: 1)
        columns.drawRow(p, branch: branch, into: &grid, y: 0, override: nil)
        return grid
    }

    @Test func defaultTitlesAreHtops() {
        #expect(columns.titleLine() == "    PID USER      PRI  NI   VIRT    RES S  THR  CPU%  MEM%     TIME+ Command")
    }

    @Test func rowShowsEveryDefaultColumn() {
        let p = makeProcess(pid: 123, args: ["/usr/bin/sleep", "1000"], utime: 150, cpu: 12.5, mem: 1.0)
        #expect(row(p).text == ["    123 alice      20   0 10000K  2048K S    1  12.5   1.0   0:01.50 /usr/bin/sleep 1000"])
    }

    @Test func memoryInHumanUnits() {
        let p = makeProcess(pid: 7, vszKB: 2_900_000, rssKB: 204_800)
        #expect(Column.vsz.text(p) == "2832M")
        #expect(Column.rss.text(p) == "200M")
    }

    @Test func realTimePriorityShowsRT() {
        let p = makeProcess(pid: 18, priority: -100, kernel: true)
        #expect(Column.priority.text(p) == "RT")
    }

    @Test func kernelThreadsAndZombiesShowTheirNameInBrackets() {
        let k = makeProcess(pid: 2, ppid: 0, name: "kthreadd", kernel: true)
        #expect(row(k).text == ["      2 alice      20   0 10000K  2048K S    1   0.0   0.0   0:00.00 [kthreadd]"])
        #expect(columns.commandSegments(k, branch: "").map(\.1) == [.kernelThread])
        let z = makeProcess(pid: 50, name: "defunct", args: [], state: "Z")
        #expect(Column.command.text(z) == "[defunct]")
    }

    @Test func controlCharactersAreEscaped() {
        let p = makeProcess(pid: 9, name: "evil", args: ["evil\u{1b}]0;pwned\u{07}", "a\nb"])
        #expect(Column.command.text(p) == "evil\\x1b]0;pwned\\x07 a\\nb")
        let grid = row(p, width: 120)
        #expect(grid.cells.allSatisfy { $0.scalar.value >= 0x20 || $0.isContinuation })
    }

    @Test func stateLettersHaveTheirOwnRoles() {
        let roles = ["R", "D", "Z", "T", "S"].map { letter -> Role in
            let grid = row(makeProcess(pid: 1, state: Character(letter)))
            return grid.roles(0)[40]
        }
        #expect(roles == [.stateRunning, .stateDiskSleep, .stateZombie, .stateStopped, .normal])
    }

    @Test func basenameOfTheProgramIsHighlighted() {
        let p = makeProcess(pid: 5, args: ["/usr/sbin/sshd", "-D"])
        let segments = columns.commandSegments(p, branch: "├─ ")
        #expect(segments.map(\.0) == ["├─ ", "/usr/sbin/", "sshd", " -D"])
        #expect(segments.map(\.1) == [.treeBranch, .normal, .commandBase, .normal])
    }

    @Test func narrowTerminalDropsColumnsBeforeTheCommand() {
        let narrow = columns.fitting(width: 60)
        #expect(narrow.titleLine() == "    PID USER         RES S  CPU%  MEM%     TIME+ Command")
        #expect(columns.fitting(width: 80).columns == Column.defaults)
    }

    @Test func wideCharactersTakeTwoCells() {
        var grid = ScreenGrid(width: 6, height: 1)
        let end = grid.put("日本x", x: 0, y: 0, role: .normal)
        #expect(end == 5)
        #expect(grid.line(0) == "日本x ")
        #expect(grid[1, 0]?.isContinuation == true)
        // A wide character that does not fit is left out, not cut in half.
        var small = ScreenGrid(width: 3, height: 1)
        small.put("日本", x: 0, y: 0, role: .normal)
        #expect(small.line(0) == "日 ")
    }

    @Test func sortColumnTitleIsHighlighted() {
        var grid = ScreenGrid(width: 80, height: 1)
        columns.drawTitles(into: &grid, y: 0, sortKey: .mem)
        let roles = grid.roles(0)
        let memStart = 53
        #expect(grid.line(0).dropFirst(memStart).prefix(5) == " MEM%")
        #expect(roles[memStart] == .sortColumn)
        #expect(roles[memStart - 2] == .columnHeader)
    }
}
