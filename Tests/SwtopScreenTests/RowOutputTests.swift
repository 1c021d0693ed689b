import Foundation
import Testing

/// What a row and the header say, on the screen and in `--once` alike (issue 22, items 7, 10, 12
/// and 13): marks after the tree's branches, a namespace's PID 1 that does not reap said on its
/// own row, one task count, and the environment of a process that wrote over it.
@Suite(.serialized, .enabled(if: !tmuxMissing, "tmux is not installed: the screen tests need it"))
struct RowOutputTests {
    static func matches(_ line: String, _ pattern: String) -> Bool {
        line.range(of: "^" + pattern + "$", options: .regularExpression) != nil
    }

    /// In the tree, a zombie's mark comes after the branch that joins it to its parent, as htop
    /// puts its marks, so the lines of the tree stay whole.
    @Test func marksComeAfterTheTreeBranches() throws {
        let children = Children()
        // A parent that never waits for its two children, which exit 5 at once.
        let script = "import os, time\nfor i in range(2):\n    if os.fork() == 0: os._exit(5)\ntime.sleep(600)"
        // Shown with its newlines escaped.
        let command = "/usr/bin/python3 -c " + script.replacingOccurrences(of: "\n", with: "\\n")
        let parent = try children.start("/usr/bin/python3", ["-c", script])
        let zombies = children.waitForChildren(of: parent, count: 2)
        try #require(zombies.count == 2)
        let s = try ScreenSession(arguments: "-d 5 -t -p \(parent),\(zombies[0]),\(zombies[1])", width: 200, height: 40)
        let screen = try s.waitFor("the marks in the tree") { screen in
            screen.row(pid: parent)?.hasSuffix(" [2 zombies] " + command) == true
                && screen.row(pid: zombies[0]).map { Self.matches($0, #".* Z .* ├─ \[zombie ≥?[0-9]+s, exited 5\] \[python3\]"#) } == true
                && screen.row(pid: zombies[1]).map { Self.matches($0, #".* Z .* └─ \[zombie ≥?[0-9]+s, exited 5\] \[python3\]"#) } == true
        }
        #expect(screen.rowPIDs == [parent] + zombies)
        // --once --tree: the same mark, after the indent.
        let once = try run(swtopBinary, ["--once", "--tree", "--interval", "0", "-p", "\(parent),\(zombies[0]),\(zombies[1])"])
        let rows = once.split(separator: "\n").map(String.init).suffix(3)
        #expect(rows.first?.hasSuffix(" [2 zombies] " + command) == true, "\(once)")
        #expect(Array(rows.dropFirst()).map { $0.hasSuffix("   [python3]") } == [true, true], "\(once)")
    }

    /// A python PID 1 of its own PID namespace (as `docker run` without --init makes it) leaves
    /// three children unreaped: its row says so in the main list, on the screen and in --once.
    @Test(.enabled(if: geteuid() == 0, "unshare --pid needs root"))
    func aNamespacesPIDOneThatDoesNotReapSaysSoOnItsRow() throws {
        let children = Children()
        let script = "import os, time\nfor i in range(3):\n    if os.fork() == 0: os._exit(0)\ntime.sleep(600)"
        let unshare = try children.start("/usr/bin/unshare", ["--pid", "--fork", "--kill-child", "/usr/bin/python3", "-c", script])
        let python = try #require(children.waitForChildren(of: unshare, count: 1).first)
        #expect(children.waitForChildren(of: python, count: 3).count == 3)
        let command = "/usr/bin/python3 -c " + script.replacingOccurrences(of: "\n", with: "\\n")
        // The screen waits ReapingCheck.patience (5 s) before it calls a zombie unreaped.
        let s = try ScreenSession(arguments: "-d 5 -p \(python)", width: 200, height: 40)
        // (The row is wider than the pane: its start.)
        try s.waitFor("the namespace's PID 1 marked", timeout: 30) { $0.row(pid: python)?.contains(" [PID 1, not reaping: 3 zombies] /usr/bin/python3 -c import os, time") == true }
        let once = try run(swtopBinary, ["--once", "--interval", "0", "-p", "\(python)"])
        let row = try #require(once.split(separator: "\n").last.map(String.init))
        #expect(row.hasSuffix(" [PID 1, not reaping: 3 zombies] " + command), "\(once)")
    }

    /// The same recorded tree gives the same task counts on the screen and in --once, in the same
    /// words, and --once's summary fits 80 columns with the zombie count whole.
    @Test func theScreenAndOnceCountTasksAlike() throws {
        let fixture = packageRoot.appendingPathComponent("Fixtures/proc/zombies").path
        let s = try ScreenSession(arguments: "--proc-root \(fixture)", width: 80, height: 24)
        let screen = try s.waitFor("the header") { $0.lines.contains { $0.contains("Tasks: ") } }
        #expect(screen.lines.contains { $0.hasSuffix(" Tasks: 13, 13 thr, 58 kthr; 1 running") }, "\(screen)")
        #expect(screen.lines.contains { $0.hasSuffix(" Zombie: 2  Stopped: 1  Disk sleep: 0") }, "\(screen)")
        let once = try run(swtopBinary, ["--once", "--proc-root", fixture]).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(Array(once[1...2]) == ["Tasks: 13, 13 thr, 58 kthr; 1 running", "Zombie: 2  Stopped: 1  Disk sleep: 0"])
        #expect(once.prefix(5).allSatisfy { $0.count <= 80 }, "\(once.prefix(5))")
    }

    /// A process that wrote NULs over its environment's area, as setproctitle does (nginx,
    /// postgres): the page lists the entries that are there (none) and says why, instead of a
    /// count of empty lines.
    @Test func aProcessThatWroteOverItsEnvironmentSaysSo() throws {
        let children = Children()
        // Writes NULs from env_start to env_end (stat fields 50 and 51) through /proc/self/mem.
        let script = """
            import time
            raw = open('/proc/self/stat', 'rb').read()
            fields = raw[raw.rindex(b')') + 2:].split()
            start, end = int(fields[47]), int(fields[48])
            with open('/proc/self/mem', 'r+b', buffering=0) as mem:
                mem.seek(start)
                mem.write(bytes(end - start))
            time.sleep(600)
            """
        let pid = try children.start("/usr/bin/python3", ["-c", script])
        var size = 0
        #expect(waitUntilTrue {
            guard let bytes = FileManager.default.contents(atPath: "/proc/\(pid)/environ"), !bytes.isEmpty, bytes.allSatisfy({ $0 == 0 }) else { return false }
            size = bytes.count
            return true
        })
        let s = try ScreenSession(arguments: "-d 5 -p \(pid)", width: 200, height: 60)
        try s.waitFor("the process") { $0.row(pid: pid) != nil }
        try s.send("Enter")
        try s.waitFor("the detail page") { $0.lines.first?.hasPrefix("Process \(pid) (python3)") == true }
        try s.send("e")
        let screen = try s.waitFor("the environment") { $0.lines.contains("Environment (0)") }
        let at = try #require(screen.lines.firstIndex(of: "Environment (0)"))
        #expect(screen.lines[at + 1] == "  the area no longer holds KEY=VALUE pairs: the process wrote over it (as setproctitle does); \(size) empty entries not shown")
    }

    /// Real nginx: its master sets its title over its command line's and environment's areas,
    /// the rest NULs (1,500 of them here).
    @Test(.enabled(if: geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx"), "needs root and nginx"))
    func nginxsEnvironmentIsShownAsItIs() throws {
        let dir = try makeScratchDirectory()
        defer { removeScratchDirectory(dir) }
        // No listener: a master and one worker, nothing else.
        try "worker_processes 1; pid \(dir)/nginx.pid; error_log \(dir)/error.log; events {}\n".write(toFile: dir + "/nginx.conf", atomically: true, encoding: .utf8)
        let children = Children()
        let master = try children.start("/usr/sbin/nginx", ["-p", dir, "-c", dir + "/nginx.conf", "-g", "daemon off;"])
        #expect(children.waitForChildren(of: master, count: 1).count == 1)
        #expect(waitUntilTrue { (try? String(contentsOfFile: "/proc/\(master)/cmdline", encoding: .utf8))?.hasPrefix("nginx: master process") == true })
        let s = try ScreenSession(arguments: "-d 5 -p \(master)", width: 200, height: 60)
        try s.waitFor("nginx") { $0.row(pid: master) != nil }
        try s.send("Enter")
        try s.waitFor("the detail page") { $0.lines.first?.hasPrefix("Process \(master) (nginx)") == true }
        try s.send("e")
        // What is left of the title's end past the command line's area (as much as the area
        // holds), then NULs.
        let screen = try s.waitFor("the environment") { $0.lines.contains { $0.hasPrefix("Environment (") } }
        let at = try #require(screen.lines.firstIndex { Self.matches($0, #"Environment \([01]\)"#) }, "\(screen)")
        #expect(Self.matches(screen.lines[at + 1], #"  the area no longer holds KEY=VALUE pairs: the process wrote over it \(as setproctitle does\); [0-9]{3,} empty entries not shown"#), "\(screen)")
    }
}
