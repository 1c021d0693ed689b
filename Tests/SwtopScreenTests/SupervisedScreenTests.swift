import Foundation
import Testing

/// A child of a real `swtop run` on the screen (issue 21, point 6): its row's mark and its detail
/// page's section say the attempt, the back-off and ready, from swtop run's state file; swtop
/// run's own row says when it restarts while it waits.
@Suite(.serialized, .enabled(if: !tmuxMissing, "tmux is not installed: the screen tests need it"))
struct SupervisedScreenTests {
    static let swtopRun = URL(fileURLWithPath: swtopBinary).deletingLastPathComponent().appendingPathComponent("swtop-run").path

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
        guard bound else { throw HarnessError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Answers every GET with 200.
    static let server = """
        import http.server, sys
        class Health(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.end_headers()
            def log_message(self, *args):
                pass
        http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Health).serve_forever()
        """

    func field(_ label: String, _ value: String) -> String {
        "  " + label.padding(toLength: 14, withPad: " ", startingAt: 0) + value
    }

    @Test(.enabled(if: geteuid() == 0, "swtop run's state file is in /run/swtop as root"),
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "needs python3 for a real HTTP server"))
    func supervisedChildRowDetailPageAndWaitingRun() throws {
        let port = try Self.freePort()
        let run = try spawn(Self.swtopRun, [
            "--restart", "on-failure", "--backoff-min", "20s", "--health", "http://127.0.0.1:\(port)/health",
            "--health-every", "200ms", "--health-start-period", "30s", "--", "/usr/bin/python3", "-c", Self.server, String(port),
        ])
        defer {
            kill(run, SIGTERM)
            reap(run)
        }
        let child = try #require(Children().waitForChildren(of: run, count: 1).first)
        let s = try ScreenSession(arguments: "-p \(child)", width: 200, height: 50)
        var screen = try s.waitFor("the child's row marked ready") {
            $0.row(pid: child)?.contains(" [run: attempt 1, back-off 20s, ready] /usr/bin/python3 -c ") == true
        }
        try s.send("Enter")
        screen = try s.waitFor("the detail page's swtop run section") { $0.lines.contains("Supervised by swtop run (pid \(run))") }
        let at = try #require(screen.lines.firstIndex(of: "Supervised by swtop run (pid \(run))"))
        #expect(Array(screen.lines[(at + 1)...].prefix(6)) == [
            field("Attempt", "1 (0 restarts so far)"),
            field("Phase", "running"),
            field("Back-off", "20.0 s: the wait before a restart, should it end now (--restart on-failure)"),
            field("Health", "ready"),
            field("Check", "http://127.0.0.1:\(port)/health"),
            field("Last answer", "HTTP 200"),
        ], "\(screen)")
        // The section follows State, before Family.
        #expect(screen.lines[at - 1] == "" && screen.lines[at + 7] == "" && screen.lines[at + 8] == "Family")

        // swtop run's own row, while it waits 20 s to restart the killed child.
        let waiting = try ScreenSession(arguments: "-p \(run)", width: 200, height: 50)
        screen = try waiting.waitFor("swtop run's row") { $0.row(pid: run) != nil }
        #expect(screen.row(pid: run)?.contains("[run:") == false, "running: the mark is on the child's row\n\(screen)")
        kill(child, SIGKILL)
        screen = try waiting.waitFor("swtop run's row waiting to restart") {
            $0.row(pid: run)?.range(of: #" \[run: attempt 1 ended, restart in (1[0-9]|20)s\] .*swtop-run --restart on-failure"#, options: .regularExpression) != nil
        }
    }

    /// Unhealthy, with `--restart no`: no back-off to show (it will not restart), only said.
    @Test(.enabled(if: geteuid() == 0, "swtop run's state file is in /run/swtop as root"))
    func unhealthyChildWithoutRestarts() throws {
        let run = try spawn(Self.swtopRun, ["--health-cmd", "false", "--health-every", "100ms", "--health-retries", "2", "--", "/bin/sleep", "300"])
        defer {
            kill(run, SIGTERM)
            reap(run)
        }
        let child = try #require(Children().waitForChildren(of: run, count: 1).first)
        let s = try ScreenSession(arguments: "-p \(child)", width: 200, height: 50)
        try s.waitFor("the child's row marked unhealthy") { $0.row(pid: child)?.hasSuffix(" [run: attempt 1, unhealthy] /bin/sleep 300") == true }
        try s.send("Enter")
        let screen = try s.waitFor("the detail page's swtop run section") { $0.lines.contains("Supervised by swtop run (pid \(run))") }
        let at = try #require(screen.lines.firstIndex(of: "Supervised by swtop run (pid \(run))"))
        #expect(Array(screen.lines[(at + 1)...].prefix(6)) == [
            field("Attempt", "1 (0 restarts so far)"),
            field("Phase", "running"),
            field("Restarts", "none: --restart no"),
            field("Health", "unhealthy"),
            field("Check", "command: false"),
            field("Last answer", "command exited 1"),
        ], "\(screen)")
    }
}
