import Foundation
import Journal
import Lifecycle
import OutputFormats
import ProcFS
import Testing
import TestSupport

/// What the recorder keeps, and the lines it writes of its own, in a real directory.
@Suite struct RecorderTests {
    static func exit(_ outcome: Outcome, lived: Double, stopped: StopKind? = nil) -> LifecycleEvent {
        let now = Clock.now()
        let facts = ProcessFacts(key: ProcessKey(id: 77, startTicks: 1), name: "job", cmdline: ["job"], ppid: 1, uid: 0, user: "root", startTime: now - lived)
        return LifecycleEvent(time: now, process: facts, kind: .exit(ExitRecord(process: facts, outcome: outcome, source: .procConnector, time: now, stoppedBySwtop: stopped)))
    }

    @Test func shortCleanExitsAreLeftOutUnlessEverything() throws {
        let dir = Paths.temporaryDirectory("recorder-keeps")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var messages: [String] = []
        let recorder = Recorder(directory: dir, options: Recorder.Options(), sources: ["test"]) { messages.append($0) }
        #expect(!recorder.keeps(Self.exit(.exited(code: 0), lived: 9.9)))
        #expect(recorder.keeps(Self.exit(.exited(code: 0), lived: 10)))
        #expect(recorder.keeps(Self.exit(.exited(code: 1), lived: 0.1)))
        #expect(recorder.keeps(Self.exit(.killed(signal: 9), lived: 0.1)))
        #expect(recorder.keeps(Self.exit(.exited(code: 0), lived: 0.1, stopped: .graceful)))
        let all = Recorder(directory: dir, options: Recorder.Options(everything: true), sources: []) { messages.append($0) }
        #expect(all.keeps(Self.exit(.exited(code: 0), lived: 0.1)))

        recorder.record(Self.exit(.exited(code: 0), lived: 0.1))
        recorder.record(Self.exit(.exited(code: 2), lived: 0.1))
        recorder.recordKernelLoss(5)
        recorder.stop()
        all.stop()
        #expect(messages.isEmpty)
        let text = try String(contentsOfFile: dir + "/" + DayFile.name(day: CalendarDay.day(of: Clock.now()) ?? 0), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let kinds = lines.map { line -> String in
            let parsed = FlatJSONLine(ArraySlice(Array(line.utf8)))
            return (parsed?.string("event") ?? "?") + "/" + (parsed?.string("state") ?? parsed?.string("cause") ?? parsed?.integer("exit_code").map { String($0) } ?? "")
        }
        #expect(kinds == ["recording/started", "recording/started", "exit/2", "lost/kernel", "recording/stopped", "recording/stopped"])
        #expect(lines[3].contains("\"count\":5,"))
    }
}
