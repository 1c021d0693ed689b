import ProcessModel
import Testing
@testable import SwtopUI

@Suite struct ScreenRendererTests {
    var processes: [ProcessEntry] {
        [
            makeProcess(pid: 1, ppid: 0, name: "init", args: ["/sbin/init"], user: "root", uid: 0, utime: 312, cpu: 0.5, mem: 0.1),
            makeProcess(pid: 42, ppid: 1, name: "sleep", args: ["sleep", "1000"], state: "S", cpu: 0, mem: 0),
            makeProcess(pid: 43, ppid: 1, name: "stuck", state: "D", cpu: 0, mem: 0),
        ]
    }

    /// The task counts read as htop's: userland processes, their threads besides the main ones,
    /// kernel threads.
    @Test func taskCountsAsHtopCountsThem() {
        let state = makeState(processes + [
            makeProcess(pid: 2, ppid: 0, name: "kthreadd", state: "S", kernel: true),
            makeProcess(pid: 50, ppid: 1, name: "java", state: "R", threads: 4),
        ], options: ScreenOptions(sortKey: .pid))
        let grid = ScreenRenderer(theme: .color).render(state, width: 80, height: 24)
        #expect(grid.text[0] == "  0[                                --]  Tasks: 4, 3 thr, 1 kthr; 1 running")
    }

    @Test func wholeScreenAt80x24() throws {
        let state = makeState(processes, options: ScreenOptions(sortKey: .pid))
        let grid = ScreenRenderer(theme: .color).render(state, width: 80, height: 24)
        // One sample: no CPU% yet.
        #expect(grid.text[0] == "  0[                                --]  Tasks: 3, 0 thr, 0 kthr; 0 running")
        #expect(grid.text[1] == "  1[                                --]  Zombie: 0  Stopped: 0  Disk sleep: 1")
        #expect(grid.text[2] == "Mem[|||||||||||||||||||||||1953M/7813M]  Load average: 0.52 0.58 0.59")
        #expect(grid.text[3] == "Swp[                             0K/0K]  Uptime: 3 days, 04:05:06")
        #expect(grid.text[4] == "")
        #expect(grid.text[5] == "    PID USER      PRI  NI   VIRT    RES S  THR  CPU%  MEM%     TIME+ Command")
        #expect(grid.text[6] == "      1 root       20   0 10000K  2048K S    1   0.5   0.1   0:03.12 /sbin/init")
        #expect(grid.text[7] == "     42 alice      20   0 10000K  2048K S    1   0.0   0.0   0:00.00 sleep 1000")
        #expect(grid.text[22] == "Sort: PID  Shown: 3")
        #expect(grid.text[23] == "F1Help  F2Setup F3SearchF4FilterF5Tree  F6SortByF7Nice -F8Nice +F9Kill  F10Quit")
        // The disk-sleep count is highlighted because it is not zero.
        let line = grid.line(1)
        let i = try #require(line.lastIndex(of: "1"))
        #expect(grid.roles(1)[line.distance(from: line.startIndex, to: i)] == .taskWarning)
        #expect(grid.roles(6).first == .selection)
    }

    @Test func smallTerminalStillShowsTheList() {
        let state = makeState(processes, options: ScreenOptions(sortKey: .pid))
        let grid = ScreenRenderer().render(state, width: 40, height: 8)
        #expect(grid.text == [
            "    PID USER         RES S  CPU% Command",
            "      1 root       2048K S   0.5 /sbin/i",
            "     42 alice      2048K S   0.0 sleep 1",
            "     43 alice      2048K D   0.0 stuck",
            "",
            "",
            "Sort: PID  Shown: 3",
            "F1Help  F2Setup F3SearchF4FilterF5Tree",
        ])
    }

    @Test func searchAndFilterPromptsInTheFunctionBar() {
        var state = makeState(processes)
        _ = state.handle(.character("/"))
        state.type("sle")
        var grid = ScreenRenderer().render(state, width: 80, height: 24)
        #expect(grid.text[23] == "F3Next  Esc Done   Search: sle")
        _ = state.handle(.escape)
        _ = state.handle(.character("\\"))
        state.type("init")
        grid = ScreenRenderer().render(state, width: 80, height: 24)
        #expect(grid.text[23] == "Enter Done  Esc Clear  Filter: init")
        #expect(grid.text[22] == "Sort: CPU%  Filter: init  Shown: 1")
    }

    @Test func monochromeBarsUseDifferentCharacters() {
        var system = makeSnapshot([]).system
        system.perCPU = [CPUUsage(user: 50, nice: 0, system: 25, other: 0)]
        let header = HeaderMeters(system: system, tasks: TaskCounts(), barCharacters: Theme.monochrome.barCharacters)
        var grid = ScreenGrid(width: 60, height: 4)
        header.draw(into: &grid, y: 0, maxHeight: 4)
        #expect(grid.text[0].prefix(30) == "  0[||||||||||||###### 75.0%] ")
    }
}
