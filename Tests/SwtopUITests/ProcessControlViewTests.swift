import Glibc
import ProcFS
import ProcessControl
import ProcessModel
import Testing
@testable import SwtopUI

@Suite struct ProcessControlViewTests {
    var processes: [ProcessEntry] {
        [
            makeProcess(pid: 1, ppid: 0, name: "init", cpu: 0.1),
            makeProcess(pid: 10, ppid: 1, name: "busy", startTicks: 500, nice: 3, cpu: 90),
            makeProcess(pid: 20, ppid: 1, name: "old", startTicks: 600, cpu: 5),
        ]
    }

    func target(_ pid: Int32, _ name: String, _ startTicks: UInt64, nice: Int32 = 0) -> ControlTarget {
        ControlTarget(target: ProcessTarget(pid: pid, startTicks: startTicks), name: name, nice: nice)
    }

    @Test func signalMenuOffersTheGracefulStopFirstAndSelected() {
        var s = makeState(processes, options: ScreenOptions(grace: 10))
        _ = s.handle(.function(9))
        guard case .picker(let p) = s.mode else {
            Issue.record("no signal menu")
            return
        }
        #expect(p.title == "Send to 10 (busy)")
        #expect(p.selected == 0)
        #expect(p.items == [
            "Graceful stop (TERM, then KILL after 10 s)", "15 SIGTERM", " 1 SIGHUP", " 9 SIGKILL", " 2 SIGINT",
            " 3 SIGQUIT", "10 SIGUSR1", "12 SIGUSR2", "19 SIGSTOP", "18 SIGCONT",
        ])
        let bar = FunctionBar.forState(s)
        #expect(bar.items.map(\.key) == ["Enter", "Esc"])
        #expect(bar.items.map(\.label) == ["Send", "Cancel"])
        _ = s.handle(.enter)
        #expect(s.mode == .list)
        #expect(s.takeRequests() == [.gracefulStop([target(10, "busy", 500, nice: 3)])])
        #expect(s.takeRequests() == [])
    }

    @Test func escCancelsTheSignalMenu() {
        var s = makeState(processes)
        _ = s.handle(.character("k"))
        _ = s.handle(.down)
        _ = s.handle(.escape)
        #expect(s.mode == .list)
        #expect(s.takeRequests() == [])
    }

    @Test func taggedProcessesAllGetTheSignal() {
        var s = makeState(processes, options: ScreenOptions(sortKey: .pid, grace: 2.5))
        _ = s.handle(.down)
        _ = s.handle(.character(" "))
        _ = s.handle(.character(" "))
        _ = s.handle(.character("k"))
        guard case .picker(let p) = s.mode else {
            Issue.record("no signal menu")
            return
        }
        #expect(p.title == "Send to 2 tagged processes")
        #expect(p.items.first == "Graceful stop (TERM, then KILL after 2.5 s)")
        _ = s.handle(.down)
        _ = s.handle(.down)
        _ = s.handle(.enter)
        #expect(s.takeRequests() == [.signal(.hup, [target(10, "busy", 500, nice: 3), target(20, "old", 600)])])
    }

    /// A step from the nice the process has when the request is carried out, not from the
    /// snapshot's: two presses before the next refresh are two steps.
    @Test func niceKeysAskForOneStepFromTheNiceAtThatMoment() {
        var s = makeState(processes)
        _ = s.handle(.function(7))
        #expect(s.takeRequests() == [.reniceBy(-1, [target(10, "busy", 500, nice: 3)])])
        _ = s.handle(.character("["))
        _ = s.handle(.function(8))
        #expect(s.takeRequests() == [.reniceBy(1, [target(10, "busy", 500, nice: 3)]), .reniceBy(1, [target(10, "busy", 500, nice: 3)])])
        _ = s.handle(.character("]"))
        #expect(s.takeRequests() == [.reniceBy(-1, [target(10, "busy", 500, nice: 3)])])
    }

    @Test func readOnlyRefusesEveryControlKeyInTheStatusLine() {
        var s = makeState(processes, options: ScreenOptions(readonly: true))
        let expected: [(Key, String)] = [
            (.function(7), "Nice -: swtop is read-only (--readonly)"), (.character("]"), "Nice -: swtop is read-only (--readonly)"),
            (.function(8), "Nice +: swtop is read-only (--readonly)"), (.character("["), "Nice +: swtop is read-only (--readonly)"),
            (.function(9), "Kill: swtop is read-only (--readonly)"), (.character("k"), "Kill: swtop is read-only (--readonly)"),
            (.character("r"), "Nice: swtop is read-only (--readonly)"),
        ]
        for (key, text) in expected {
            _ = s.handle(key)
            #expect(s.message?.text == text)
            #expect(s.message?.isError == true)
            #expect(s.mode == .list)
        }
        #expect(s.takeRequests() == [])
    }

    @Test func replayRefusesControl() {
        var s = makeState(processes, options: ScreenOptions(replaySource: "/tmp/snap"))
        _ = s.handle(.function(9))
        #expect(s.message?.text == "Kill: this is a replay of recorded files, not live processes")
        #expect(s.mode == .list)
    }

    @Test func nicePromptSetsAnExactValue() {
        var s = makeState(processes)
        _ = s.handle(.character("r"))
        s.type("-5")
        #expect(FunctionBar.forState(s).prompt == "Nice of 10 (busy) (now 3), -20 to 19: -5")
        _ = s.handle(.enter)
        #expect(s.mode == .list)
        #expect(s.takeRequests() == [.renice([(target(10, "busy", 500, nice: 3), Int32(-5))])])
        _ = s.handle(.character("r"))
        s.type("x")
        _ = s.handle(.enter)
        #expect(s.message?.text == "Nice: invalid nice 'x': expected an integer from -20 to 19")
        #expect(s.takeRequests() == [])
        _ = s.handle(.character("r"))
        s.type("99")
        _ = s.handle(.enter)
        #expect(s.message?.text == "Nice: invalid nice '99': expected an integer from -20 to 19")
        #expect(s.takeRequests() == [])
        _ = s.handle(.character("r"))
        _ = s.handle(.escape)
        #expect(s.mode == .list)
        #expect(s.takeRequests() == [])
    }

    static let limits = ProcLimits(limits: [
        .init(resource: "cpu", name: "Max cpu time", soft: .unlimited, hard: .unlimited, unit: "seconds"),
        .init(resource: "nofile", name: "Max open files", soft: .limited(1024), hard: .limited(4096), unit: "files"),
        .init(resource: "nice", name: "Max nice priority", soft: .limited(0), hard: .limited(0), unit: nil),
    ])

    @Test func limitsViewChangesTheSelectedLimit() {
        var s = makeState(processes)
        _ = s.handle(.character("L"))
        #expect(s.mode == .limits)
        let t = target(10, "busy", 500, nice: 3)
        #expect(s.takeRequests() == [.readLimits(t)])
        s.setLimits(Self.limits, error: nil)
        let grid = ScreenRenderer(theme: .color).render(s, width: 80, height: 24)
        #expect(grid.text[5] == "RESOURCE    DESCRIPTION                    SOFT         HARD  UNIT")
        #expect(grid.text[6] == "cpu         Max cpu time              unlimited    unlimited  seconds")
        #expect(grid.text[7] == "nofile      Max open files                 1024         4096  files")
        #expect(grid.text[8] == "nice        Max nice priority                 0            0")
        #expect(grid.text[22] == "Limits of 10 (busy): Enter changes the selected one  Esc back")
        #expect(grid.text[23] == "Enter Change  Esc Back")
        _ = s.handle(.down)
        _ = s.handle(.enter)
        #expect(FunctionBar.forState(s).prompt == "nofile of 10 (busy) (now 1024:4096), SOFT[:HARD]: ")
        s.type("100:200")
        _ = s.handle(.enter)
        #expect(s.mode == .limits)
        #expect(s.takeRequests() == [.setLimit(ResourceLimits.Change(resource: "nofile", soft: .limited(100), hard: .limited(200)), t)])
        _ = s.handle(.enter)
        s.type("lots")
        _ = s.handle(.enter)
        #expect(s.message?.text == "10 (busy): invalid limit 'lots': expected a number or 'unlimited'")
        #expect(s.takeRequests() == [])
        s.setLimits(nil, error: "already gone")
        #expect(s.message?.text == "Limits of 10 (busy): already gone")
        _ = s.handle(.escape)
        #expect(s.mode == .list)
        #expect(s.limitsView == nil)
    }

    /// Quitting abandons a graceful stop (its SIGKILL is never sent): the first q says so, a
    /// second q in a row quits; any other key in between starts over.
    @Test func quittingDuringAGracefulStopTakesASecondQ() {
        var idle = makeState(processes)
        #expect(idle.handle(.character("q")) == .quit)

        var s = makeState(processes)
        s.setStopMarkers([ProcessKey(id: 10, startTicks: 100): "TERM 7s"])
        #expect(s.handle(.character("q")) == [])
        #expect(s.message?.text == "A graceful stop is in progress: q again quits and its SIGKILL is never sent")
        #expect(s.message?.isError == true)
        #expect(s.handle(.character("q")) == .quit)

        s.setStopMarkers([ProcessKey(id: 10, startTicks: 100): "TERM 7s", ProcessKey(id: 20, startTicks: 100): "TERM 3s"])
        #expect(s.handle(.function(10)) == [])
        #expect(s.message?.text == "2 graceful stops are in progress: q again quits and their SIGKILL is never sent")
        _ = s.handle(.down)
        #expect(s.handle(.character("q")) == [])
        #expect(s.handle(.function(10)) == .quit)
    }

    @Test func aStopInProgressShowsInItsRowAndItsOutcomeStays() {
        var s = makeState(processes, options: ScreenOptions(sortKey: .pid))
        s.setStopMarkers([ProcessKey(id: 20, startTicks: 600): "TERM 7s"])
        let grid = ScreenRenderer(theme: .color).render(s, width: 100, height: 24)
        #expect(grid.text[8] == "     20 alice      20   0 10000K  2048K S    1   5.0   0.0   0:00.00 [TERM 7s] old")
        s.say("20 (old): exited 1.2 s after SIGTERM", sticky: true)
        s.tick(now: 1000)
        #expect(s.message?.text == "20 (old): exited 1.2 s after SIGTERM")
    }

    @Test func aPIDReusedSinceTheSnapshotGetsNothing() {
        var s = makeState(processes)
        let me = ControlTarget(target: ProcessTarget(pid: getpid(), startTicks: 1), name: "me", nice: 0)
        let actions = ProcessActions(grace: 10)
        actions.perform(.renice([(me, Int32(5))]), on: &s)
        #expect(s.message?.text == "\(getpid()) (me): pid \(getpid()) now belongs to another process: nothing sent")
        #expect(s.message?.isError == true)
        actions.perform(.gracefulStop([me]), on: &s)
        #expect(s.message?.text == "\(getpid()) (me): pid \(getpid()) now belongs to another process: nothing sent")
        #expect(!actions.isBusy)
    }
}
