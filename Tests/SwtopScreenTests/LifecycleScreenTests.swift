import Foundation
import Testing

/// What happened to processes, on the screen (issue 9, point 6): the events view (E), the ghost
/// rows' ends, the zombie marks and the header's exits, with real children ending each way.
@Suite(.serialized, .enabled(if: !tmuxMissing, "tmux is not installed: the screen tests need it"))
struct LifecycleScreenTests {
    /// "12:03:04 " then the pid right-aligned in 7 columns, the name in 15, then the words.
    static func eventPattern(pid: Int32, name: String, words: String) -> String {
        let pidText = String(repeating: " ", count: max(0, 7 - String(pid).count)) + String(pid)
        let padded = name.padding(toLength: 15, withPad: " ", startingAt: 0)
        return #"[0-2][0-9]:[0-5][0-9]:[0-6][0-9] "# + NSRegularExpression.escapedPattern(for: pidText + " " + padded + " ") + words
    }

    static func matches(_ line: String, _ pattern: String) -> Bool {
        line.range(of: "^" + pattern + "$", options: .regularExpression) != nil
    }

    /// "Exits (5 min): 12, 3 failed" -> (12, 3).
    static func exits(_ screen: Screen) -> (ended: Int, failed: Int)? {
        guard let line = screen.lines.first(where: { $0.contains("Exits (5 min): ") }),
            let part = line.components(separatedBy: "Exits (5 min): ").last
        else { return nil }
        let numbers = part.components(separatedBy: CharacterSet.decimalDigits.inverted).compactMap { Int($0) }
        return numbers.count >= 2 ? (numbers[0], numbers[1]) : nil
    }

    @Test func eventsViewGhostRowsAndHeaderSayHowChildrenEnded() throws {
        try eventsViewGhostRowsAndHeader(asUser: "")
    }

    /// Without root: no proc connector; the ends come from a pidfd per process (Linux 6.15+),
    /// here of the runner's (root's) children, watched by nobody.
    @Test(.enabled(if: geteuid() == 0, "needs root to run swtop as nobody"))
    func eventsViewWithoutRoot() throws {
        try eventsViewGhostRowsAndHeader(asUser: "setpriv --reuid=nobody --regid=nogroup --clear-groups")
    }

    func eventsViewGhostRowsAndHeader(asUser: String) throws {
        let children = Children()
        // Lives until the test opens the FIFO (after the screen showed it, however slow the
        // machine), then exits 3.
        let fifo = NSTemporaryDirectory() + "swtop-test-exit3-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        let failing = try children.start("/bin/sh", ["-c", "read line < '\(fifo)'; exit 3"])
        let killed = try children.start("/bin/sleep", ["600"])
        // --no-config: the test's settings directory is root's, and nobody may not read it.
        let s = try ScreenSession(arguments: "-d 5 --no-config -p \(failing),\(killed)", width: 200, height: 40, environment: asUser)
        var screen = try s.waitFor("both children") { $0.row(pid: failing) != nil && $0.row(pid: killed) != nil }
        let before = try #require(Self.exits(screen), "no Exits line:\n\(screen)")
        #expect(screen.lines.contains { Self.matches($0, #".*  Exits \(5 min\): [0-9]+, [0-9]+ failed(, [0-9]+ OOM-killed)?"#) })

        kill(killed, SIGKILL)
        #expect(reap(killed) == 128 + SIGKILL)
        // Its row stays a moment, greyed, saying how it ended.
        screen = try s.waitFor("the killed child's ghost row") { screen in
            screen.row(pid: killed).map { Self.matches($0, #".* \[killed by SIGKILL after ([0-9]+ ms|[0-9]+\.[0-9] s)\] /bin/sleep 600"#) } == true
        }
        // The shell has opened the FIFO to read by now; opening it to write wakes it.
        let writer = open(fifo, O_WRONLY | O_NONBLOCK)
        #expect(writer >= 0, "the child is not waiting on its FIFO: errno \(errno)")
        if writer >= 0 { close(writer) } else { kill(failing, SIGKILL) }
        #expect(reap(failing) == 3)

        try s.send("E")
        let exitedLine = Self.eventPattern(pid: failing, name: "sh", words: #"exited 3 after ([0-9]+ ms|[0-9]+\.[0-9] s)"#)
        // As root the signal tracepoint names who sent it (this test).
        let killedLine = Self.eventPattern(pid: killed, name: "sleep", words: #"killed by SIGKILL( from swtopPackageTes \(pid [0-9]+\))? after ([0-9]+ ms|[0-9]+\.[0-9] s)"#)
        screen = try s.waitFor("both ends in the events view") { screen in
            screen.lines.contains { Self.matches($0, exitedLine) } && screen.lines.contains { Self.matches($0, killedLine) }
        }
        #expect(screen.lines.contains("    TIME     PID NAME            WHAT HAPPENED"))
        // The view shows the events of the processes the list shows (-p here).
        // As root, the SIGKILL from another process is an event of its own too.
        let shown = asUser.isEmpty && geteuid() == 0 ? 3 : 2
        #expect(screen.statusLine == "Events: \(shown) (filtered as the list), newest first  Esc back")
        #expect(screen.functionBar.hasPrefix("Esc Back  F10Quit"))
        // Newest first: the sh exited after the sleep was killed.
        let exitedIndex = try #require(screen.lines.firstIndex { Self.matches($0, exitedLine) })
        let killedIndex = try #require(screen.lines.firstIndex { Self.matches($0, killedLine) })
        #expect(exitedIndex < killedIndex)
        // Two failures more than before (other processes of the machine may have ended too).
        let after = try #require(Self.exits(screen))
        #expect(after.failed >= before.failed + 2 && after.ended >= before.ended + 2, "\(before) -> \(after)")

        try s.send("Escape")
        try s.waitFor("the list again") { $0.functionBar.hasPrefix("F1Help") }
    }

    @Test func zombieAndItsParentAreMarked() throws {
        let children = Children()
        // A parent that never waits for its child, which exits 5 at once.
        let parent = try children.start("/usr/bin/python3", ["-c", "import os, time\nif os.fork() == 0: os._exit(5)\ntime.sleep(600)"])
        let zombie = try #require(children.waitForChildren(of: parent, count: 1).first)
        let s = try ScreenSession(arguments: "-d 5 -p \(parent),\(zombie)", width: 200, height: 40)
        let screen = try s.waitFor("the marks") { screen in
            screen.row(pid: parent)?.contains(" [1 zombie] /usr/bin/python3 -c import os, time") == true
                && screen.row(pid: zombie).map { Self.matches($0, #".* Z .* \[zombie ≥[0-9]+s, exited 5\] \[python3\]"#) } == true
        }
        #expect(screen.row(pid: zombie) != nil)
        // It has been a zombie since before swtop started: its age is at least the time swtop has
        // watched (≥), never shown as new.
        try s.waitFor("the zombie's time counting") { $0.row(pid: zombie).map { Self.matches($0, #".* \[zombie ≥[1-9][0-9]*s, exited 5\] \[python3\]"#) } == true }
        // Its death is no recent exit: the events view tells the zombie (after 5 s), not an exit.
        try s.send("E")
        let zombieLine = Self.eventPattern(pid: zombie, name: "python3", words: #"zombie of \#(parent) python3 for ≥ [5-9]\.[0-9] s \(exited 5\)"#)
        let events = try s.waitFor("the zombie in the events view", timeout: 20) { $0.lines.contains { Self.matches($0, zombieLine) } }
        #expect(!events.lines.contains { $0.contains(" \(zombie) ") && $0.contains("exited 5 after") }, "\(events)")
        #expect(events.statusLine == "Events: 1 (filtered as the list), newest first  Esc back")
    }

    @Test func aStopFromTheScreenSaysItNeededSIGKILL() throws {
        let children = Children()
        let testee = try children.startTestee(["ignore-term"])
        let s = try ScreenSession(arguments: "-d 5 --stop-grace 1 -p \(testee)", width: 200, height: 40)
        try s.waitFor("the testee") { $0.row(pid: testee) != nil }
        try s.send("k")
        try s.waitFor("the signal menu") { $0.lines.contains { $0.hasPrefix(" Graceful stop (TERM, then KILL after 1 s)") } }
        try s.send("Enter")
        let words = #"killed by SIGKILL after ([0-9]+ ms|[0-9]+\.[0-9] s) \(stopped by swtop: needed SIGKILL\)"#
        try s.waitFor("the outcome", timeout: 30) { Self.matches($0.statusLine, "\(testee) \\(swtop-testee\\): " + words) }
        #expect(reap(testee) == 128 + SIGKILL)
        try s.send("E")
        let line = Self.eventPattern(
            pid: testee, name: "swtop-testee", words: #"killed by SIGKILL after ([0-9]+ ms|[0-9]+\.[0-9] s) \(stopped by swtop: needed SIGKILL\)"#)
        try s.waitFor("the stop in the events view") { $0.lines.contains { Self.matches($0, line) } }
    }

    /// One ending, one description: after F9's graceful stop, the status line, the row's tag
    /// and the events view say it in the same words.
    @Test func aStopThatTermEndsSaysSoInTheSameWordsEverywhere() throws {
        let children = Children()
        let testee = try children.startTestee(["handle-term"])
        let s = try ScreenSession(arguments: "-d 5 -p \(testee)", width: 200, height: 40)
        try s.waitFor("the testee") { $0.row(pid: testee) != nil }
        try s.send("F9")
        try s.waitFor("the signal menu") { $0.lines.contains { $0.hasPrefix(" Graceful stop (TERM, then KILL after 10 s)") } }
        try s.send("Enter")
        let pattern = #"exited 0 after ([0-9]+ ms|[0-9]+\.[0-9] s) \(stopped by swtop: SIGTERM was enough\)"#
        let prefix = "\(testee) (swtop-testee): "
        let screen = try s.waitFor("the outcome", timeout: 30) { $0.statusLine.hasPrefix(prefix) && Self.matches(String($0.statusLine.dropFirst(prefix.count)), pattern) }
        let words = String(screen.statusLine.dropFirst(prefix.count))
        // Not reaped yet (the test is its parent): a zombie, whose tag tells its end in those words.
        try s.waitFor("the zombie's tag") { $0.row(pid: testee)?.contains(", " + words + "] [swtop-testee]") == true }
        try s.send("E")
        let line = Self.eventPattern(pid: testee, name: "swtop-testee", words: NSRegularExpression.escapedPattern(for: words))
        try s.waitFor("the stop in the events view") { $0.lines.contains { Self.matches($0, line) } }
        #expect(reap(testee) == 0)
    }

    /// Another process asks a process that ignores SIGTERM to stop: its row says it is draining
    /// and for how long, its detail page who asked, and the E view the signal and its sender.
    @Test(.enabled(if: geteuid() == 0, "the signal tracepoint needs root"))
    func aProcessAskedToStopByAnotherIsDraining() throws {
        let children = Children()
        let testee = try children.startTestee(["ignore-term"])
        let s = try ScreenSession(arguments: "-d 5 -p \(testee)", width: 200, height: 40)
        try s.waitFor("the testee") { $0.row(pid: testee) != nil }
        // A bash named "deployer" sends SIGTERM and lives on (the closing exit keeps bash from
        // exec'ing the sleep, which would rename it).
        let scratch = try makeScratchDirectory()
        defer { removeScratchDirectory(scratch) }
        let deployer = scratch + "/deployer"
        #expect(symlink("/bin/bash", deployer) == 0)
        let asker = try children.start(deployer, ["-c", "kill -TERM \(testee); sleep 60; exit 0"])
        try s.waitFor("the draining row") { $0.row(pid: testee).map { Self.matches($0, #".* \[draining [0-9]+s\] .*swtop-testee ignore-term"#) } == true }
        try s.send("Enter")
        try s.waitFor("who asked, on the detail page") { screen in
            screen.lines.contains { Self.matches($0, #"  Draining +SIGTERM from deployer \(pid \#(asker), root\) ([0-9]+ ms|[0-9]+\.[0-9] s) ago"#) }
        }
        // Esc alone, then E once the page has closed: an Esc followed at once by a key is read
        // as one escape sequence (and dropped).
        try s.send("Escape")
        try s.waitFor("the list again") { $0.row(pid: testee) != nil }
        try s.send("E")
        let line = Self.eventPattern(pid: testee, name: "swtop-testee", words: #"SIGTERM from deployer \(pid \#(asker), root\)"#)
        try s.waitFor("the signal in the events view") { $0.lines.contains { Self.matches($0, line) } }
    }

    @Test func tidyAt80Columns() throws {
        let children = Children()
        let parent = try children.start("/usr/bin/python3", ["-c", "import os, time\nif os.fork() == 0: os._exit(5)\ntime.sleep(600)"])
        let zombie = try #require(children.waitForChildren(of: parent, count: 1).first)
        let s = try ScreenSession(arguments: "-d 5 -p \(parent),\(zombie)", width: 80, height: 24)
        let screen = try s.waitFor("the rows") { $0.row(pid: parent) != nil && $0.row(pid: zombie) != nil }
        // The header's line fits in the right half, its figures whole.
        #expect(screen.lines.contains { Self.matches($0, #" {41}Exits (\(5 min\)|5m): [0-9]+, [0-9]+ failed(, [0-9]+ OOM-killed)?"#) }, "\(screen)")
        #expect(screen.lines.allSatisfy { $0.count <= 80 })
    }
}
