import Testing
import Lifecycle
@testable import Supervisor

@Suite struct RunOptionsTests {
    @Test func durations() {
        #expect(DurationText.seconds("500ms") == 0.5)
        #expect(DurationText.seconds("0.4s") == 0.4)
        #expect(DurationText.seconds("10s") == 10)
        #expect(DurationText.seconds("2m") == 120)
        #expect(DurationText.seconds("3") == 3)
        for bad in ["", "s", "-1s", "1e3", "inf", "nan", ".", "1.2.3s", "+1s", "2d", "25h"] {
            #expect(DurationText.seconds(bad) == nil, "\(bad)")
        }
    }
}

@Suite struct RunOptionsParsingTests {
    @Test func optionsThenCommand() throws {
        let o = try RunOptions.parse(["--grace", "2s", "--restart=on-failure", "--max-restarts", "3", "--", "sh", "-c", "exit 1"])
        #expect(o.grace == 2)
        #expect(o.restart == .onFailure)
        #expect(o.maxRestarts == 3)
        #expect(o.command == ["sh", "-c", "exit 1"])
        // Without "--" the first word that is not an option starts the command; its own options stay its own.
        #expect(try RunOptions.parse(["--group", "ls", "--grace", "x"]).command == ["ls", "--grace", "x"])
    }

    @Test func badInputIsOneLineNamingIt() {
        func message(_ arguments: [String]) -> String? {
            do {
                _ = try RunOptions.parse(arguments)
                return nil
            } catch { return error.description }
        }
        #expect(message(["--grace", "soon", "--", "x"]) == "invalid --grace 'soon': expected a duration such as 500ms, 0.4s, 10s or 2m")
        #expect(message(["--restart", "sometimes", "--", "x"]) == "invalid --restart 'sometimes': expected no, on-failure or always")
        #expect(message(["--grace"]) == "--grace needs a value")
        #expect(message(["--"]) == "no command: swtop run [OPTIONS] -- COMMAND [ARGS...]")
        #expect(message(["--nope\u{1B}[2J", "x"]) == "unknown option '--nope\\x1b[2J' (see swtop run --help)")
        #expect(message(["--backoff-min", "2m", "--backoff-max", "1m", "--", "x"]) == "--backoff-min (2m 0s) is longer than --backoff-max (1m 0s)")
        #expect(message(["--health", "https://127.0.0.1:1/", "--", "x"])?.contains("https is not supported") == true)
        #expect(message(["--health", "http://127.0.0.1/", "--", "x"]) == "invalid --health 'http://127.0.0.1/': expected http://HOST:PORT/PATH or tcp://HOST:PORT")
        #expect(message(["--health", "tcp://127.0.0.1:80/x", "--", "x"]) != nil)
        #expect(message(["--health", "tcp://127.0.0.1:99999", "--", "x"]) != nil)
        #expect(message(["--health-cmd", "true", "--health", "tcp://127.0.0.1:1", "--", "x"]) == "--health and --health-cmd: give one check")
    }

    @Test func healthTargets() throws {
        let http = try RunOptions.parse(["--health", "http://127.0.0.1:8080/health?x=1", "--", "x"]).health
        guard case .http(let address, let host, let path) = http else { Issue.record("not http"); return }
        #expect(address.words == "127.0.0.1:8080")
        #expect(host == "127.0.0.1:8080")
        #expect(path == "/health?x=1")
        let tcp = try RunOptions.parse(["--health", "tcp://[::1]:22", "--", "x"]).health
        guard case .tcp(let six) = tcp else { Issue.record("not tcp"); return }
        #expect(six.words == "[::1]:22")
    }

    @Test func statusLine() {
        #expect(SocketProbe.statusCode(Array("HTTP/1.1 204 No Content\r\n".utf8)) == 204)
        #expect(SocketProbe.statusCode(Array("HTTP/1.0 503\r\n".utf8)) == 503)
        #expect(SocketProbe.statusCode(Array("HTTP/1.1 200 OK".utf8)) == nil)  // not whole yet
        #expect(SocketProbe.statusCode(Array("SSH-2.0-OpenSSH\r\n".utf8)) == nil)
        #expect(SocketProbe.statusCode(Array("HTTP/1.1 2x0 OK\r\n".utf8)) == nil)
        #expect(SocketProbe.statusCode(Array("HTTP/1.1 2000 OK\r\n".utf8)) == nil)
    }
}

@Suite struct RestartPlanTests {
    static func options(_ policy: RunOptions.RestartPolicy, max: Int? = nil) -> RunOptions {
        var o = RunOptions()
        o.restart = policy
        o.backoffMin = 1
        o.backoffMax = 8
        o.quickCrash = 5
        o.stableAfter = 30
        o.maxRestarts = max
        o.restartWindow = 60
        return o
    }

    @Test func quickCrashesDoubleUpToTheMaximumAndAStableRunResets() {
        var plan = RestartPlan(Self.options(.always))
        var delays: [Double] = []
        for i in 0..<5 {
            if case .restart(let d, true) = plan.decide(.exited(code: 1), lifetime: 0.1, unhealthy: false, now: Double(i)) { delays.append(d) }
        }
        #expect(delays == [1, 2, 4, 8, 8])
        // A run between quick and stable keeps the wait; a stable one starts again from the minimum.
        #expect(plan.decide(.exited(code: 1), lifetime: 10, unhealthy: false, now: 10) == .restart(after: 8, quickCrash: false))
        #expect(plan.decide(.exited(code: 1), lifetime: 31, unhealthy: false, now: 50) == .restart(after: 1, quickCrash: false))
    }

    @Test func policies() {
        var no = RestartPlan(Self.options(.no))
        #expect(no.decide(.killed(signal: 9), lifetime: 1, unhealthy: true, now: 0) == .stop)
        var onFailure = RestartPlan(Self.options(.onFailure))
        #expect(onFailure.decide(.exited(code: 0), lifetime: 1, unhealthy: false, now: 0) == .stop)
        #expect(onFailure.decide(.exited(code: 0), lifetime: 1, unhealthy: true, now: 0) == .restart(after: 1, quickCrash: true))
        #expect(onFailure.decide(.killed(signal: 15), lifetime: 1, unhealthy: false, now: 0) == .restart(after: 2, quickCrash: true))
    }

    @Test func maxRestartsCountsOnlyWithinTheWindow() {
        var plan = RestartPlan(Self.options(.always, max: 2))
        #expect(plan.decide(.exited(code: 1), lifetime: 1, unhealthy: false, now: 0) != .stop)
        #expect(plan.decide(.exited(code: 1), lifetime: 1, unhealthy: false, now: 10) != .stop)
        #expect(plan.decide(.exited(code: 1), lifetime: 1, unhealthy: false, now: 20) == .giveUp(restarts: 2))
        // 60 s after the first, it has left the window.
        #expect(plan.decide(.exited(code: 1), lifetime: 1, unhealthy: false, now: 60) != .giveUp(restarts: 2))
    }
}
