import Foundation
import Testing

/// The detail view (Enter, l, e) on real child processes, as a user sees it in tmux.
@Suite(.serialized, .enabled(if: !tmuxMissing, "tmux is not installed"))
struct DetailViewTests {
    static let functionBar = "Esc Back  l Files e Environment  F10Quit"

    func temporaryDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swtop-detail-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// "  Label         value" as the page lays out a field.
    func field(_ label: String, _ value: String) -> String {
        "  " + label.padding(toLength: 14, withPad: " ", startingAt: 0) + value
    }

    @Test func identityStateFilesSocketAndEnvironmentOfAChild() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/opened.txt"
        let portFile = dir + "/port"
        FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        let marker = uniqueMarker()
        let children = Children()
        // The file names are relative to the directory the testee changes to: a short command line.
        let testee = try children.startTestee(["detail", dir, "opened.txt", "port"], environment: ["SWTOP_DETAIL_TEST=value-\(marker)"])
        let port = try #require(Int(try String(contentsOfFile: portFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        let s = try ScreenSession(arguments: "-p \(testee)", width: 200, height: 60)
        try s.waitFor("the testee") { $0.row(pid: testee) != nil }
        try s.send("Enter")
        var screen = try s.waitFor("the detail page") { $0.lines.first?.hasPrefix("Process \(testee) (swtop-testee)  Identity") == true && $0.lines.contains { $0.hasPrefix("Open files (") } }
        #expect(screen.functionBar == Self.functionBar)
        #expect(screen.statusLine.hasPrefix("Details of \(testee) (swtop-testee), read at "))
        #expect(screen.lines[1] == "Identity")
        #expect(screen.lines.contains(field("PID", "\(testee)   threads 1")))
        #expect(screen.lines.contains(field("Name", "swtop-testee")))
        #expect(screen.lines.contains(field("Command", "\(testeeBinary) detail \(dir) opened.txt port")))
        #expect(screen.lines.contains(field("Cwd", dir)))
        #expect(screen.lines.contains(field("User", "\(runnerUser()) (uid \(geteuid()))")))
        #expect(screen.lines.contains(field("State", "S (sleeping)")))
        // pause() waits in the kernel; its function's name varies between kernels.
        let waiting = try #require(screen.lines.first { $0.hasPrefix(field("Waiting in", "")) })
        #expect(waiting.count > field("Waiting in", "").count)
        #expect(screen.lines.contains { $0.hasPrefix(field("Parents", "\(getpid()) ")) })
        #expect(screen.lines.contains { $0.hasPrefix(field("Open files", "")) && $0.contains(" open (soft limit; hard ") })
        // The open file and the listening socket, as lsof shows them.
        #expect(screen.lines.contains { $0.hasSuffix("  " + file) })
        #expect(screen.lines.contains { $0.hasSuffix("  TCP 127.0.0.1:\(port) (LISTEN)") })
        try s.send("e")
        screen = try s.waitFor("the environment") { $0.lines.contains("  SWTOP_DETAIL_TEST=value-\(marker)") }
        #expect(screen.lines.contains { $0.hasPrefix("Environment (") })
        try s.send("Escape")
        screen = try s.waitFor("the list") { $0.titleIndex != nil }
        #expect(screen.selectedPID == testee)
    }

    /// A zombie names the parent that does not reap it, and once reaped the page says the
    /// process exited and how, and stops refreshing.
    @Test func zombieThenExitedStopsRefreshing() throws {
        let children = Children()
        let testee = try children.startTestee(["ignore-term"])
        let s = try ScreenSession(arguments: "-p \(testee)", width: 200, height: 60)
        try s.waitFor("the testee") { $0.row(pid: testee) != nil }
        try s.send("Enter")
        try s.waitFor("the detail page") { $0.lines.contains(field("State", "S (sleeping)")) }
        kill(testee, SIGKILL)
        var screen = try s.waitFor("the zombie") { $0.lines.contains(field("State", "Z (zombie)")) }
        #expect(screen.lines.contains { $0.hasPrefix(field("Not reaped by", "\(getpid()) ")) })
        // The same user may read a zombie's wait status (ptrace access).
        #expect(screen.lines.contains(field("Exit status", "killed by SIGKILL")))
        reap(testee)
        screen = try s.waitFor("the exit") { $0.lines.contains { $0.hasPrefix("EXITED: swtop saw process \(testee) gone at ") } }
        #expect(screen.lines[0].hasPrefix("Process \(testee) (swtop-testee) (exited)"))
        #expect(screen.lines.joined(separator: " ").contains("(killed by SIGKILL). Not refreshed since"))
        // Nothing changes any more: the page does not read a pid that may be reused.
        try s.holds("the exited page", for: 2.5) { $0.lines.dropLast(2) == screen.lines.dropLast(2) }
        try s.send("q")
        try s.waitFor("the list") { $0.titleIndex != nil }
    }

    @Test func aReplacedBinaryShowsDeleted() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let copy = dir + "/testee-copy"
        // Copied by cp(1): a copy written here would leave its fd open in whatever another test
        // thread forks meanwhile, and exec would fail with ETXTBSY.
        try run("/bin/cp", [testeeBinary, copy], output: false)
        let children = Children()
        let testee = try children.startTestee(["ignore-term"], executable: copy)
        try FileManager.default.removeItem(atPath: copy)
        let s = try ScreenSession(arguments: "-p \(testee)", width: 120, height: 40)
        try s.waitFor("the testee") { $0.row(pid: testee) != nil }
        try s.send("Enter")
        let screen = try s.waitFor("the detail page") { $0.lines.contains { $0.hasPrefix(field("Executable", "")) } }
        #expect(screen.lines.contains(field("Executable", copy + " (deleted)")))
        #expect(screen.lines.contains(field("", "the binary was replaced or removed after it started")))
    }

    /// A vfork parent waits uninterruptibly (state D) until its child execs or exits.
    @Test func aProcessInDiskSleepShowsWhereAndHowLong() throws {
        let children = Children()
        let testee = try children.startTestee(["vfork"])
        let s = try ScreenSession(arguments: "-p \(testee)", width: 120, height: 50)
        try s.waitFor("the testee") { $0.row(pid: testee) != nil }
        try s.send("Enter")
        let screen = try s.waitFor("the D state for 2 s") {
            $0.lines.contains(field("State", "D (disk sleep)"))
                && $0.lines.contains { $0.hasPrefix(field("In D for", "")) && !$0.hasPrefix(field("In D for", "0 s")) && !$0.hasPrefix(field("In D for", "1 s")) }
        }
        #expect(screen.lines.contains { $0.hasPrefix(field("In D for", "")) && $0.hasSuffix(" s (since swtop saw it enter)") })
        #expect(screen.lines.contains { $0.hasPrefix(field("Waiting in", "")) && $0.count > field("Waiting in", "").count })
        if geteuid() == 0 {
            // The kernel stack (root only) shows the vfork wait.
            let stack = try #require(screen.lines.firstIndex { $0.hasPrefix(field("Kernel stack", "")) })
            let frames = screen.lines[stack...].prefix { $0.hasPrefix("  Kernel stack") || $0.hasPrefix(field("", "")) }
            #expect(frames.contains { $0.contains("vfork") })
        } else {
            #expect(screen.lines.contains(field("Kernel stack", "root only (/proc/\(testee)/stack)")))
        }
        #expect(screen.lines.contains { $0.hasPrefix(field("Children", "1: ")) })
    }

    /// swtop run as nobody on root's process: each file it may not read says so in its place,
    /// and what anyone may read (stat, status) still shows.
    @Test(.enabled(if: geteuid() == 0 && findExecutable("setpriv") != nil, "needs root (and setpriv) to run swtop as another user"))
    func anotherUsersProcessSaysWhatIsUnreadable() throws {
        let children = Children()
        let testee = try children.startTestee(["ignore-term"])
        let s = try ScreenSession(arguments: "-p \(testee)", width: 120, height: 60, environment: "setpriv --reuid=65534 --regid=65534 --clear-groups")
        try s.waitFor("the testee") { $0.row(pid: testee) != nil }
        try s.send("Enter")
        let denied = "permission denied: another user's process (root can read it)"
        let screen = try s.waitFor("the detail page") { $0.lines.contains { $0.hasPrefix("Environment") } }
        #expect(screen.lines.contains(field("Executable", denied)))
        #expect(screen.lines.contains(field("Cwd", denied)))
        #expect(screen.lines.contains(field("Open files", denied)))
        #expect(screen.lines.contains(field("State", "S (sleeping)")))
        #expect(screen.lines.contains(field("Command", "\(testeeBinary) ignore-term")))
        let files = try #require(screen.lines.firstIndex(of: "Open files"))
        #expect(screen.lines[files + 1] == "  " + denied)
        let environment = try #require(screen.lines.firstIndex(of: "Environment"))
        #expect(screen.lines[environment + 1] == "  " + denied)
    }

    /// The page at 80 columns: every line fits, the title and bars say where the user is.
    @Test func atEightyColumns() throws {
        let children = Children()
        let testee = try children.startTestee(["ignore-term"])
        let s = try ScreenSession(arguments: "-p \(testee)", width: 80, height: 24)
        try s.waitFor("the testee") { $0.row(pid: testee) != nil }
        try s.send("Enter")
        let screen = try s.waitFor("the detail page") { $0.lines.first?.hasPrefix("Process \(testee) (swtop-testee)  Identity  lines 1-21 of ") == true }
        #expect(screen.lines.count == 24)
        #expect(screen.lines.allSatisfy { $0.count <= 80 })
        #expect(screen.lines[1] == "Identity")
        #expect(screen.functionBar == Self.functionBar)
        try s.send("End")
        try s.waitFor("the end of the page") { $0.lines.contains("History") }
        try s.send("l")
        try s.waitFor("the open files") { $0.lines.contains { $0.hasPrefix("Open files (") } }
    }
}
