import Foundation
import Testing
import TestSupport

/// `swtop events` watching a real `swtop run`: a crash loop it restarts is said to run under it,
/// with the back-off of its state file; and its `--events` exit lines have the keys of `swtop
/// events`' exits (one writer makes both).
@Suite(.serialized, .enabled(if: isRoot, "the proc connector needs root, and the state file is in /run/swtop as root"))
struct SupervisedEventsTests {
    static var swtopRun: String {
        URL(fileURLWithPath: Paths.swtop).deletingLastPathComponent().appendingPathComponent("swtop-run").path
    }

    /// swtop-run in the background, stopped at the end of the test.
    final class Run {
        let process = Process()

        init(_ arguments: [String]) throws {
            process.executableURL = URL(fileURLWithPath: SupervisedEventsTests.swtopRun)
            process.arguments = arguments
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
        }

        var pid: Int32 { process.processIdentifier }

        func stop() {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }

        deinit {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
    }

    @Test func crashLoopUnderSwtopRunNamesItAndItsBackoff() throws {
        let stream = try EventStream(["--for", "120"])
        defer { stream.stop() }
        let mark = marker("runloop")
        // Waits of 1 s, then 2 s capped: from the third restart on, every state says 2 s (the
        // wait just waited, and the next), so the loop's back-off is known exactly. The child
        // lives 0.2 s so its command line is read (a run without one is no run of anything).
        let run = try Run(["--restart", "always", "--backoff-min", "1s", "--backoff-max", "2s", "--", "/bin/sh", "-c", "sleep 0.2; exit 1", mark])
        defer { run.stop() }
        let loop = try #require(stream.wait(40) { $0["event"] as? String == "crash_loop" && $0["ppid"] as? Int == Int(run.pid) }, "\(stream.text)")
        #expect(loop["restarts"] as? Int == 3)
        #expect(loop["last_exit_code"] as? Int == 1)
        let supervisor = try #require(loop["supervisor"] as? [String: Any], "\(loop)")
        #expect(supervisor["pid"] as? Int == Int(run.pid))
        #expect(supervisor["backoff_s"] as? Double == 2)
        // The third restart starts attempt 4; the state file may still be between the two.
        #expect([3, 4].contains(supervisor["attempt"] as? Int ?? 0), "\(supervisor)")
        let state = try jsonObject(Data(try #require(fileBytes("/run/swtop/run-\(run.pid).json"))))
        #expect(state["backoff_s"] as? Double == supervisor["backoff_s"] as? Double)
        // Other crash loops (a plain shell loop) say null.
        let other = marker("plainloop")
        let shellLoop = try shell("for i in 1 2 3 4; do sh -c 'sleep 0.2; exit 1' \"$0\"; done", marker: other, wait: false)
        let plain = try #require(stream.wait(30) { $0["event"] as? String == "crash_loop" && $0["ppid"] as? Int == Int(shellLoop.processIdentifier) }, "\(stream.text)")
        #expect(plain["supervisor"] is NSNull)
        shellLoop.waitUntilExit()
    }

    /// A child that crashes at once (`sh -c 'exit 1'`, a few milliseconds) is often gone before
    /// its command line can be read; under swtop run its command is the state file's (the name
    /// the kernel gave it at exec is that command's program), so its restarts still form a loop.
    @Test func anInstantCrashUnderSwtopRunIsALoopOfItsCommand() throws {
        let stream = try EventStream(["--for", "60"])
        defer { stream.stop() }
        let mark = marker("instant")
        let run = try Run(["--restart", "always", "--backoff-min", "500ms", "--backoff-max", "500ms", "--", "/bin/sh", "-c", "exit 1", mark])
        defer { run.stop() }
        let loop = try #require(stream.wait(30) { $0["event"] as? String == "crash_loop" && $0["ppid"] as? Int == Int(run.pid) }, "\(stream.text)")
        #expect(loop["cmdline"] as? [String] == ["/bin/sh", "-c", "exit 1", mark])
        #expect(loop["last_exit_code"] as? Int == 1)
        #expect((loop["supervisor"] as? [String: Any])?["pid"] as? Int == Int(run.pid))
    }

    @Test func crashLoopLineInWordsSaysSwtopRunAndBackoff() throws {
        let out = Pipe()
        let events = Process()
        events.executableURL = URL(fileURLWithPath: Paths.swtop)
        events.arguments = ["events", "--for", "60"]
        events.standardOutput = out
        events.standardError = FileHandle.nullDevice
        try events.run()
        defer { if events.isRunning { events.interrupt(); events.waitUntilExit() } }
        var text = ""
        let reader = out.fileHandleForReading
        // The first line says it is watching.
        _ = waitUntil(20) {
            text += String(decoding: reader.availableData, as: UTF8.self)
            return text.contains("watching")
        }
        let mark = marker("runwords")
        let run = try Run(["--restart", "always", "--backoff-min", "1s", "--backoff-max", "2s", "--", "/bin/sh", "-c", "sleep 0.2; exit 1", mark])
        defer { run.stop() }
        let wanted = " sh: crash loop under swtop run (pid \(run.pid)), back-off 2.0 s: 3 restarts in 60 s, last exited 1"
        #expect(waitUntil(40) {
            text += String(decoding: reader.availableData, as: UTF8.self)
            return text.contains(wanted)
        }, "\(text)")
    }

    /// The same kind of ending (exit 7 of a child swtop run started) told by `swtop run
    /// --events` and by `swtop events --json`: the same keys (swtop run's adds `attempt`), and
    /// the same values where both know them.
    @Test func runExitLineHasTheKeysOfAnEventsExitLine() throws {
        let stream = try EventStream(["--for", "60"])
        defer { stream.stop() }
        let dir = Paths.temporaryDirectory("run-keys")
        let eventsFile = dir + "/events"
        let mark = marker("runkeys")
        let run = try Run(["--events", eventsFile, "--", "/bin/sh", "-c", "sleep 0.2; exit 7", mark])
        run.process.waitUntilExit()
        #expect(run.process.terminationStatus == 7)
        let seen = try #require(stream.wait { $0["event"] as? String == "exit" && ($0["cmdline"] as? [String])?.contains(mark) == true }, "\(stream.text)")
        let lines = String(decoding: try #require(fileBytes(eventsFile)), as: UTF8.self).split(separator: "\n")
        let told = try #require(lines.compactMap { try? jsonObject(Data($0.utf8)) }.first { $0["event"] as? String == "exit" })
        #expect(Set(told.keys) == Set(seen.keys).union(["attempt"]), "run: \(told.keys.sorted()) events: \(seen.keys.sorted())")
        for key in ["pid", "outcome", "exit_code", "ppid", "uid", "parent_name"] {
            #expect("\(told[key] ?? "absent")" == "\(seen[key] ?? "absent")", "\(key)")
        }
        #expect(told["sent_by"] is NSNull && seen["sent_by"] is NSNull)
        #expect(told["stop"] is NSNull && seen["stop"] is NSNull)
        #expect(told["source"] as? String == "wait")
        #expect(seen["source"] as? String == "proc_connector")
    }
}
