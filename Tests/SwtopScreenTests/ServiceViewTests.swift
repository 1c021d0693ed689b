import Foundation
import Testing

/// Issue 10 on the screen: the service view (G) and the not-reaping advice, read by eye as tmux
/// shows them.
@Suite struct ServiceViewTests {
    /// G groups a replayed tree by cgroup, with CONTAINER and UNIT before the command and
    /// `[main]` before a container's PID 1; G again goes back.
    @Test func serviceViewGroupsByCgroup() throws {
        let fixture = packageRoot.appendingPathComponent("Fixtures/proc/containers").path
        let s = try ScreenSession(arguments: "--proc-root \(fixture)", width: 160)
        try s.waitFor("the list") { $0.row(pid: 10) != nil }
        try s.send("G")
        let grouped = try s.waitFor("the service view") { $0.lines.contains { $0.contains("By service") } }
        let title = try #require(grouped.lines.first { $0.contains("PID USER") })
        #expect(title.hasSuffix("CONTAINER      UNIT                     Command"))
        #expect(grouped.row(pid: 11)?.hasSuffix("3f4e8a1c2b9d   docker-3f4e8a1c2b9d0e7f6   [main] node") == true)
        #expect(grouped.row(pid: 10)?.hasSuffix("-              nginx.service              nginx") == true)
        // In cgroup order: the nginx unit after the docker scope, the user's services after both.
        let order = grouped.rows.compactMap { Int32($0.split(separator: " ").first ?? "") }
        let docker = try #require(order.firstIndex(of: 11)), nginx = try #require(order.firstIndex(of: 10)), user = try #require(order.firstIndex(of: 17))
        #expect(docker < nginx && nginx < user)
        try s.send("G")
        try s.waitFor("the list again") { !$0.lines.contains { $0.contains("By service") } && !$0.text.contains("CONTAINER") }
    }

    /// PID 1 of its own namespace that leaves a zombie: after five seconds, selected, the status
    /// line says it does not reap, in words.
    @Test(.enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare"), "needs root and unshare(1)"))
    func containerInitThatDoesNotReapIsCalledOut() throws {
        let unshare = try spawn("/usr/bin/unshare", ["--pid", "--fork", "/bin/sh", "-c", "/bin/true & exec /bin/sleep 120"])
        var initPID: Int32 = 0
        defer {
            if initPID > 0 { kill(initPID, SIGKILL) }
            kill(unshare, SIGKILL)
            reap(unshare)
        }
        #expect(waitUntilTrue { initPID = childPIDs(of: unshare).first ?? 0; return initPID > 0 })
        let s = try ScreenSession(arguments: "-d 5 -p \(initPID)", width: 160)
        let screen = try s.waitFor("the advice", timeout: 30) {
            $0.lines.contains("\(initPID) (sleep): PID 1 of its container and does not reap: run it under an init (docker run --init)")
        }
        #expect(screen.row(pid: initPID) != nil)
        try s.send("G")
        // The service view's own mark says it; the lifecycle's, after it, counts the zombie.
        try s.waitFor("the mark") { $0.row(pid: initPID)?.hasSuffix("[main, not reaping] [1 zombie] /bin/sleep 120") == true }
    }
}
