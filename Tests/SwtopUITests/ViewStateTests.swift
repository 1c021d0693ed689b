import ProcFS
import ProcessModel
import Testing
@testable import SwtopUI

@Suite struct ViewStateTests {
    /// pid 10 busiest, 30 biggest, 20 longest running.
    var processes: [ProcessEntry] {
        [
            makeProcess(pid: 1, ppid: 0, name: "init", utime: 50, cpu: 0.1, mem: 0.1),
            makeProcess(pid: 10, ppid: 1, name: "busy", utime: 100, cpu: 90, mem: 1),
            makeProcess(pid: 20, ppid: 1, name: "old", utime: 9000, cpu: 5, mem: 2),
            makeProcess(pid: 21, ppid: 20, name: "sleep", args: ["sleep", "1000"], cpu: 0, mem: 0.5),
            makeProcess(pid: 30, ppid: 1, name: "big", utime: 10, cpu: 1, mem: 40),
        ]
    }

    @Test func sortKeysPMTN() {
        var s = makeState(processes)
        #expect(s.pidsInOrder == [10, 20, 30, 1, 21])
        _ = s.handle(.character("M"))
        #expect(s.pidsInOrder == [30, 20, 10, 21, 1])
        _ = s.handle(.character("T"))
        #expect(s.pidsInOrder == [20, 10, 1, 30, 21])
        _ = s.handle(.character("N"))
        #expect(s.pidsInOrder == [1, 10, 20, 21, 30])
        _ = s.handle(.character("I"))
        #expect(s.pidsInOrder == [30, 21, 20, 10, 1])
    }

    @Test func selectionFollowsTheProcessAcrossReSort() {
        var s = makeState(processes)
        _ = s.handle(.down)
        _ = s.handle(.down)
        #expect(s.selectedPID == 30)
        _ = s.handle(.character("N"))
        #expect(s.selectedPID == 30)
        #expect(s.selectedIndex == 4)
        _ = s.handle(.character("M"))
        #expect(s.selectedPID == 30)
        #expect(s.selectedIndex == 0)
    }

    @Test func selectionFollowsTheProcessAcrossRefresh() {
        var s = makeState(processes)
        _ = s.handle(.down)
        #expect(s.selectedPID == 20)
        // Next sample: 20 became the busiest; rows move, the selection does not.
        var next = processes
        next[2].cpuPercent = 99
        s.update(makeSnapshot(next), now: 1)
        #expect(s.pidsInOrder == [20, 10, 30, 1, 21])
        #expect(s.selectedPID == 20)
    }

    /// At the top of the list, a process that rises above the selected one is seen: the view
    /// stays at the top and the selection moves down with its process (as in htop). Scrolled
    /// down, the view stays where it is.
    @Test func aProcessRisingToTheTopIsSeenAndAScrolledViewStays() {
        var s = makeState(processes)
        s.setListHeight(3)
        // The user picks pid 10 (down and back up).
        _ = s.handle(.down)
        _ = s.handle(.up)
        #expect(s.selectedPID == 10)
        var next = processes
        next[4].cpuPercent = 95
        s.update(makeSnapshot(next), now: 1)
        #expect(s.pidsInOrder == [30, 10, 20, 1, 21])
        #expect(s.selectedPID == 10)
        #expect(s.scrollTop == 0)
        _ = s.handle(.character("M"))
        #expect(s.pidsInOrder == [30, 20, 10, 21, 1])
        #expect(s.selectedIndex == 2)
        #expect(s.scrollTop == 0)
        // Scrolled to the bottom, a refresh that moves rows keeps the view where it was.
        _ = s.handle(.end)
        #expect(s.scrollTop == 2)
        next[3].memPercent = 1.5
        s.update(makeSnapshot(next), now: 2)
        #expect(s.pidsInOrder == [30, 20, 21, 10, 1])
        #expect(s.selectedPID == 1)
        #expect(s.scrollTop == 2)
        // A selection that would leave the view brings the view with it, no further.
        next[0].memPercent = 50
        s.update(makeSnapshot(next), now: 3)
        #expect(s.pidsInOrder == [1, 30, 20, 21, 10])
        #expect(s.selectedIndex == 0)
        #expect(s.scrollTop == 0)
    }

    /// Until the user moves the selection, the bar stays on the first row whatever comes
    /// first (at start-up CPU% arrives with the second sample and reorders the list).
    @Test func untilTheUserChoosesTheBarStaysOnTheFirstRow() {
        var s = makeState(processes)
        #expect(s.selectedPID == 10)
        var next = processes
        next[4].cpuPercent = 95
        s.update(makeSnapshot(next), now: 1)
        #expect(s.pidsInOrder == [30, 10, 20, 1, 21])
        #expect(s.selectedIndex == 0 && s.selectedPID == 30)
        _ = s.handle(.character("M"))
        #expect(s.selectedIndex == 0 && s.selectedPID == 30)
        _ = s.handle(.down)
        #expect(s.selectedPID == 20)
        _ = s.handle(.character("P"))
        #expect(s.pidsInOrder == [30, 10, 20, 1, 21])
        #expect(s.selectedPID == 20)
    }

    /// A process hidden by collapsing its branch hands the selection to the branch.
    @Test func collapsingTheSelectedProcessesBranchSelectsTheBranch() {
        var s = makeState(processes, options: ScreenOptions(sortKey: .pid, tree: true))
        #expect(s.pidsInOrder == [1, 10, 20, 21, 30])
        _ = s.handle(.end)
        _ = s.handle(.up)
        #expect(s.selectedPID == 21)
        _ = s.handle(.character("*"))
        #expect(s.pidsInOrder == [1])
        #expect(s.selectedPID == 1)
        _ = s.handle(.character("*"))
        #expect(s.pidsInOrder == [1, 10, 20, 21, 30])
        #expect(s.selectedPID == 1)

        // A followed process hidden so is not followed any more: F7, F9 would act on the branch.
        _ = s.handle(.end)
        _ = s.handle(.up)
        _ = s.handle(.character("F"))
        #expect(s.followKey?.id == 21)
        _ = s.handle(.character("*"))
        #expect(s.selectedPID == 1)
        #expect(s.followKey == nil)
        #expect(s.message?.text == "Stopped following 21: its branch is collapsed")
    }

    /// Z makes room for PAUSED in the status line: an earlier message does not hide it.
    @Test func pauseClearsAnOrdinaryMessageButNotAStopsOutcome() {
        var s = makeState(processes)
        s.say("Showing kernel threads")
        _ = s.handle(.character("Z"))
        #expect(s.message == nil)
        #expect(s.paused)
        s.say("20 (old): exited 1.2 s after SIGTERM", sticky: true)
        _ = s.handle(.character("Z"))
        #expect(s.message?.text == "20 (old): exited 1.2 s after SIGTERM")
    }

    @Test func reusedPIDIsANewProcess() {
        var s = makeState(processes)
        _ = s.handle(.character("N"))
        _ = s.handle(.end)
        #expect(s.selectedPID == 30)
        let oldKey = ProcessKey(id: 30, startTicks: 100)
        // 30 exits and the kernel hands its pid to a new process.
        var next = processes.filter { $0.pid != 30 }
        next.append(makeProcess(pid: 30, name: "other", startTicks: 5000))
        s.update(makeSnapshot(next), now: 1)
        let newKey = ProcessKey(id: 30, startTicks: 5000)
        #expect(s.hasExited(oldKey))
        #expect(!s.hasExited(newKey))
        #expect(s.isNew(newKey))
        #expect(!s.isNew(oldKey))
        #expect(s.selectedRow?.entry.key == oldKey)
        // The exited process stays, greyed, next to the one that reused its pid.
        #expect(s.rows.map(\.entry.name) == ["init", "busy", "old", "sleep", "other", "big"])
        // A few seconds later the exited one is gone; the new one is no longer highlighted.
        s.tick(now: 5)
        #expect(!s.hasExited(oldKey))
        #expect(!s.isNew(newKey))
        #expect(s.rows.map(\.entry.name) == ["init", "busy", "old", "sleep", "other"])
        #expect(s.selectedRow?.entry.key == newKey)
    }

    @Test func filterIsCaseInsensitiveWithAlternativesAndEscClears() {
        var s = makeState(processes)
        _ = s.handle(.character("\\"))
        #expect(s.mode == .filter)
        s.type("BUSY|Sle")
        #expect(s.pidsInOrder == [10, 21])
        _ = s.handle(.enter)
        #expect(s.mode == .list)
        #expect(s.filterText == "BUSY|Sle")
        _ = s.handle(.function(4))
        _ = s.handle(.escape)
        #expect(s.filterText == "")
        #expect(s.rows.count == 5)
    }

    @Test func incrementalSearchAndNextMatch() {
        var s = makeState(processes + [makeProcess(pid: 40, name: "sleep", args: ["sleep", "5"], cpu: 0)])
        _ = s.handle(.character("N"))
        _ = s.handle(.character("/"))
        s.type("sl")
        #expect(s.selectedPID == 21)
        _ = s.handle(.function(3))
        #expect(s.selectedPID == 40)
        _ = s.handle(.enter)
        _ = s.handle(.character("n"))
        #expect(s.selectedPID == 21)
        _ = s.handle(.character("/"))
        s.type("zzz")
        #expect(s.searchFailed)
        #expect(s.selectedPID == 21)
    }

    @Test func tagsUntagAndTagWithChildren() {
        var s = makeState(processes, options: ScreenOptions(sortKey: .pid))
        _ = s.handle(.character(" "))
        #expect(s.tagged == [ProcessKey(id: 1, startTicks: 100)])
        #expect(s.selectedPID == 10)
        _ = s.handle(.character("U"))
        #expect(s.tagged.isEmpty)
        _ = s.handle(.down)
        #expect(s.selectedPID == 20)
        _ = s.handle(.character("c"))
        #expect(Set(s.tagged.map(\.id)) == [20, 21])
    }

    @Test func collapseAndExpandBranches() {
        var s = makeState(processes, options: ScreenOptions(sortKey: .pid, tree: true))
        #expect(s.branches == ["", "├─ ", "├─ ", "│  └─ ", "└─ "])
        _ = s.handle(.down)
        _ = s.handle(.down)
        #expect(s.selectedPID == 20)
        _ = s.handle(.character("-"))
        #expect(s.pidsInOrder == [1, 10, 20, 30])
        #expect(s.branches == ["", "├─ ", "├+ ", "└─ "])
        _ = s.handle(.character("+"))
        #expect(s.pidsInOrder == [1, 10, 20, 21, 30])
        _ = s.handle(.character("*"))
        #expect(s.pidsInOrder == [1])
        #expect(s.branches == ["+ "])
        _ = s.handle(.character("*"))
        #expect(s.pidsInOrder == [1, 10, 20, 21, 30])
    }

    @Test func followSurvivesAFilterThatHidesTheProcess() {
        var s = makeState(processes, options: ScreenOptions(sortKey: .pid))
        _ = s.handle(.end)
        _ = s.handle(.character("F"))
        #expect(s.followKey == ProcessKey(id: 30, startTicks: 100))
        _ = s.handle(.character("\\"))
        s.type("sleep")
        #expect(s.selectedPID == 21)
        _ = s.handle(.escape)
        #expect(s.selectedPID == 30)
        _ = s.handle(.up)
        #expect(s.followKey == nil)
    }

    @Test func limitsAreViewedButNotChangedWhenReadOnly() {
        var ro = makeState(processes, options: ScreenOptions(readonly: true))
        _ = ro.handle(.character("L"))
        // Viewing is allowed (issue 22): the limits view opens and asks for the limits.
        #expect(ro.mode == .limits)
        #expect(ro.message == nil)
    }

    /// Kernel threads are hidden at first, as in htop; K shows them.
    @Test func kernelThreadsShowAndUserThreadsResample() {
        var s = makeState(processes + [makeProcess(pid: 2, ppid: 0, name: "kthreadd", kernel: true)])
        #expect(s.rows.count == 5)
        _ = s.handle(.character("K"))
        #expect(s.rows.count == 6)
        #expect(s.message?.text == "Showing kernel threads")
        _ = s.handle(.character("K"))
        #expect(s.rows.count == 5)
        #expect(s.handle(.character("H")) == .resample)
        #expect(s.showUserThreads)
    }

    @Test func sortPickerChoosesAColumn() {
        var s = makeState(processes)
        _ = s.handle(.function(6))
        guard case .picker(let p) = s.mode else {
            Issue.record("no picker")
            return
        }
        #expect(p.items[p.selected] == "CPU%")
        _ = s.handle(.down)
        _ = s.handle(.enter)
        #expect(s.sortKey == .mem)
        #expect(s.mode == .list)
    }

    @Test func userPickerFiltersByUser() {
        var s = makeState(processes + [makeProcess(pid: 50, name: "postgres", user: "postgres", uid: 106)])
        _ = s.handle(.character("u"))
        guard case .picker(let p) = s.mode else {
            Issue.record("no picker")
            return
        }
        #expect(p.items == ["All users", "alice", "postgres"])
        _ = s.handle(.end)
        _ = s.handle(.enter)
        #expect(s.pidsInOrder == [50])
        #expect(ScreenRenderer.statusText(s).text == "Sort: CPU%  User: postgres  Shown: 1")
    }

    @Test func quitAndRedrawEffects() {
        var s = makeState(processes)
        #expect(s.handle(.control("l")) == .redraw)
        #expect(s.handle(.character("q")) == .quit)
        #expect(s.handle(.function(10)) == .quit)
    }

    @Test func pageMovesKeepTheSelectionVisible() {
        let many = (1...100).map { makeProcess(pid: Int32($0), cpu: 0) }
        var s = makeState(many, options: ScreenOptions(sortKey: .pid))
        s.setListHeight(10)
        _ = s.handle(.pageDown)
        #expect(s.selectedPID == 10)
        _ = s.handle(.pageDown)
        #expect(s.selectedPID == 19)
        #expect(s.scrollTop == 9)
        _ = s.handle(.end)
        #expect(s.scrollTop == 90)
        _ = s.handle(.home)
        #expect(s.scrollTop == 0)
    }

    /// What the sampler reads in full every refresh: the rows on screen, by row id, so in the
    /// thread view the threads on screen and not every thread of their processes; plus tagged
    /// and followed ones.
    @Test func sampleOptionsNameTheRowsOnScreen() {
        var threads: [ProcessEntry] = [makeProcess(pid: 1, ppid: 0, name: "init", cpu: 0.1)]
        for tid: Int32 in 500..<530 {
            threads.append(makeProcess(pid: 500, name: "java", threads: 30, cpu: Double(600 - tid), tid: tid))
        }
        var s = makeState(threads, options: ScreenOptions(showUserThreads: true))
        #expect(s.sampleOptions().threads)
        #expect(s.sampleOptions().shown == Set(500..<510))
        #expect(!s.sampleOptions().readAll)
        _ = s.handle(.character("N"))
        #expect(s.sampleOptions().shown == Set([1] + Array(500..<509)))
        _ = s.handle(.end)
        _ = s.handle(.character(" "))
        _ = s.handle(.home)
        #expect(s.sampleOptions().shown == Set([1, 529] + Array(500..<509)))

        var procs = makeState(processes)
        #expect(procs.sampleOptions().shown == [1, 10, 20, 21, 30])
        #expect(!procs.sampleOptions().threads)
        procs.sortKey = .nice
        #expect(procs.sampleOptions().readAll)
    }

    /// In the thread view each row names its thread in a TID column after PID, as
    /// `--once --threads` prints it; the PID column stays the process's.
    @Test func threadViewShowsTIDAfterPID() {
        let rows = [
            makeProcess(pid: 500, name: "java", threads: 2, cpu: 2, tid: 500),
            makeProcess(pid: 500, name: "java", threads: 2, cpu: 1, tid: 501),
        ]
        let s = makeState(rows, options: ScreenOptions(showUserThreads: true))
        let grid = ScreenRenderer(theme: .color).render(s, width: 100, height: 24)
        let title = grid.text.first { $0.hasPrefix("    PID") } ?? ""
        #expect(title.hasPrefix("    PID     TID USER      PRI"))
        let lines = grid.text.filter { $0.hasPrefix("    500") }
        #expect(lines.map { String($0.prefix(15)) } == ["    500     500", "    500     501"])
    }
}
