import Foundation
import Testing
import TestSupport

/// Restarts, back-off and giving up, measured from the events file's timestamps.
@Suite(.serialized) struct RunRestartTests {
    /// The gaps between each exit and the next start, in seconds.
    static func gaps(_ events: [[String: Any]]) -> [Double] {
        var gaps: [Double] = []
        var lastExit: Double?
        for event in events {
            switch event["event"] as? String {
            case "exit": lastExit = RunSupport.time(event)
            case "start":
                if let lastExit, let t = RunSupport.time(event) { gaps.append(t - lastExit) }
            default: break
            }
        }
        return gaps
    }

    @Test func backoffDoublesFromTheMinimumUpToTheMaximum() throws {
        let events = RunSupport.directory("backoff") + "/events"
        let r = try run(RunSupport.swtopRun, [
            "--restart", "on-failure", "--backoff-min", "100ms", "--backoff-max", "400ms", "--max-restarts", "5",
            "--events", events, "--", "/bin/sh", "-c", "exit 1",
        ])
        #expect(r.status == 1)
        let all = RunSupport.events(events)
        let delays = RunSupport.events(events, named: "restart").compactMap { $0["delay_s"] as? Double }
        #expect(delays == [0.1, 0.2, 0.4, 0.4, 0.4])
        #expect(RunSupport.events(events, named: "restart").map { $0["reason"] as? String } == Array(repeating: "exit", count: 5))
        #expect(RunSupport.events(events, named: "start").compactMap { $0["attempt"] as? Int } == [1, 2, 3, 4, 5, 6])
        let gaps = Self.gaps(all)
        #expect(gaps.count == 5)
        for (gap, delay) in zip(gaps, delays) {
            // Never early; late only by the start of a shell on a busy machine.
            #expect(gap >= delay - 0.002 && gap < delay + 0.3, "gap \(gap) for a delay of \(delay)")
        }
        let gaveUp = try #require(RunSupport.events(events, named: "gave_up").first)
        #expect(gaveUp["restarts"] as? Int == 5)
        #expect(gaveUp["last_exit"] as? Int == 1)
        #expect(r.stderr.contains(" exited 1 after ") && r.stderr.contains(" (quick crash); restarting in 100 ms\n"))
    }

    @Test func aStableRunResetsTheWait() throws {
        let dir = RunSupport.directory("stable")
        let events = dir + "/events"
        // The third run lives 0.5 s (past --stable-after); the others exit at once.
        let script = "n=$(cat \(dir)/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > \(dir)/n; [ $n = 3 ] && sleep 0.5; exit 1"
        let r = try run(RunSupport.swtopRun, [
            "--restart", "always", "--backoff-min", "100ms", "--backoff-max", "1s", "--quick-crash", "300ms",
            "--stable-after", "400ms", "--max-restarts", "4", "--events", events, "--", "/bin/sh", "-c", script,
        ])
        #expect(r.status == 1)
        let delays = RunSupport.events(events, named: "restart").compactMap { $0["delay_s"] as? Double }
        #expect(delays == [0.1, 0.2, 0.1, 0.1])
        let gaps = Self.gaps(RunSupport.events(events))
        #expect(gaps.count == 4)
        for (gap, delay) in zip(gaps, delays) {
            #expect(gap >= delay - 0.002 && gap < delay + 0.3, "gap \(gap) for a delay of \(delay)")
        }
    }

    @Test func onFailureDoesNotRestartExitZero() throws {
        let events = RunSupport.directory("onfailure") + "/events"
        let r = try run(RunSupport.swtopRun, ["--restart", "on-failure", "--backoff-min", "0", "--events", events, "--", "/bin/sh", "-c", "exit 0"])
        #expect(r.status == 0)
        #expect(RunSupport.events(events).compactMap { $0["event"] as? String } == ["start", "exit"])
    }

    @Test func alwaysRestartsExitZero() throws {
        let events = RunSupport.directory("always") + "/events"
        let r = try run(RunSupport.swtopRun, [
            "--restart", "always", "--backoff-min", "0", "--max-restarts", "2", "--events", events, "--", "/bin/sh", "-c", "exit 0",
        ])
        #expect(r.status == 0)
        #expect(RunSupport.events(events).compactMap { $0["event"] as? String }
            == ["start", "exit", "restart", "start", "exit", "restart", "start", "exit", "gave_up"])
    }

    @Test func maxRestartsGivesUpWithTheLastCode() throws {
        let dir = RunSupport.directory("giveup")
        let events = dir + "/events"
        // Exits 3, then 4, then 5.
        let script = "n=$(cat \(dir)/n 2>/dev/null || echo 2); n=$((n+1)); echo $n > \(dir)/n; exit $n"
        let r = try run(RunSupport.swtopRun, [
            "--restart", "on-failure", "--backoff-min", "0", "--max-restarts", "2", "--restart-window", "1m",
            "--events", events, "--", "/bin/sh", "-c", script,
        ])
        #expect(r.status == 5)
        #expect(RunSupport.events(events, named: "exit").compactMap { $0["exit_code"] as? Int } == [3, 4, 5])
        let gaveUp = try #require(RunSupport.events(events, named: "gave_up").first)
        #expect(gaveUp["restarts"] as? Int == 2)
        #expect(gaveUp["last_exit"] as? Int == 5)
        #expect(r.stderr.hasSuffix("giving up after 2 restarts; exit status 5\n"))
    }

    @Test func noRestartByDefault() throws {
        let events = RunSupport.directory("norestart") + "/events"
        let r = try run(RunSupport.swtopRun, ["--events", events, "--", "/bin/sh", "-c", "exit 9"])
        #expect(r.status == 9)
        #expect(RunSupport.events(events).compactMap { $0["event"] as? String } == ["start", "exit"])
    }
}
