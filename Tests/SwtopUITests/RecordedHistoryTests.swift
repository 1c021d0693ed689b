import Foundation
import Journal
import Lifecycle
import ProcFS
import ProcessModel
import Testing
@testable import SwtopUI

/// The events view's recorded part: the journal read into the newest lines only, with the gaps,
/// and shown below the live events through the same filter.
struct RecordedHistoryTests {
    static let t0 = 1_800_000_000.0

    static func utc(_ t: Double) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        return f.string(from: Date(timeIntervalSince1970: t))
    }

    static func exitLine(_ pid: Int, _ name: String, code: Int, at t: Double) -> String {
        #"{"schema":"swtop-event/1","time":"\#(utc(t))","event":"exit","pid":\#(pid),"ppid":1,"name":"\#(name)","cmdline":["\#(name)"],"uid":0,"user":"root","lifetime_s":2,"outcome":"exited","exit_code":\#(code),"signal":null,"source":"proc_connector"}"#
    }

    static func marker(_ state: String, at t: Double) -> String {
        #"{"schema":"swtop-event/1","time":"\#(utc(t))","event":"recording","state":"\#(state)","pid":77}"#
    }

    /// A journal directory holding `lines` in the day file of t0.
    static func journal(_ lines: [String]) throws -> String {
        let dir = NSTemporaryDirectory() + "swtop-history-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        let name = "events-" + f.string(from: Date(timeIntervalSince1970: t0)) + ".jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/" + name, atomically: false, encoding: .utf8)
        return dir
    }

    /// The events view drawn with `history` below the `live` events, the list filtered by F4 `filter`.
    static func eventsView(
        _ history: RecordedHistory, live: [LifecycleEvent] = [], filter: String? = nil, width: Int = 100, height: Int = 24
    ) -> (grid: ScreenGrid, layout: ScreenLayout) {
        var state = makeState([makeProcess(pid: 1, name: "init")], options: ScreenOptions(sortKey: .pid))
        var view = LifecycleView()
        view.events = live
        state.setLifecycle(view)
        state.setRecorded(history)
        if let filter {
            _ = state.handle(.function(4))
            state.type(filter)
            _ = state.handle(.enter)
        }
        _ = state.handle(.character("E"))
        return (ScreenRenderer(theme: .color).render(state, width: width, height: height), ScreenRenderer().layout(state, width: width, height: height))
    }

    /// Six events and a lost line in a journal, three kept: the newest, and how many were left out.
    @Test func keepsTheNewestLinesAndSaysHowManyWereLeftOut() throws {
        var lines = [Self.marker("started", at: Self.t0)]
        for i in 1...6 { lines.append(Self.exitLine(100 + i, "job", code: i, at: Self.t0 + Double(i))) }
        lines.append(#"{"schema":"swtop-event/1","time":"\#(Self.utc(Self.t0 + 7))","event":"lost","count":4,"cause":"kernel"}"#)
        lines.append(Self.marker("stopped", at: Self.t0 + 8))
        // After the screen's start: live, not recorded.
        lines.append(Self.exitLine(999, "late", code: 9, at: Self.t0 + 20))
        let dir = try Self.journal(lines)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let history = RecordedHistory.read(directory: dir, until: Self.t0 + 10, limit: 3)
        #expect(history.state == .read)
        #expect(history.events.map(\.process.pid) == [105, 106])
        #expect(history.notes.map(\.text) == ["4 events lost: the kernel's proc connector buffer overflowed"])
        #expect(history.cut == 4)
        // The gap before the first start lies among the lines left out: not shown.
        #expect(history.gaps == [RecordingGaps.Gap(from: Self.t0 + 8, to: Self.t0 + 10)])
        #expect(history.warnings == [])
        let (grid, layout) = Self.eventsView(history, width: 160)
        let clock = { (t: Double) in Format.clock(Self.t0 + t) }
        let expected = [
            "── live since \(clock(10)) ──",
            "── recorded in \(dir), the last 24 h ──",
            "── not recorded \(clock(8)) – \(clock(10)) ──",
            clock(7) + "                         4 events lost: the kernel's proc connector buffer overflowed",
            clock(6) + "     106 job             exited 6 after 2.0 s",
            clock(5) + "     105 job             exited 5 after 2.0 s",
            "── 4 older recorded lines left out: swtop events --since 24h --journal \(dir) lists them ──",
        ]
        #expect(Array(grid.text[layout.listTop..<(layout.listTop + expected.count + 1)]) == expected + [""])
    }

    @Test func gapsInWords() {
        let day = Format.localDate(Self.t0 + 100)
        #expect(ViewState.gapWords(RecordingGaps.Gap(from: Self.t0 + 3, to: Self.t0 + 100), day: day)
            == "not recorded \(Format.clock(Self.t0 + 3)) – \(Format.clock(Self.t0 + 100))")
        // A recorder restarted at once: the two times would read the same.
        let second = (Self.t0 + 100).rounded(.down)
        #expect(ViewState.gapWords(RecordingGaps.Gap(from: second + 0.1, to: second + 0.6), day: day)
            == "not recorded for under a second at \(Format.clock(second))")
        // Begun on the day before: its date is said.
        let before = Self.t0 + 100 - 86_400
        #expect(ViewState.gapWords(RecordingGaps.Gap(from: before, to: Self.t0 + 100), day: day)
            == "not recorded \(Format.localDate(before)) \(Format.clock(before)) – \(Format.clock(Self.t0 + 100))")
    }

    /// A journal that holds nothing in the 24 h: the rule says so, the status line is as without one.
    @Test func anEmptyJournalSaysNothing() throws {
        let dir = try Self.journal([Self.exitLine(101, "old", code: 1, at: Self.t0 - 90_000)])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (grid, layout) = Self.eventsView(RecordedHistory.read(directory: dir, until: Self.t0), width: 160)
        #expect(Array(grid.text[layout.listTop..<(layout.listTop + 3)]) == [
            "── live since \(Format.clock(Self.t0)) ──", "── recorded in \(dir), the last 24 h: nothing ──", "",
        ])
        #expect(grid.text[layout.statusRow].hasPrefix("Events: 0, newest first  Esc back"))
    }

    @Test func aMissingDirectoryIsSaidWhy() {
        let history = RecordedHistory.read(directory: "/nonexistent/swtop-journal", until: Self.t0)
        #expect(history.state == .unreadable("no journal: cannot open the journal directory /nonexistent/swtop-journal: No such file or directory"))
        #expect(history.events.isEmpty && history.gaps.isEmpty)
    }

    /// Live events on top, the rule, the recorded ones with the gap between them; the list's
    /// filter (F4) applies to recorded events as to live ones.
    @Test func recordedEventsBelowLiveOnesThroughTheSameFilter() throws {
        let lines = [
            Self.marker("started", at: Self.t0), Self.exitLine(201, "worker", code: 3, at: Self.t0 + 1),
            Self.exitLine(202, "other", code: 4, at: Self.t0 + 2), Self.marker("started", at: Self.t0 + 60),
            Self.exitLine(203, "worker", code: 5, at: Self.t0 + 61),
        ]
        let dir = try Self.journal(lines)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (grid, layout) = Self.eventsView(
            RecordedHistory.read(directory: dir, until: Self.t0 + 90), live: [LifecycleViewTests.exit(301, "worker", .exited(code: 6), after: 100)],
            filter: "worker")
        let clock = { (t: Double) in Format.clock(Self.t0 + t) }
        let expected = [
            "── live since \(clock(90)) ──",
            clock(100) + "     301 worker          exited 6 after 1m 40s",
            "── recorded in \(dir), the last 24 h ──",
            clock(61) + "     203 worker          exited 5 after 2.0 s",
            "── not recorded \(clock(2)) – \(clock(60)) ──",
            clock(1) + "     201 worker          exited 3 after 2.0 s",
            "── not recorded \(Format.localDate(Self.t0 + 90 - 86_400)) \(clock(90 - 86_400)) – \(clock(0)) ──",
        ]
        #expect(Array(grid.text[layout.listTop..<(layout.listTop + expected.count + 1)]) == expected + [""])
        #expect(grid.roles(layout.listTop).first == .dim)
        #expect(grid.roles(layout.listTop + 3).first == .taskWarning)
        #expect(grid.text[layout.statusRow].hasPrefix("Events: 1 live, 2 recorded (filtered as the list), newest first  Esc back"))
    }

    /// No journal: one line at the top, then the live events; the rest as without a journal.
    @Test func noJournalIsOneLineAtTheTop() {
        let (grid, layout) = Self.eventsView(RecordedHistory.read(directory: "/nonexistent/j", until: Self.t0), width: 120, height: 16)
        #expect(grid.text[layout.listTop] == "── no journal: cannot open the journal directory /nonexistent/j: No such file or directory ──")
        #expect(grid.text[layout.listTop + 1] == " Nothing has happened yet: exits, zombies, orphans and crash loops appear here.")
        #expect(grid.text[layout.statusRow].hasPrefix("Events: 0, newest first  Esc back"))
    }
}
