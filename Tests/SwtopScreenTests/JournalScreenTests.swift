import Foundation
import Testing

/// The events view (E) opens with the journal's last 24 h (issue 20, point 6): events a real
/// `swtop events --record` wrote before the screen started, when nobody recorded, then live
/// events; and, where no journal can be read, one line that says so.
@Suite(.serialized, .enabled(if: !tmuxMissing, "tmux is not installed: the screen tests need it"))
struct JournalScreenTests {
    /// A formatter of `format`, in UTC or in local time (swtop's clock times are local).
    static func formatter(_ format: String, utc: Bool = false) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = utc ? TimeZone(identifier: "UTC") : TimeZone.current
        f.dateFormat = format
        return f
    }

    static func clock(_ date: Date) -> String { formatter("HH:mm:ss").string(from: date) }
    static func localDate(_ date: Date) -> String { formatter("yyyy-MM-dd").string(from: date) }
    static func utc(_ date: Date) -> String { formatter("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", utc: true).string(from: date) }
    static func parseUTC(_ text: String) -> Date? { formatter("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", utc: true).date(from: text) }

    /// The journal's lines as objects, every day file in day order.
    static func journal(_ directory: String) -> [[String: Any]] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix("events-") }.sorted()
        return names.flatMap { name -> [[String: Any]] in
            let text = (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        }
    }

    /// The clock times of every second from `from` to `to`: where a moment is only known to lie
    /// between two (the screen's start).
    static func clocks(from: Date, to: Date) -> Set<String> {
        var times: Set<String> = []
        var t = from.timeIntervalSince1970.rounded(.down)
        while t <= to.timeIntervalSince1970 {
            times.insert(clock(Date(timeIntervalSince1970: t)))
            t += 1
        }
        return times
    }

    @Test func eventsViewShowsTheJournalThenLiveEvents() throws {
        let scratch = try makeScratchDirectory()
        defer { removeScratchDirectory(scratch) }
        let dir = scratch + "/journal"
        #expect(mkdir(dir, 0o750) == 0)
        let mark = "jscreen\(getpid())x\(UInt32.random(in: 0...UInt32.max))"

        // By hand, before the real recorder: a recorder started at t0 that wrote one exit and
        // was killed (no stopped line), a second one started at t1 and stopped at t1 + 5.
        let now = Date().timeIntervalSince1970.rounded(.down)
        let t0 = Date(timeIntervalSince1970: now - 300), t1 = Date(timeIntervalSince1970: now - 200)
        let exitTime = t0.addingTimeInterval(10), stop1 = t1.addingTimeInterval(5)
        let lines = [
            #"{"schema":"swtop-event/1","time":"\#(Self.utc(t0))","event":"recording","state":"started","pid":999991,"sources":["proc connector"]}"#,
            #"{"schema":"swtop-event/1","time":"\#(Self.utc(exitTime))","event":"exit","pid":999992,"ppid":1,"name":"worker","cmdline":["worker","\#(mark)"],"uid":0,"user":"root","lifetime_s":2.5,"outcome":"exited","exit_code":7,"signal":null,"source":"proc_connector"}"#,
            #"{"schema":"swtop-event/1","time":"\#(Self.utc(t1))","event":"recording","state":"started","pid":999993,"sources":["proc connector"]}"#,
            #"{"schema":"swtop-event/1","time":"\#(Self.utc(stop1))","event":"recording","state":"stopped","pid":999993}"#,
        ]
        let handFile = dir + "/events-" + Self.formatter("yyyy-MM-dd", utc: true).string(from: t0) + ".jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: handFile, atomically: false, encoding: .utf8)

        // The real recorder, of this test's processes only; a real exit 3 recorded.
        let recorder = try spawn(swtopBinary, ["events", "--record", "--journal", dir, "--json", "-F", mark])
        let recorded = waitUntilTrue(30) {
            Self.journal(dir).contains { $0["state"] as? String == "started" && $0["pid"] as? Int == Int(recorder) }
        }
        #expect(recorded, "the recorder never wrote its started line")
        let failing = try spawn("/bin/sh", ["-c", ": \(mark); sleep 0.2; exit 3"])
        #expect(reap(failing) == 3)
        var exitLine: [String: Any]?
        _ = waitUntilTrue(30) {
            exitLine = Self.journal(dir).first { $0["event"] as? String == "exit" && $0["pid"] as? Int == Int(failing) }
            return exitLine != nil
        }
        kill(recorder, SIGTERM)
        #expect(reap(recorder) == 0)
        let objects = Self.journal(dir)
        let realStart = try #require(objects.first { $0["pid"] as? Int == Int(recorder) && $0["state"] as? String == "started" }?["time"] as? String)
        let realStop = try #require(objects.first { $0["pid"] as? Int == Int(recorder) && $0["state"] as? String == "stopped" }?["time"] as? String)
        let exitText = try #require(exitLine?["time"] as? String)
        let parsed = [exitText, realStart, realStop].compactMap { Self.parseUTC($0) }
        try #require(parsed.count == 3)
        let exitAt = parsed[0], started = parsed[1], stopped = parsed[2]

        // The live exit to come: a child the screen sees in its list first (the screen learns a
        // process's command from the snapshots it reads), that exits 4 once the FIFO opens.
        let fifo = scratch + "/exit4"
        #expect(mkfifo(fifo, 0o600) == 0)
        let live = try spawn("/bin/sh", ["-c", ": \(mark); read line < '\(fifo)'; exit 4"])
        let before = Date()
        let s = try ScreenSession(arguments: "-d 10 --no-config --journal '\(dir)' -F '\(mark)'", width: 160, height: 40)
        try s.waitFor("the list") { $0.functionBar.hasPrefix("F1Help") }
        let after = Date()
        try s.waitFor("the child to come") { $0.row(pid: live) != nil }
        try s.send("E")
        let header = "── recorded in \(dir), the last 24 h ──"
        var screen = try s.waitFor("the recorded events") { $0.lines.contains(header) }
        // Day rules appear only where the last 24 h cross midnight here: left out of the comparison.
        var shown = screen.lines.filter { $0.range(of: "^── [0-9]{4}-[0-9]{2}-[0-9]{2} ──$", options: .regularExpression) == nil }
        let top = try #require(shown.firstIndex { $0.hasPrefix("── live since ") })
        let starts = Self.clocks(from: before, to: after)
        #expect(starts.contains(String(shown[top].dropFirst("── live since ".count).dropLast(" ──".count))), "\(shown[top])")
        #expect(shown[top + 1] == header)
        // From the real recorder's stop to the screen's start (within a second: said so).
        let untilStart = starts.map { "── not recorded \(Self.clock(stopped)) – \($0) ──" }
            + (starts.contains(Self.clock(stopped)) ? ["── not recorded for under a second at \(Self.clock(stopped)) ──"] : [])
        #expect(untilStart.contains(shown[top + 2]), "\(shown[top + 2])")
        let sh = LifecycleScreenTests.eventPattern(pid: failing, name: "sh", words: #"exited 3 after ([0-9]+ ms|[0-9]+\.[0-9] s)"#)
        #expect(LifecycleScreenTests.matches(shown[top + 3], sh), "\(shown[top + 3])")
        #expect(shown[top + 3].hasPrefix(Self.clock(exitAt) + " "))
        #expect(shown[top + 4] == "── not recorded \(Self.clock(stop1)) – \(Self.clock(started)) ──")
        // The killed recorder: from the last line it wrote to the next start.
        #expect(shown[top + 5] == "── not recorded \(Self.clock(exitTime)) – \(Self.clock(t1)) ──")
        #expect(LifecycleScreenTests.matches(shown[top + 6], LifecycleScreenTests.eventPattern(pid: 999992, name: "worker", words: #"exited 7 after 2\.[45] s"#)), "\(shown[top + 6])")
        #expect(shown[top + 6].hasPrefix(Self.clock(exitTime) + " "))
        // Before the first start in the last 24 h, nobody recorded (from 24 h before the screen).
        let dayBefore = Self.clocks(from: before.addingTimeInterval(-86_400), to: after.addingTimeInterval(-86_400))
        let first = shown[top + 7]
        let prefix = "── not recorded " + Self.localDate(before.addingTimeInterval(-86_400)) + " "
        #expect(first.hasPrefix(prefix) && first.hasSuffix(" – \(Self.clock(t0)) ──"), "\(first)")
        #expect(dayBefore.contains(String(first.dropFirst(prefix.count).prefix(8))), "\(first)")
        #expect(shown[(top + 8)...].allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0 == screen.statusLine || $0 == screen.functionBar })
        #expect(screen.statusLine == "Events: 0 live, 2 recorded (filtered as the list), newest first  Esc back")

        // A live exit comes above the journal's part, below the live rule: never twice.
        let writer = open(fifo, O_WRONLY | O_NONBLOCK)
        #expect(writer >= 0, "the child is not waiting on its FIFO: errno \(errno)")
        if writer >= 0 { close(writer) } else { kill(live, SIGKILL) }
        #expect(reap(live) == 4)
        let liveLine = LifecycleScreenTests.eventPattern(pid: live, name: "sh", words: #"exited 4 after ([0-9]+ ms|[0-9]+\.[0-9] s)"#)
        screen = try s.waitFor("the live exit") { $0.lines.contains { LifecycleScreenTests.matches($0, liveLine) } }
        shown = screen.lines.filter { $0.range(of: "^── [0-9]{4}-[0-9]{2}-[0-9]{2} ──$", options: .regularExpression) == nil }
        let rule = try #require(shown.firstIndex { $0.hasPrefix("── live since ") })
        #expect(LifecycleScreenTests.matches(shown[rule + 1], liveLine), "\(shown[rule + 1])")
        #expect(shown[rule + 2] == header)
        #expect(shown.filter { LifecycleScreenTests.matches($0, sh) }.count == 1)
        #expect(screen.statusLine == "Events: 1 live, 2 recorded (filtered as the list), newest first  Esc back")
        try s.send("q")
        try s.waitFor("the list again") { $0.functionBar.hasPrefix("F1Help") }
    }

    /// The default directory ($XDG_STATE_HOME/swtop for a user) missing: the view says so, once,
    /// at its top, and keeps saying it once through refreshes.
    @Test(.enabled(if: geteuid() == 0, "needs root to run swtop as nobody"))
    func noJournalIsSaidOnce() throws {
        let scratch = try makeScratchDirectory()
        defer { removeScratchDirectory(scratch) }
        // Nobody may look into it: what is missing is the state directory, not the permission.
        #expect(chmod(scratch, 0o755) == 0)
        let state = scratch + "/missing-state"
        let s = try ScreenSession(
            arguments: "-d 10 --no-config", width: 160, height: 40,
            environment: "XDG_STATE_HOME='\(state)' setpriv --reuid=nobody --regid=nogroup --clear-groups")
        try s.waitFor("the list") { $0.functionBar.hasPrefix("F1Help") }
        try s.send("E")
        let note = "── no journal: cannot open the journal directory \(state)/swtop: No such file or directory ──"
        let screen = try s.waitFor("the note") { $0.lines.contains(note) }
        let title = try #require(screen.lines.firstIndex(of: "    TIME     PID NAME            WHAT HAPPENED"))
        #expect(screen.lines[title + 1] == note)
        // Refreshes (one a second) do not repeat it.
        try s.holds("the note once", for: 3) { $0.lines.filter { $0.hasPrefix("── no journal") }.count == 1 }
    }
}
