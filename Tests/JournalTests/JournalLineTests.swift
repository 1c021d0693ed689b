import Glibc
import Journal
import Lifecycle
import OutputFormats
import ProcFS
import ProcessModel
import Testing

/// A journal line read back is the event it was: parsed strictly, worded as live.
@Suite struct JournalLineTests {
    static let facts = ProcessFacts(
        key: ProcessKey(id: 4242, startTicks: 7), name: "worker", cmdline: ["/usr/bin/worker", "--id", "a\"b\\c\u{1}é"], ppid: 1,
        uid: 33, user: "www-data", startTime: 1_765_000_000.25)

    static let events: [LifecycleEvent] = [
        LifecycleEvent(
            time: 1_765_000_003.5, process: facts,
            kind: .exit(ExitRecord(process: facts, outcome: .oomKilled, source: .procConnector, time: 1_765_000_003.5, parentName: "init"))),
        LifecycleEvent(
            time: 1_765_000_003.5, process: facts,
            kind: .exit(ExitRecord(process: facts, outcome: .exited(code: 3), source: .pidfd, time: 1_765_000_003.5, stoppedBySwtop: .graceful))),
        LifecycleEvent(
            time: 1_765_000_000.254, process: facts,
            kind: .exit(ExitRecord(process: facts, outcome: .coreDumped(signal: 11), source: .zombie, time: 1_765_000_000.254))),
        LifecycleEvent(time: 1_765_000_130, process: facts, kind: .zombie(outcome: .killed(signal: 15), parentName: "bash", unreaped: ZombieAge(seconds: 130, isLowerBound: false))),
        LifecycleEvent(time: 1_765_000_130, process: facts, kind: .orphan(formerParent: 77, formerParentName: nil)),
        LifecycleEvent(
            time: 1_765_000_130, process: facts,
            kind: .crashLoop(CrashLoop(restarts: 3, window: 60, lastOutcome: .exited(code: 1), pids: [1, 2, 4242], command: "x", parent: 1))),
        // Who sent the signal, and how a stop another process asked for went (nested objects).
        LifecycleEvent(time: 1_765_000_131, process: facts, kind: .exit(withSender)),
        LifecycleEvent(time: 1_765_000_131, process: facts, kind: .exit(killedByTheKernel)),
        LifecycleEvent(time: 1_765_000_129, process: facts, kind: .signal(signal: 15, sender: deployer)),
    ]

    /// A loop that a swtop run restarts.
    @Test func aCrashLoopsSupervisorReadsBack() throws {
        let supervised = LifecycleEvent(
            time: 1_765_000_140, process: Self.facts,
            kind: .crashLoop(CrashLoop(
                restarts: 3, window: 60, lastOutcome: .exited(code: 1), pids: [1, 2, 4242], command: "x", parent: 812,
                supervisor: CrashLoop.Supervisor(pid: 812, attempt: 4, backoff: 8))))
        let bytes = EventJSON.render(supervised)
        #expect(String(decoding: bytes, as: UTF8.self).hasSuffix(#","pids":[1,2,4242],"supervisor":{"pid":812,"attempt":4,"backoff_s":8.000}}"# + "\n"))
        #expect(EventLine.render(supervised).hasSuffix(" 4242 worker: crash loop under swtop run (pid 812), back-off 8.0 s: 3 restarts in 60 s, last exited 1"))
        let line = try #require(FlatJSONLine(ArraySlice(bytes.dropLast())))
        let back = try #require(RecordedEvent(line)?.event)
        guard case .crashLoop(let loop) = back.kind else { Issue.record("not a crash loop: \(back)"); return }
        #expect(loop.supervisor == CrashLoop.Supervisor(pid: 812, attempt: 4, backoff: 8))
        // A loop without one says null, and reads back without one.
        #expect(String(decoding: EventJSON.render(Self.events[5]), as: UTF8.self).hasSuffix(#","supervisor":null}"# + "\n"))
    }

    static let deployer = SignalSender(pid: 812, name: "deploy\"er", uid: 0, user: "root", kernel: false)
    static let withSender: ExitRecord = {
        var record = ExitRecord(process: facts, outcome: .killed(signal: 9), source: .procConnector, time: 1_765_000_131)
        record.sentBy = SignalSender(pid: 1, name: "systemd", uid: 0, user: "root", kernel: false)
        record.stop = StopEnding(kind: .forced, signal: 15, after: 2, requestedBy: deployer)
        return record
    }()
    static let killedByTheKernel: ExitRecord = {
        var record = ExitRecord(process: facts, outcome: .coreDumped(signal: 11), source: .procConnector, time: 1_765_000_131)
        record.sentBy = .theKernel
        return record
    }()

    @Test func sendersAndStopsReadBack() throws {
        let line = try #require(FlatJSONLine(ArraySlice(EventJSON.render(Self.events[6]).dropLast())))
        #expect(line.kind("sent_by") == .object)
        #expect(line.object("sent_by")?.string("name") == "systemd")
        #expect(line.object("stop")?.object("requested_by")?.string("name") == "deploy\"er")
        let back = try #require(RecordedEvent(line)?.event)
        guard case .exit(let record) = back.kind else { Issue.record("not an exit: \(back)"); return }
        #expect(record.sentBy == Self.withSender.sentBy)
        #expect(record.stop == Self.withSender.stop)
        // A fourth level is no swtop-event/1 line.
        #expect(FlatJSONLine(ArraySlice(Array(#"{"a":{"b":{"c":{"d":1}}}}"#.utf8))) == nil)
        #expect(FlatJSONLine(ArraySlice(Array(#"{"a":{"b":[1,"x"],"c":null}}"#.utf8)))?.object("a")?.kind("c") == .null)
    }

    @Test func everyKindReadBackIsWordedAsLive() throws {
        for event in Self.events {
            let bytes = EventJSON.render(event)
            let line = try #require(FlatJSONLine(ArraySlice(bytes.dropLast())))
            let recorded = try #require(RecordedEvent(line))
            let back = try #require(recorded.event)
            #expect(EventLine.render(back) == EventLine.render(event))
            // And it renders to the very same line again.
            #expect(EventJSON.render(back).count > 0)
            #expect(recorded.process?.cmdline == Self.facts.cmdline)
            #expect(recorded.process?.uid == 33)
            #expect(abs(recorded.time - event.time) < 0.001)
        }
    }

    @Test func exitFieldsReadBack() throws {
        let line = try #require(FlatJSONLine(ArraySlice(EventJSON.render(Self.events[0]).dropLast())))
        #expect(line.string("name") == "worker")
        #expect(line.string("outcome") == "oom_killed")
        #expect(line.kind("exit_code") == .null)
        #expect(line.integer("pid") == 4242)
        #expect(line.number("lifetime_s") == 3.25)
        #expect(line.string("time") == "2025-12-06T05:46:43.500Z")
        #expect(line.string("missing") == nil)
    }

    @Test func strictness() {
        let bad = [
            "", "{", "}", "{\"a\":1", "{\"a\":1}x", "{\"a\":1,}", "{\"a\":{\"b\":{\"c\":{}}}}", "{\"a\":{\"b\":1,}}", "{\"a\":[[1]]}", "{\"a\":01}", "{\"a\":1.}",
            "{\"a\":\"\u{1}\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":tru}", "{a:1}", "{\"a\" 1}", "{\"a\":\"b}",
            "{\"schema\":\"swtop-ev", "[1]", "{\"a\":-}", "{\"a\":1e}",
        ]
        for text in bad {
            #expect(FlatJSONLine(ArraySlice(Array(text.utf8))) == nil, "\(text)")
        }
        let good = ["{}", " { \"a\" : [ 1 , -2.5e3 ] , \"b\":\"\\u00e9\\ud83d\\ude00\", \"c\":true,\"d\":null } ", "{\"a\":[]}", "{\"a\":{}}", "{\"a\":{\"b\":{\"c\":1}}}"]
        for text in good {
            #expect(FlatJSONLine(ArraySlice(Array(text.utf8))) != nil, "\(text)")
        }
        let line = FlatJSONLine(ArraySlice(Array(good[1].utf8)))
        #expect(line?.string("b") == "é😀")
        #expect(line?.integers("a") == nil)
        #expect(line?.bool("c") == true)
        #expect(FlatJSONLine(ArraySlice(Array("{\"p\":[1, 2 ,3]}".utf8)))?.integers("p") == [1, 2, 3])
        #expect(FlatJSONLine(ArraySlice(Array("{\"p\":99999999999999999999}".utf8)))?.integer("p") == nil)
    }

    @Test func absurdDurationsAreWordedNotTrapped() throws {
        let text = "{\"schema\":\"swtop-event/1\",\"time\":\"2026-12-06T03:00:00.000Z\",\"event\":\"crash_loop\",\"pid\":9,\"name\":\"x\",\"cmdline\":[],\"ppid\":1,\"uid\":null,\"user\":null,\"restarts\":3,\"window_s\":1e300,\"last_outcome\":\"exited\",\"last_exit_code\":1,\"last_signal\":null,\"pids\":[7,8,9]}"
        let loopLine = try #require(FlatJSONLine(ArraySlice(Array(text.utf8))))
        let event = try #require(RecordedEvent(loopLine)?.event)
        #expect(EventLine.render(event).hasSuffix(" 9 x: crash loop: 3 restarts in 1000000000 s, last exited 1"))
        let exit = text.replacingOccurrences(of: "\"event\":\"crash_loop\"", with: "\"event\":\"exit\",\"lifetime_s\":1e300,\"outcome\":\"exited\",\"exit_code\":0")
        let exitLine = try #require(FlatJSONLine(ArraySlice(Array(exit.utf8))))
        let ended = try #require(RecordedEvent(exitLine)?.event)
        #expect(EventLine.render(ended).hasSuffix(" 9 x: exited 0 after 11574d 1h"))
    }

    @Test func markersAreWorded() throws {
        let started = RecordingMarker.recording(started: true, time: 1_765_000_000, pid: 812, sources: ["proc connector", "zombies' stat"])
        #expect(String(decoding: started, as: UTF8.self)
            == "{\"schema\":\"swtop-event/1\",\"time\":\"2025-12-06T05:46:40.000Z\",\"event\":\"recording\",\"state\":\"started\",\"pid\":812,\"sources\":[\"proc connector\",\"zombies' stat\"]}\n")
        let line = try #require(FlatJSONLine(ArraySlice(started.dropLast())))
        #expect(RecordingMarker.words(line) == "recording started (pid 812: proc connector, zombies' stat)")
        let lost = RecordingMarker.lost(count: 3, cause: .journal, time: 1_765_000_000)
        #expect(String(decoding: lost, as: UTF8.self)
            == "{\"schema\":\"swtop-event/1\",\"time\":\"2025-12-06T05:46:40.000Z\",\"event\":\"lost\",\"count\":3,\"cause\":\"journal\"}\n")
        #expect(RecordingMarker.words(try #require(FlatJSONLine(ArraySlice(lost.dropLast())))) == "3 events lost: the journal could not be written")
    }

    @Test func selectionFiltersAsLive() {
        let oom = Self.events[0]
        #expect(EventSelection(outcome: "oom_killed").matches(oom))
        #expect(!EventSelection(outcome: "exited").matches(oom))
        #expect(EventSelection(failuresOnly: true).matches(oom))
        #expect(!EventSelection(failuresOnly: true).matches(Self.events[4]))  // an orphan
        #expect(EventSelection(failuresOnly: true).matches(Self.events[5]))  // a crash loop
        #expect(EventSelection(name: "worker").matches(oom))
        #expect(!EventSelection(name: "work").matches(oom))
        #expect(EventSelection(process: ProcessFilter(pids: [4242])).matches(oom))
        #expect(!EventSelection(process: ProcessFilter(pids: [1])).matches(oom))
        #expect(EventSelection(process: ProcessFilter(text: "--ID")).matches(oom))
    }

    /// A process in `path`, as the monitor knows it from its cgroup.
    static func exit(inCgroup path: String?) -> LifecycleEvent {
        var facts = Self.facts
        facts.membership = path.map { path in
            let (unit, container) = ProcCgroup.classify(path: path)
            return Membership(ProcCgroup(path: path, unit: unit, container: container))
        }
        return LifecycleEvent(time: 1_765_000_003.5, process: facts, kind: .exit(ExitRecord(process: facts, outcome: .exited(code: 3), source: .procConnector, time: 1_765_000_003.5)))
    }

    @Test func unitAndContainerChooseRecordedLinesAsLive() throws {
        let id = String(repeating: "ab12", count: 16)
        let paths: [String?] = [
            "/system.slice/nginx.service", "/system.slice/docker-\(id).scope", "/user.slice/user-1000.slice/user@1000.service/app.slice/web.service",
            "/system.slice/odd\\name\"\u{1}.service", "/", nil,
        ]
        let wanted: [(EventSelection, [Bool])] = [
            (EventSelection(process: ProcessFilter(unit: "nginx")), [true, false, false, false, false, false]),
            (EventSelection(process: ProcessFilter(unit: "nginx.service")), [true, false, false, false, false, false]),
            (EventSelection(process: ProcessFilter(unit: "system.slice")), [true, true, false, true, false, false]),
            (EventSelection(process: ProcessFilter(unit: "user@1000.service")), [false, false, true, false, false, false]),
            (EventSelection(process: ProcessFilter(unit: "web")), [false, false, true, false, false, false]),
            (EventSelection(process: ProcessFilter(unit: "odd\\name\"\u{1}")), [false, false, false, true, false, false]),
            (EventSelection(process: ProcessFilter(container: "AB12ab12ab12")), [false, true, false, false, false, false]),
            (EventSelection(process: ProcessFilter(container: id)), [false, true, false, false, false, false]),
            (EventSelection(process: ProcessFilter(container: "b12")), [false, false, false, false, false, false]),
            (EventSelection(process: ProcessFilter(unit: "docker-\(id).scope", container: "ab12")), [false, true, false, false, false, false]),
        ]
        for (selection, expected) in wanted {
            var rest = selection
            rest.process.unit = nil
            for (path, chosen) in zip(paths, expected) {
                let event = Self.exit(inCgroup: path)
                let line = try #require(FlatJSONLine(ArraySlice(EventJSON.render(event).dropLast())))
                let recorded = try #require(RecordedEvent(line))
                #expect(selection.matches(event) == chosen, "live \(path ?? "nil") \(selection.process)")
                #expect(selection.matches(recorded) == chosen, "recorded \(path ?? "nil") \(selection.process)")
                // The quick looks never contradict it.
                #expect(selection.mayMatch(line) || !chosen)
                #expect(selection.quickVerdict(line) ?? chosen == chosen)
                // The words' way: a unit settled from the raw fields, the rest by the line read without its cgroup.
                if selection.unitMatches(line) {
                    let bare = try #require(RecordedEvent(line, time: recorded.time, reading: rest.partsNeeded))
                    #expect(bare.process?.membership == nil || rest.partsNeeded.contains(.cgroup))
                    #expect(rest.matches(bare) == chosen)
                }
            }
        }
        // The fields, as --once names them.
        let line = try #require(FlatJSONLine(ArraySlice(EventJSON.render(Self.exit(inCgroup: paths[1])).dropLast())))
        #expect(line.string("cgroup") == "/system.slice/docker-\(id).scope")
        #expect(line.string("unit") == "docker-\(id).scope")
        #expect(line.object("container")?.string("runtime") == "docker")
        #expect(line.object("container")?.string("id") == id)
        #expect(line.object("container")?.kind("pod") == .null)
        let none = try #require(FlatJSONLine(ArraySlice(EventJSON.render(Self.exit(inCgroup: nil)).dropLast())))
        #expect(none.kind("cgroup") == .null && none.kind("unit") == .null && none.kind("container") == .null)
    }

    @Test func quickLookNeverRejectsAMatch() throws {
        let selections = [
            EventSelection(outcome: "oom_killed"), EventSelection(outcome: "exited"), EventSelection(outcome: "killed"),
            EventSelection(name: "worker"), EventSelection(name: "x"), EventSelection(process: ProcessFilter(pids: [4242])),
            EventSelection(process: ProcessFilter(pids: [1])), EventSelection(failuresOnly: true),
        ]
        var rejected = 0
        var decided = 0
        for event in Self.events {
            let line = try #require(FlatJSONLine(ArraySlice(EventJSON.render(event).dropLast())))
            let recorded = try #require(RecordedEvent(line))
            for selection in selections {
                #expect(selection.mayMatch(line) || !selection.matches(recorded), "\(event.name)")
                #expect(selection.matches(recorded) == selection.matches(event))
                if !selection.mayMatch(line) { rejected += 1 }
                if let verdict = selection.quickVerdict(line) {
                    #expect(verdict == selection.matches(recorded), "\(event.name) \(selection)")
                    decided += 1
                }
            }
        }
        // Nine events (two exits with senders and a signal among them) under eight selections.
        #expect(rejected == 40)
        // No -u or -F among them: every verdict is settled by the fields.
        #expect(decided == 72)
        let first = try #require(FlatJSONLine(ArraySlice(EventJSON.render(Self.events[0]).dropLast())))
        #expect(EventSelection(process: ProcessFilter(text: "job")).quickVerdict(first) == nil)
    }
}

@Suite struct JournalTimeTests {
    @Test func days() {
        #expect(CalendarDay.days(year: 1970, month: 1, day: 1) == 0)
        #expect(CalendarDay.days(year: 2026, month: 12, day: 6) == 20_793)
        #expect(CalendarDay.name(days: 20_793) == "2026-12-06")
        #expect(CalendarDay.name(days: CalendarDay.days(year: 2024, month: 2, day: 29)) == "2024-02-29")
        #expect(DayFile.name(day: 20_793) == "events-2026-12-06.jsonl")
        #expect(DayFile.day(ofName: Array("events-2026-12-06.jsonl".utf8)) == 20_793)
        for bad in ["events-2026-12-6.jsonl", "events-2026-02-30.jsonl", "events-2026-12-06.jsonl.1", "x-2026-12-06.jsonl", "events-2026-13-01.jsonl"] {
            #expect(DayFile.day(ofName: Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    @Test func rfc3339() {
        func parse(_ s: String) -> Double? { CalendarDay.parseRFC3339(ArraySlice(Array(s.utf8))) }
        #expect(parse("2026-12-06T03:00:00Z") == 1_796_526_000)
        #expect(parse("2026-12-06T03:00:00.250Z") == 1_796_526_000.25)
        #expect(parse("2026-12-06T04:00:00+01:00") == 1_796_526_000)
        #expect(parse("2026-12-06T03:00:00") == nil)
        #expect(parse("2026-12-06T24:00:00Z") == nil)
        #expect(parse("2026-12-06T03:00:00.Z") == nil)
        #expect(parse("2026-12-06T03:00:00Zx") == nil)
    }

    @Test func whenArguments() {
        let now = 1_765_000_000.0
        #expect(TimeArgument.parse("30s", now: now) == now - 30)
        #expect(TimeArgument.parse("10m", now: now) == now - 600)
        #expect(TimeArgument.parse("2h", now: now) == now - 7200)
        #expect(TimeArgument.parse("3d", now: now) == now - 259_200)
        #expect(TimeArgument.parse("2026-12-06T03:00:00.5Z", now: now) == 1_796_526_000.5)
        for bad in ["", "s", "3w", "-3d", "99999999999d", "yesterday", "2026-12-06 3:00", "2026-12-06 03:00:61", "2026-02-30 03:00"] {
            #expect(TimeArgument.parse(bad, now: now) == nil, "\(bad)")
        }
        // Local time, as mktime reads it in this process's zone.
        var t = tm()
        t.tm_year = 126
        t.tm_mon = 11
        t.tm_mday = 6
        t.tm_hour = 3
        t.tm_isdst = -1
        #expect(TimeArgument.parse("2026-12-06 03:00", now: now) == Double(mktime(&t)))
    }
}
