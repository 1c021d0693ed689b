import Lifecycle
import ProcFS
import ProcessModel
import Sampling
import Testing
@testable import SwtopUI

/// The screen's lifecycle parts, rendered: the events view (E), ghost rows' ends, row marks, the
/// header's exits line.
struct LifecycleViewTests {
    static let t0 = 1_800_000_000.0

    static func facts(_ pid: Int32, _ name: String, ppid: Int32 = 1, started: Double? = t0) -> ProcessFacts {
        ProcessFacts(key: ProcessKey(id: pid, startTicks: 100), name: name, cmdline: [name], ppid: ppid, uid: 0, user: "root", startTime: started)
    }

    static func exit(_ pid: Int32, _ name: String, _ outcome: Outcome, after: Double, stop: StopKind? = nil) -> LifecycleEvent {
        let record = ExitRecord(process: facts(pid, name), outcome: outcome, source: .pidfd, time: t0 + after, stoppedBySwtop: stop)
        return LifecycleEvent(time: t0 + after, process: record.process, kind: .exit(record))
    }

    static let events: [LifecycleEvent] = [
        exit(4242, "worker", .exited(code: 0), after: 1.5),
        exit(4243, "worker", .exited(code: 3), after: 2),
        exit(4244, "sleep", .killed(signal: 9), after: 3.2),
        exit(4245, "crashy", .coreDumped(signal: 11), after: 0.004),
        exit(4246, "hog", .oomKilled, after: 130),
        LifecycleEvent(time: t0 + 131, process: facts(4247, "python3", ppid: 1234), kind: .zombie(outcome: .exited(code: 5), parentName: "python3", unreaped: ZombieAge(seconds: 130, isLowerBound: false))),
        LifecycleEvent(time: t0 + 132, process: facts(4248, "child"), kind: .orphan(formerParent: 1234, formerParentName: "python3")),
        LifecycleEvent(
            time: t0 + 133, process: facts(4249, "flaky", ppid: 77),
            kind: .crashLoop(CrashLoop(restarts: 5, window: 60, lastOutcome: .exited(code: 1), pids: [1, 2, 3, 4, 4249], command: "flaky", parent: 77))),
        exit(4250, "app", .killed(signal: 15), after: 134, stop: .graceful),
        exit(4251, "stuck", .killed(signal: 9), after: 135, stop: .forced),
        exit(4252, "evil\u{1b}[2J", .exited(code: 0), after: 136),
    ]

    static func clock(_ after: Double) -> String { Format.clock(t0 + after) }

    @Test func eachEventIsOneLineInTheUsersWords() {
        let lines = Self.events.map(LifecycleView.line)
        #expect(lines == [
            Self.clock(1.5) + "    4242 worker          exited 0 after 1.5 s",
            Self.clock(2) + "    4243 worker          exited 3 after 2.0 s",
            Self.clock(3.2) + "    4244 sleep           killed by SIGKILL after 3.2 s",
            Self.clock(0.004) + "    4245 crashy          SIGSEGV, core dumped after 4 ms",
            Self.clock(130) + "    4246 hog             OOM-killed after 2m 10s",
            Self.clock(131) + "    4247 python3         zombie of 1234 python3 for 2m 10s (exited 5)",
            Self.clock(132) + "    4248 child           orphaned: 1234 python3 exited, now a child of 1",
            Self.clock(133) + "    4249 flaky           crash loop: 5 restarts in 60 s, last exited 1",
            Self.clock(134) + "    4250 app             killed by SIGTERM after 2m 14s (stopped by swtop: SIGTERM was enough)",
            Self.clock(135) + "    4251 stuck           killed by SIGKILL after 2m 15s (stopped by swtop: needed SIGKILL)",
            // A name with an escape sequence is shown escaped, never sent to the terminal.
            Self.clock(136) + "    4252 evil\\x1b[2J     exited 0 after 2m 16s",
        ])
    }

    static func stateWithEvents(height: Int = 24) -> ViewState {
        var state = makeState([makeProcess(pid: 1, name: "init", user: "root", uid: 0)], options: ScreenOptions(sortKey: .pid))
        var view = LifecycleView()
        view.events = events
        view.ended = 12
        view.failed = 3
        view.oomKilled = 1
        state.setLifecycle(view)
        _ = state.handle(.character("E"))
        return state
    }

    @Test func eventsViewListsNewestFirstAndScrolls() {
        var state = Self.stateWithEvents()
        #expect(state.mode == .events)
        var grid = ScreenRenderer(theme: .color).render(state, width: 100, height: 16)
        let layout = ScreenRenderer().layout(state, width: 100, height: 16)
        state.setListHeight(layout.listHeight)
        #expect(grid.text[4] == String(repeating: " ", count: 51) + "Exits (5 min): 12, 3 failed, 1 OOM-killed")
        #expect(grid.text[layout.titleRow] == "    TIME     PID NAME            WHAT HAPPENED")
        // What needs attention first: the two clean exits (4242, 4252) are left out and counted.
        #expect(grid.text[layout.listTop] == Self.clock(135) + "    4251 stuck           killed by SIGKILL after 2m 15s (stopped by swtop: needed SIGKILL)")
        #expect(grid.text[layout.listTop + 1] == Self.clock(134) + "    4250 app             killed by SIGTERM after 2m 14s (stopped by swtop: SIGTERM was enoug")
        #expect(grid.text[14] == "Events: 9, newest first · 2 clean exits hidden · a: show all  Esc back")
        // a brings them back (and says how to hide them again).
        _ = state.handle(.character("a"))
        #expect(state.mode == .events)
        grid = ScreenRenderer(theme: .color).render(state, width: 100, height: 16)
        #expect(grid.text[layout.listTop] == Self.clock(136) + "    4252 evil\\x1b[2J     exited 0 after 2m 16s")
        #expect(grid.text[layout.listTop + 1] == Self.clock(135) + "    4251 stuck           killed by SIGKILL after 2m 15s (stopped by swtop: needed SIGKILL)")
        #expect(grid.text[14] == "Events: 11, newest first · a: hide clean exits  Esc back")
        #expect(grid.text[15] == "Esc Back  F10Quit")
        // A failure's line stands out; a clean exit's does not.
        #expect(grid.roles(layout.listTop + 1).first == .taskWarning)
        #expect(grid.roles(layout.listTop).first == .normal)

        // Down scrolls one line; End shows the last page full, ending with the oldest event.
        _ = state.handle(.down)
        grid = ScreenRenderer(theme: .color).render(state, width: 100, height: 16)
        #expect(grid.text[layout.listTop] == Self.clock(135) + "    4251 stuck           killed by SIGKILL after 2m 15s (stopped by swtop: needed SIGKILL)")
        _ = state.handle(.end)
        grid = ScreenRenderer(theme: .color).render(state, width: 100, height: 16)
        #expect(grid.text[layout.listTop + layout.listHeight - 1] == Self.clock(1.5) + "    4242 worker          exited 0 after 1.5 s")
        #expect(state.eventsTop == 11 - layout.listHeight)
        _ = state.handle(.home)
        #expect(state.eventsTop == 0)

        _ = state.handle(.escape)
        #expect(state.mode == .list)
        _ = state.handle(.character("E"))
        _ = state.handle(.character("q"))
        #expect(state.mode == .list)
        // The choice holds until a is pressed again.
        _ = state.handle(.character("E"))
        #expect(state.shownEvents.count == 11)
        _ = state.handle(.character("a"))
        #expect(state.shownEvents.count == 9)
    }

    /// Only clean exits, all hidden: the view says so rather than "nothing has happened".
    @Test func eventsViewWithOnlyCleanExits() {
        var state = makeState([makeProcess(pid: 1, name: "init")])
        var view = LifecycleView()
        view.events = [Self.exit(4242, "true", .exited(code: 0), after: 1)]
        state.setLifecycle(view)
        _ = state.handle(.character("E"))
        let grid = ScreenRenderer(theme: .color).render(state, width: 120, height: 16)
        let layout = ScreenRenderer().layout(state, width: 120, height: 16)
        #expect(grid.text[layout.listTop].trimmingTrailingSpaces()
            == " Only clean exits so far (a shows them): failures, stops, zombies, orphans and crash loops appear here.")
        #expect(grid.text[14].trimmingTrailingSpaces() == "Events: 0, newest first · 1 clean exit hidden · a: show all  Esc back")
    }

    /// Which events need attention: all but a clean exit, one nobody asked to stop.
    @Test func cleanExitIsExitZeroThatNobodyAskedFor() {
        let sender = SignalSender(pid: 812, name: "deployer", uid: 0, user: "root", kernel: false)
        var clean = ExitRecord(process: Self.facts(1, "true"), outcome: .exited(code: 0), source: .procConnector, time: Self.t0)
        #expect(clean.isClean)
        var requested = clean
        requested.stop = StopEnding(kind: .graceful, signal: 15, after: 2, requestedBy: sender)
        var bySwtop = clean
        bySwtop.stoppedBySwtop = .graceful
        var failed = clean
        failed.outcome = .exited(code: 3)
        var unknown = clean
        unknown.outcome = .unknown
        let records = [clean, requested, bySwtop, failed, unknown]
        #expect(records.map(\.isClean) == [true, false, false, false, false])
        let events = records.map { LifecycleEvent(time: $0.time, process: $0.process, kind: .exit($0)) } + Array(Self.events[5...7])
        #expect(events.map(\.needsAttention) == [false, true, true, true, true, true, true, true])
        let picked = LifecycleEvent.needingAttention(events)
        #expect(picked.cleanExits == 1)
        #expect(picked.shown.map(\.process.pid) == [1, 1, 1, 1, 4247, 4248, 4249])
        clean.outcome = .killed(signal: 9)
        #expect(!clean.isClean)
    }

    @Test func eventsViewFollowsTheListsFilter() {
        var state = Self.stateWithEvents()
        _ = state.handle(.escape)
        _ = state.handle(.function(4))
        state.type("worker")
        _ = state.handle(.enter)
        _ = state.handle(.character("E"))
        let grid = ScreenRenderer(theme: .color).render(state, width: 100, height: 16)
        let layout = ScreenRenderer().layout(state, width: 100, height: 16)
        #expect(grid.text[layout.listTop] == Self.clock(2) + "    4243 worker          exited 3 after 2.0 s")
        #expect(grid.text[layout.listTop + 1].allSatisfy { $0 == " " })
        #expect(grid.text[14] == "Events: 1 (filtered as the list), newest first · 1 clean exit hidden · a: show all  Esc back")
    }

    @Test func eventsViewWithoutEvents() {
        var state = makeState([makeProcess(pid: 1, name: "init")])
        state.setLifecycle(LifecycleView())
        _ = state.handle(.character("E"))
        let grid = ScreenRenderer(theme: .color).render(state, width: 100, height: 16)
        let layout = ScreenRenderer().layout(state, width: 100, height: 16)
        #expect(grid.text[layout.listTop].hasPrefix(" Nothing has happened yet: exits, zombies, orphans and crash loops appear here."))
        #expect(grid.text[4] == String(repeating: " ", count: 51) + "Exits (5 min): 0, 0 failed")
    }

    @Test func headerLineShortensItsLabelAt80Columns() {
        var state = makeState([makeProcess(pid: 1, name: "init")])
        var view = LifecycleView()
        view.ended = 12
        view.failed = 3
        view.oomKilled = 1
        state.setLifecycle(view)
        let grid = ScreenRenderer(theme: .color).render(state, width: 80, height: 24)
        #expect(grid.text[3] == "Swp[                             0K/0K]  Uptime: 3 days, 04:05:06")
        #expect(grid.text[4] == String(repeating: " ", count: 41) + "Exits 5m: 12, 3 failed, 1 OOM-killed")
        // A replay has no monitor and no such line.
        let replay = makeState([makeProcess(pid: 1, name: "init")])
        #expect(ScreenRenderer(theme: .color).render(replay, width: 80, height: 24).text[4] == "")
    }

    @Test func ghostRowsSayHowTheyEndedAndRowsCarryMarks() {
        let dying = makeProcess(pid: 42, name: "worker", args: ["worker", "--job", "7"])
        let parent = makeProcess(pid: 50, name: "python3", args: ["python3", "serve.py"])
        let zombie = makeProcess(pid: 51, ppid: 50, name: "python3", args: [], state: "Z")
        var state = makeState([makeProcess(pid: 1, name: "init"), dying, parent, zombie], options: ScreenOptions(sortKey: .pid))
        state.update(makeSnapshot([makeProcess(pid: 1, name: "init"), parent, zombie]), now: 1)
        #expect(state.hasExited(dying.key))
        var view = LifecycleView()
        view.endings[dying.key] = "exited 3"
        view.marks[parent.key] = LifecycleView.parentMark(zombies: 1)
        view.marks[zombie.key] = LifecycleView.zombieMark(unreaped: ZombieAge(seconds: 130.4, isLowerBound: false), ending: "exited 5")
        state.setLifecycle(view)
        let grid = ScreenRenderer(theme: .color).render(state, width: 120, height: 24)
        let rows = grid.text.filter { $0.hasPrefix("     42 ") || $0.hasPrefix("     50 ") || $0.hasPrefix("     51 ") }
        #expect(rows.count == 3)
        #expect(rows.map { $0.trimmingTrailingSpaces().split(separator: "   0:00.00 ").last.map(String.init) ?? "" } == [
            "[exited 3] worker --job 7", "[1 zombie] python3 serve.py", "[zombie 2m10s, exited 5] [python3]",
        ])
        // A ghost's mark is greyed with its row; a live row's mark stands out.
        let y50 = grid.text.firstIndex { $0.hasPrefix("     50 ") } ?? 0
        let x = grid.text[y50].distance(from: grid.text[y50].startIndex, to: grid.text[y50].firstIndex(of: "[")!)
        #expect(grid.roles(y50)[x] == .taskWarning)
    }

    @Test func helpListsEAndStillFitsAt80x24() {
        var state = makeState([makeProcess(pid: 1, name: "init")])
        _ = state.handle(.function(1))
        let text = ScreenRenderer(theme: .color).render(state, width: 80, height: 24).text
        #expect(text.contains { $0.hasSuffix(" E           events (a: show all)") })
        #expect(text.contains { $0.hasSuffix(" L           limits; Enter changes one") })
        #expect(text.contains { $0.hasPrefix(" U           untag all") })
    }

    @Test func marksInWords() {
        #expect(LifecycleView.zombieMark(unreaped: ZombieAge(seconds: 8.9, isLowerBound: false), ending: nil) == "zombie 8s")
        #expect(LifecycleView.zombieMark(unreaped: nil, ending: Outcome.killed(signal: 9).described()) == "zombie, killed by SIGKILL")
        #expect(LifecycleView.zombieMark(unreaped: ZombieAge(seconds: 3 * 3600 + 300, isLowerBound: false), ending: "SIGSEGV, core dumped") == "zombie 3h5m, SIGSEGV, core dumped")
        // There before swtop watched: at least the time watched, never new.
        #expect(LifecycleView.zombieMark(unreaped: ZombieAge(seconds: 12.7, isLowerBound: true), ending: "exited 7") == "zombie ≥12s, exited 7")
        #expect(LifecycleView.parentMark(zombies: 3) == "3 zombies")
        #expect(LifecycleView.shortDuration(2 * 86400 + 4 * 3600) == "2d4h")
    }

    /// The marks from a real monitor, fed a recorded tree: a parent holding two zombies.
    @Test func monitorMarksZombiesOfARecordedTree() throws {
        // Tests/SwtopUITests/this file -> the package's directory.
        let root = #filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/")
        let sampler = try Sampler(root: root + "/Fixtures/proc/zombies")
        let lifecycle = ScreenLifecycle(sampler: sampler)
        let snapshot = try sampler.sample(SampleOptions())
        var state = ViewState()
        lifecycle.observe(snapshot, state: &state)
        state.update(snapshot, now: 0, baseline: true)
        lifecycle.show(snapshot, state: &state)
        let view = try #require(state.lifecycle)
        let zombies = snapshot.processes.filter { $0.state == .zombie }
        #expect(zombies.map(\.pid).sorted() == [15617, 15618])
        let parent = try #require(snapshot.processes.first { $0.pid == 15614 })
        #expect(view.marks[parent.key] == "2 zombies")
        // Their wait status reads 0 in the recording; as root (or their user) that says exited 0.
        // They were zombies at the first snapshot: their age is at least the time watched.
        let expected = Outcome.canReadWaitStatus(of: zombies[0].uid) ? "zombie ≥0s, exited 0" : "zombie ≥0s"
        for z in zombies { #expect(view.marks[z.key] == expected) }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
