import Foundation
import Testing
import TestSupport

/// Health checks against real servers: an HTTP server that turns unhealthy, a port nobody
/// listens on, a check command.
@Suite(.serialized) struct RunHealthTests {
    /// A TCP port of 127.0.0.1 free a moment ago.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) == 0 && getsockname(fd, $0, &size) == 0 }
        }
        guard bound else { throw TestFailure("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Answers 200, or 503 while the file SICK exists.
    static let server = """
        import http.server, os, sys
        port, sick = int(sys.argv[1]), sys.argv[2]
        class Health(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(503 if os.path.exists(sick) else 200)
                self.end_headers()
            def log_message(self, *args):
                pass
        http.server.HTTPServer(("127.0.0.1", port), Health).serve_forever()
        """

    static func waitForEvents(_ path: String, _ name: String, count: Int = 1, seconds: Double = 20) -> Bool {
        waitUntil(seconds) { RunSupport.events(path, named: name).count >= count }
    }

    @Test(.enabled(if: isInstalled("/usr/bin/python3"), "needs python3 for a real HTTP server"))
    func httpServerThatTurnsUnhealthyIsRestarted() throws {
        let dir = RunSupport.directory("http")
        let events = dir + "/events"
        let sick = dir + "/sick"
        let port = try Self.freePort()
        let supervisor = try Background(RunSupport.swtopRun, [
            "--restart", "on-failure", "--backoff-min", "0", "--grace", "5s",
            "--health", "http://127.0.0.1:\(port)/health", "--health-every", "100ms", "--health-timeout", "1s",
            "--health-retries", "2", "--health-start-period", "15s", "--events", events,
            "--", "/usr/bin/python3", "-c", Self.server, String(port), sick,
        ])
        #expect(Self.waitForEvents(events, "ready"))
        if isRoot {
            // What the monitor reads: ready, the check and its last answer.
            let path = "/run/swtop/run-\(supervisor.pid).json"
            #expect(waitUntil { (fileBytes(path).flatMap { try? jsonObject(Data($0)) })?["ready"] as? Bool == true })
            let state = try jsonObject(Data(try #require(fileBytes(path))))
            #expect(state["health"] as? String == "http://127.0.0.1:\(port)/health")
            #expect(state["health_detail"] as? String == "HTTP 200")
            #expect(state["unhealthy"] as? Bool == false)
            #expect(state["phase"] as? String == "running")
        }
        FileManager.default.createFile(atPath: sick, contents: Data())
        #expect(Self.waitForEvents(events, "restart"))
        let restart = try #require(RunSupport.events(events, named: "restart").first)
        #expect(restart["reason"] as? String == "unhealthy")
        #expect(restart["attempt"] as? Int == 2)
        let unhealthy = try #require(RunSupport.events(events, named: "unhealthy").first)
        #expect(unhealthy["failures"] as? Int == 2)
        // The first run's failed checks after it was ready: those counted. (Checks before the
        // server listened, and the second run's before the test made it healthy again, are
        // reported too, but fall in the start period.)
        let firstPID = try #require(RunSupport.events(events, named: "start").first?["pid"] as? Int)
        let firstRun = RunSupport.events(events).filter { $0["pid"] as? Int == firstPID }
        let readyAt = try #require(firstRun.firstIndex { $0["event"] as? String == "ready" })
        let failed = firstRun[readyAt...].filter { $0["event"] as? String == "health" && $0["ok"] as? Bool == false }
        #expect(failed.count == 2)
        #expect(failed.allSatisfy { $0["detail"] as? String == "HTTP 503" })
        let exit = try #require(RunSupport.events(events, named: "exit").first)
        #expect(exit["outcome"] as? String == "killed")
        #expect(exit["signal"] as? String == "SIGTERM")
        let stop = try #require(exit["stop"] as? [String: Any])
        #expect(stop["kind"] as? String == "graceful")
        let by = try #require(stop["requested_by"] as? [String: Any])
        #expect(by["pid"] as? Int == Int(supervisor.pid))
        // Healthy again after the restart: ready a second time, then stopped by the test.
        try FileManager.default.removeItem(atPath: sick)
        #expect(Self.waitForEvents(events, "ready", count: 2))
        kill(supervisor.pid, SIGTERM)
        #expect(try supervisor.status() == 143)
        #expect(RunSupport.events(events, named: "start").compactMap { $0["attempt"] as? Int } == [1, 2])
    }

    @Test func nothingListeningIsUnhealthyAndGivesUpAfterMaxRestarts() throws {
        let events = RunSupport.directory("tcp") + "/events"
        let port = try Self.freePort()
        let r = try run(RunSupport.swtopRun, [
            "--restart", "always", "--backoff-min", "0", "--max-restarts", "1",
            "--health", "tcp://127.0.0.1:\(port)", "--health-every", "50ms", "--health-retries", "3",
            "--events", events, "--", "/bin/sleep", "60",
        ])
        #expect(r.status == 143)
        #expect(RunSupport.events(events).compactMap { $0["event"] as? String }.filter { $0 != "health" }
            == ["start", "unhealthy", "exit", "restart", "start", "unhealthy", "exit", "gave_up"])
        let details = Set(RunSupport.events(events, named: "health").compactMap { $0["detail"] as? String })
        #expect(details == ["connect: Connection refused"])
        #expect(RunSupport.events(events, named: "ready").isEmpty)
    }

    @Test func checkCommandWithRestartNoOnlyReports() throws {
        let dir = RunSupport.directory("cmd")
        let events = dir + "/events"
        let sick = dir + "/sick"
        let supervisor = try Background(RunSupport.swtopRun, [
            "--health-cmd", "test ! -e \(sick)", "--health-every", "50ms", "--health-retries", "2", "--events", events,
            "--", "/bin/sleep", "60",
        ])
        #expect(Self.waitForEvents(events, "ready"))
        FileManager.default.createFile(atPath: sick, contents: Data())
        #expect(Self.waitForEvents(events, "unhealthy"))
        let failed = try #require(RunSupport.events(events, named: "health").last)
        #expect(failed["detail"] as? String == "command exited 1")
        // --restart no: unhealthy is said, the child is left running.
        #expect(RunSupport.events(events, named: "exit").isEmpty)
        kill(supervisor.pid, SIGTERM)
        #expect(try supervisor.status() == 143)
    }

    @Test func checkThatTakesTooLongFails() throws {
        let events = RunSupport.directory("slow") + "/events"
        let supervisor = try Background(RunSupport.swtopRun, [
            "--health-cmd", "sleep 30", "--health-every", "50ms", "--health-timeout", "200ms", "--health-retries", "1",
            "--events", events, "--", "/bin/sleep", "60",
        ])
        #expect(Self.waitForEvents(events, "unhealthy"))
        let failed = try #require(RunSupport.events(events, named: "health").first)
        #expect(failed["detail"] as? String == "no answer within 200 ms")
        kill(supervisor.pid, SIGTERM)
        #expect(try supervisor.status() == 143)
    }
}
