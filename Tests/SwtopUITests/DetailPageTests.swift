import Lifecycle
import ProcFS
import ProcessModel
import Sampling
import TestSupport
import Testing
@testable import SwtopUI

/// The detail page of Fixtures/proc/detail's process 4242 as the screen draws it.
@Suite struct DetailPageTests {
    static let root = Paths.fixture("detail")

    /// The list on the fixture, 4242 selected, the page opened with `key` and read once.
    func openPage(_ key: Key, pid: Int32 = 4242) throws -> (ViewState, Sampler) {
        let sampler = try Sampler(root: Self.root)
        var state = ViewState(ScreenOptions())
        state.setListHeight(20)
        state.update(try sampler.sample(), now: 100, baseline: true)
        let row = try #require(state.rows.firstIndex { $0.entry.pid == pid })
        for _ in 0..<row { _ = state.handle(.down) }
        #expect(state.selectedPID == pid)
        _ = state.handle(key)
        #expect(state.mode == .detail)
        state.setDetailPageSize(width: 80, height: 21)
        DetailRefresh.refresh(&state, reader: sampler.reader)
        return (state, sampler)
    }

    func page(_ state: ViewState, width: Int = 80) throws -> [String] {
        let view = try #require(state.detailView)
        return DetailPage.lines(view, state: state, width: width).map { TextLayout.trimmedTrailing($0.text) }
    }

    /// The 21 page lines on screen.
    func onScreen(_ state: ViewState) throws -> ArraySlice<String> {
        let scroll = try #require(state.detailView?.scroll)
        let lines = try page(state)
        return lines[scroll..<min(lines.count, scroll + 21)]
    }

    /// History: the earlier ends of the same command under the same parent, newest first; other
    /// commands', and the same command's under another parent, are not its history.
    @Test func historyListsThisCommandsEarlierEnds() throws {
        var (state, _) = try openPage(.enter)
        func facts(_ pid: Int32, _ cmdline: [String], ppid: Int32) -> ProcessFacts {
            ProcessFacts(key: ProcessKey(id: pid, startTicks: UInt64(pid)), name: "app", cmdline: cmdline, ppid: ppid, uid: 0, user: "root", startTime: 1000)
        }
        let mine = ["/usr/bin/app", "--port", "8080"]
        func exit(_ pid: Int32, _ cmdline: [String], ppid: Int32, at time: Double, _ outcome: Outcome) -> LifecycleEvent {
            let f = facts(pid, cmdline, ppid: ppid)
            return LifecycleEvent(time: time, process: f, kind: .exit(ExitRecord(process: f, outcome: outcome, source: .procConnector, time: time)))
        }
        var view = LifecycleView()
        let loop = CrashLoop(restarts: 3, window: 60, lastOutcome: .exited(code: 1), pids: [4100, 4101, 4102], command: mine.joined(separator: " "), parent: 4000)
        view.events = [
            exit(4100, mine, ppid: 4000, at: 1001, .exited(code: 1)),
            exit(4101, mine, ppid: 4000, at: 1002, .killed(signal: 9)),
            exit(4102, mine, ppid: 4000, at: 1003, .exited(code: 1)),
            LifecycleEvent(time: 1003, process: facts(4102, mine, ppid: 4000), kind: .crashLoop(loop)),
            exit(4103, ["/usr/bin/other"], ppid: 4000, at: 1004, .exited(code: 0)),
            exit(4104, mine, ppid: 1, at: 1005, .exited(code: 0)),
        ]
        state.setLifecycle(view)
        let lines = try page(state)
        let start = try #require(lines.firstIndex(of: "History"))
        let clock = { (t: Double) in Format.clock(t) }
        #expect(Array(lines[(start + 1)...]) == [
            "  \(clock(1003))  4102  crash loop: 3 restarts in 60 s, last exited 1",
            "  \(clock(1003))  4102  exited 1 after 3.0 s",
            "  \(clock(1002))  4101  killed by SIGKILL after 2.0 s",
            "  \(clock(1001))  4100  exited 1 after 1.0 s",
        ])
    }

    @Test func everySectionOfTheFixtureProcess() throws {
        let (state, _) = try openPage(.enter)
        let lines = try page(state)
        let user = UserNames.lookUp(1000).map { $0 + " " } ?? ""
        let started = try #require(lines.first { $0.hasPrefix("  Started       ") })
        let expected = [
            "Identity",
            "  PID           4242   threads 3",
            "  Name          my) app",
            "  Command       /usr/bin/app --port 8080",
            "  Executable    /usr/bin/app (deleted)",
            "                the binary was replaced or removed after it started",
            "  Cwd           /srv/app",
            // The fixture's root is not `/` (a link to `/` would lead a walker of Fixtures into /proc).
            "  Root          /srv/app/jail",
            "  User          real \(user)(1000), effective root (0)",
            started,
            "  Terminal      pts/1   session 4242   process group 4242",
            "",
            "State",
            "  State         D (disk sleep)",
            "  Waiting in    folio_wait_bit_common",
            "  In D for      0 s (since swtop saw it enter)",
            "  Kernel stack  folio_wait_bit_common+0x13f/0x340",
            "                filemap_fault+0x5c1/0x9d0",
            "",
            "Family",
            "  Parents       4000 supervisor",
            "                1 init",
            "  Children      none",
            "",
            "Resources",
            "  CPU           -   nice 0   priority 20   SCHED_RR (real-time priority 5)",
            "  Memory        RSS 10240K = anon 6144K + file 3072K + shmem 1024K; swap 512K",
            "  Threads       3",
            "  Open files    9 of 10 open (soft limit; hard 4096)",
            // RLIMIT_NPROC counts the real user's threads: 4000's one and 4242's three.
            "  Near limits   Max processes: 4 of 4 processes (100%)",
            "  Disk I/O      1024K read, 3072K written (since it started)",
            "  OOM score     667 (adjustment 500); the kernel kills the highest first",
            "",
            "Open files (9)",
            "     0  /dev/null",
            "     1  /var/log/app.log",
            "     2  /var/log/app.log",
            "     3  TCP 127.0.0.1:8080 (LISTEN)",
            "     4  TCP 10.0.0.5:45678->93.184.216.34:443 (ESTABLISHED)",
            "     5  UNIX /run/app.sock STREAM (LISTEN)",
            "     6  socket:[9999] (another protocol: not in tcp, udp or unix)",
            "     7  pipe:[77]",
            "     8  /var/log/old.log (deleted)",
            "",
            "Environment (3)",
            "  HOME=/home/app",
            "  LANG=C.UTF-8",
            // The escape sequence reaches the terminal as text, not as a command.
            "  EVIL=\\x1b]0;pwned\\x07",
            "",
            "History",
            "  none yet",
        ]
        #expect(lines == expected)
        // The start is btime + 1000 ticks: 2025-11-30 00:00:10 UTC, shown in local time.
        #expect(started.hasSuffix(" ago)"))
    }

    /// A process that set its title wrote over its environment's area (4300: the end of its
    /// title, then NULs, as nginx leaves it): the page shows the entry that is there and says
    /// what the area holds, not 39 empty lines.
    @Test func aRewrittenEnvironmentShowsWhatIsThereAndSaysSo() throws {
        let (state, _) = try openPage(.character("e"), pid: 4300)
        let lines = try page(state)
        let at = try #require(lines.firstIndex(of: "Environment (1)"), "\(lines)")
        #expect(Array(lines[at...].prefix(4)) == [
            "Environment (1)",
            "  the area no longer holds KEY=VALUE pairs: the process wrote over it (as",
            "    setproctitle does); 39 empty entries not shown",
            "  rocess",
        ])
    }

    @Test func lAndEOpenAtTheirSections() throws {
        let (files, _) = try openPage(.character("l"))
        // Both sections are near the page's end: it scrolls as far as it goes (the last line at
        // the bottom, as a pager does) with the section's title on screen.
        #expect(try onScreen(files).contains("Open files (9)"))
        #expect(files.detailView?.scroll == (try page(files).count) - 21)
        let (environment, _) = try openPage(.character("e"))
        #expect(try onScreen(environment).contains("Environment (3)"))
    }

    @Test func scrollKeysStayInsideThePage() throws {
        var (state, _) = try openPage(.enter)
        let count = try page(state).count
        _ = state.handle(.up)
        #expect(state.detailView?.scroll == 0)
        _ = state.handle(.pageDown)
        #expect(state.detailView?.scroll == 20)
        _ = state.handle(.end)
        #expect(state.detailView?.scroll == count - 21)
        _ = state.handle(.down)
        #expect(state.detailView?.scroll == count - 21)
        _ = state.handle(.home)
        #expect(state.detailView?.scroll == 0)
        _ = state.handle(.character("e"))
        #expect(try onScreen(state).contains("Environment (3)"))
        #expect(state.detailView?.scroll == count - 21)
        _ = state.handle(.home)
        _ = state.handle(.character("l"))
        #expect(try onScreen(state).contains("Open files (9)"))
        // On a screen of five rows the section's title is the first line shown.
        state.setDetailPageSize(width: 80, height: 5)
        _ = state.handle(.character("l"))
        #expect(try page(state)[try #require(state.detailView?.scroll)] == "Open files (9)")
    }

    @Test func theWheelScrollsAndTheBarsKeysClick() throws {
        var (state, _) = try openPage(.enter)
        _ = state.handle(MouseEvent(.wheelDown, x: 10, y: 10), on: .nothing)
        #expect(state.detailView?.scroll == 3)
        _ = state.handle(MouseEvent(.wheelUp, x: 10, y: 10), on: .nothing)
        #expect(state.detailView?.scroll == 0)
        let renderer = ScreenRenderer(theme: .color)
        // "Esc Back  l Files e Environment  F10Quit": the e of the function bar.
        let target = renderer.target(at: 18, 23, in: state, width: 80, height: 24)
        #expect(target == .functionKey(.character("e")))
        _ = state.handle(MouseEvent(.click, x: 18, y: 23), on: target)
        #expect(try onScreen(state).contains("Environment (3)"))
        let back = renderer.target(at: 1, 23, in: state, width: 80, height: 24)
        _ = state.handle(MouseEvent(.click, x: 1, y: 23), on: back)
        #expect(state.mode == .list)
        #expect(state.selectedPID == 4242)
    }

    @Test func escAndQGoBackWithTheSelectionKept() throws {
        for key in [Key.escape, .character("q")] {
            var (state, _) = try openPage(.enter)
            #expect(state.handle(key) == [])
            #expect(state.mode == .list)
            #expect(state.detailView == nil)
            #expect(state.selectedPID == 4242)
        }
    }

    @Test func onATaggedSetTheSelectedOneOpens() throws {
        let sampler = try Sampler(root: Self.root)
        var state = ViewState(ScreenOptions())
        state.update(try sampler.sample(), now: 100, baseline: true)
        _ = state.handle(.character(" "))
        _ = state.handle(.character(" "))
        let selected = try #require(state.selectedPID)
        _ = state.handle(.enter)
        #expect(state.detailView?.target.target.pid == selected)
    }

    /// Once the process is gone the page says so on top, dims the rest and reads no more.
    @Test func anExitedProcessIsNeverShownAsCurrent() throws {
        var (state, sampler) = try openPage(.enter)
        state.setDetail(.gone, wallClock: 1_764_460_900)
        let view = try #require(state.detailView)
        let lines = DetailPage.lines(view, state: state, width: 80)
        #expect(lines[0].text.hasPrefix("EXITED: swtop saw process 4242 gone at "))
        let banner = lines.prefix { $0.role == .statusError }
        #expect(banner.map(\.text).joined(separator: " ").hasSuffix(", before it exited."))
        // Even the deleted binary's red line: nothing below the banner looks current.
        #expect(lines.count > banner.count + 40)
        #expect(lines.dropFirst(banner.count).allSatisfy { $0.role == .dim })
        #expect(!view.needsRead)
        // A later refresh changes nothing: the page stays as it was when the process exited.
        DetailRefresh.refresh(&state, reader: sampler.reader)
        #expect(state.detailView?.files == view.files)
        #expect(state.detailView?.readAt == view.readAt)
        #expect(state.detailView?.exit == view.exit)
        let status = ScreenRenderer.statusText(state)
        #expect(status.text == "Process 4242 (my) app) exited")
    }

    /// Every process of the hard cases (names with escapes, cut files, huge numbers) opens,
    /// lays out at any width and draws without a trap, and no control character is left.
    @Test func everyHardCaseLaysOutAndDraws() throws {
        let sampler = try Sampler(root: Paths.fixture("hardcases"))
        var state = ViewState(ScreenOptions())
        state.setListHeight(200)
        state.update(try sampler.sample(), now: 100, baseline: true)
        _ = state.handle(.character("K"))
        #expect(state.rows.count > 20)
        for i in 0..<state.rows.count {
            _ = state.handle(.home)
            for _ in 0..<i { _ = state.handle(.down) }
            _ = state.handle(.enter)
            #expect(state.mode == .detail)
            DetailRefresh.refresh(&state, reader: sampler.reader)
            for width in [1, 20, 80, 200] {
                state.setDetailPageSize(width: width, height: 10)
                let view = try #require(state.detailView)
                let lines = DetailPage.lines(view, state: state, width: width)
                #expect(!lines.contains { $0.text.unicodeScalars.contains(where: DisplayText.isControl) })
                _ = ScreenRenderer(theme: .color).render(state, width: width, height: 12)
                _ = state.handle(.end)
            }
            _ = state.handle(.escape)
        }
    }

    @Test func thePageOnTheScreenAt80Columns() throws {
        let (state, _) = try openPage(.enter)
        let grid = ScreenRenderer(theme: .color).render(state, width: 80, height: 24)
        let text = grid.text
        #expect(text[0] == "Process 4242 (my) app)  Identity  lines 1-21 of 51")
        #expect(text[1] == "Identity")
        #expect(text[2] == "  PID           4242   threads 3")
        #expect(text[22].hasPrefix("Details of 4242 (my) app), read at "))
        #expect(text[23] == "Esc Back  l Files e Environment  F10Quit")
    }
}
