import Foundation
import Testing

/// The real binary on a real terminal (tmux), against processes the tests start themselves.
/// Serialized: the machine has two cores, and each test runs a refreshing screen.
@Suite(.serialized, .enabled(if: !tmuxMissing, "tmux is not installed: the screen tests need it"))
struct ScreenTests {
    static let functionBar = "F1Help  F2Setup F3SearchF4FilterF5Tree  F6SortByF7Nice -F8Nice +F9Kill  F10Quit"
    static let titles = "    PID USER      PRI  NI   VIRT    RES S  THR  CPU%  MEM%     TIME+ Command"

    @Test func startUpShowsHeaderListAndFunctionBar() throws {
        let children = Children()
        let marker = uniqueMarker()
        let sleeper = try children.start("/bin/sleep", [marker])
        let s = try ScreenSession(arguments: "-p 1,\(sleeper)")
        let screen = try s.waitFor("the sleep row") { $0.rows.contains { $0.hasSuffix(" /bin/sleep " + marker) } }
        #expect(screen.functionBar == Self.functionBar)
        #expect(screen.lines[screen.titleIndex ?? 0] == Self.titles)
        #expect(screen.lines.contains { $0.hasPrefix("Mem[") })
        #expect(screen.lines.contains { $0.hasPrefix("Swp[") })
        #expect(screen.lines.contains { $0.contains("  Tasks: ") })
        #expect(screen.lines.contains { $0.contains("  Load average: ") })
        #expect(screen.lines.contains { $0.contains("  Uptime: ") })
        let row = try #require(screen.row(pid: sleeper))
        // USER is nine cells wide; the sleep is the runner's.
        #expect(row.hasPrefix(padPID(sleeper) + " " + runnerUser().padding(toLength: 9, withPad: " ", startingAt: 0) + " "))
        #expect(row.contains(" S    1 "))
        #expect(screen.statusLine == "Sort: CPU%  PIDs: 1,\(sleeper)  Shown: 2")
    }

    @Test func quitRestoresTheShellScreenAndExitsZero() throws {
        let s = try ScreenSession()
        try s.waitFor("the screen") { $0.functionBar == Self.functionBar }
        try s.send("q")
        let screen = try s.waitFor("the exit status and terminal modes") { $0.lines.contains("swtop-exit=0") && $0.lines.contains { $0.hasSuffix("echo") } }
        #expect(screen.lines.first == "before-swtop")
        #expect(screen.lines.contains("icanon echo"))
        #expect(!screen.text.contains("F10Quit"))
    }

    @Test func f10AlsoQuits() throws {
        let s = try ScreenSession()
        try s.waitFor("the screen") { $0.functionBar == Self.functionBar }
        try s.send("F10")
        try s.waitFor("the exit status") { $0.lines.contains("swtop-exit=0") }
    }

    @Test func sigtermRestoresTheTerminalWithStatus143() throws {
        let s = try ScreenSession()
        try s.waitFor("the screen") { $0.functionBar == Self.functionBar }
        let pid = try #require(try s.swtopPID())
        kill(pid, SIGTERM)
        let screen = try s.waitFor("the exit status and terminal modes") { $0.lines.contains("swtop-exit=143") && $0.lines.contains { $0.hasSuffix("echo") } }
        #expect(screen.lines.first == "before-swtop")
        #expect(screen.lines.contains("icanon echo"))
        #expect(!screen.text.contains("F10Quit"))
    }

    @Test func sigintExitsWith130() throws {
        let s = try ScreenSession()
        try s.waitFor("the screen") { $0.functionBar == Self.functionBar }
        try s.send("C-c")
        let screen = try s.waitFor("the exit status and terminal modes") { $0.lines.contains("swtop-exit=130") && $0.lines.contains { $0.hasSuffix("echo") } }
        #expect(screen.lines.contains("icanon echo"))
    }

    @Test func unusableTerminalFailsWithOneLine() throws {
        let s = try ScreenSession(environment: "TERM=xyz")
        let screen = try s.waitFor("the exit status") { $0.lines.contains("swtop-exit=1") }
        #expect(Array(screen.lines.prefix(3)) == ["before-swtop", "swtop: cannot use terminal 'xyz'", "swtop-exit=1"])
    }

    /// TERM unset: said so, exit status 1 (no table the user did not ask for).
    @Test func unsetTermIsSaidSo() throws {
        let s = try ScreenSession(environment: "env -u TERM")
        let screen = try s.waitFor("the exit status") { $0.lines.contains("swtop-exit=1") }
        #expect(Array(screen.lines.prefix(3)) == ["before-swtop", "swtop: TERM is not set: the screen needs it to know the terminal (or use --once for a table)", "swtop-exit=1"])
    }

    /// TERM=dumb is a terminal ncurses knows, but it cannot place the cursor: a blank screen with
    /// a function bar would be all that shows.
    @Test func aTerminalThatCannotMoveTheCursorFailsWithOneLine() throws {
        let s = try ScreenSession(environment: "TERM=dumb")
        let screen = try s.waitFor("the exit status") { $0.lines.contains("swtop-exit=1") }
        #expect(Array(screen.lines.prefix(3)) == ["before-swtop", "swtop: terminal 'dumb' cannot move the cursor, as the screen needs (use --once for a table)", "swtop-exit=1"])
    }

    @Test func treeViewAndCollapse() throws {
        let children = Children()
        let marker = uniqueMarker()
        let shell = try children.start("/bin/sh", ["-c", "sleep \(marker)1 & sleep \(marker)2 & wait"])
        let kids = children.waitForChildren(of: shell, count: 2)
        try #require(kids.count == 2)
        let s = try ScreenSession(arguments: "-s pid -p \(shell),\(kids[0]),\(kids[1])")
        try s.waitFor("the three processes") { $0.rowPIDs == [shell, kids[0], kids[1]] }
        try s.send("t")
        var screen = try s.waitFor("the tree") { $0.rows.contains { $0.hasSuffix("└─ sleep \(marker)2") } }
        #expect(screen.rows.count == 3)
        #expect(screen.rows[0].hasPrefix(padPID(shell)) && screen.rows[0].hasSuffix(" /bin/sh -c sleep \(marker)1 & sleep \(marker)2 & wait"))
        #expect(screen.rows[1].hasPrefix(padPID(kids[0])) && screen.rows[1].hasSuffix(" ├─ sleep \(marker)1"))
        #expect(screen.rows[2].hasPrefix(padPID(kids[1])) && screen.rows[2].hasSuffix(" └─ sleep \(marker)2"))
        #expect(screen.statusLine == "Sort: PID  Tree  PIDs: \([shell, kids[0], kids[1]].sorted().map(String.init).joined(separator: ","))  Shown: 3")
        try s.send("Home", "-")
        screen = try s.waitFor("the collapsed branch") { $0.rows.count == 1 }
        #expect(screen.rows[0].hasSuffix(" + /bin/sh -c sleep \(marker)1 & sleep \(marker)2 & wait"))
        try s.send("+")
        screen = try s.waitFor("the expanded branch") { $0.rows.count == 3 }
        #expect(screen.rows[2].hasSuffix(" └─ sleep \(marker)2"))
        try s.send("t")
        screen = try s.waitFor("the flat list") { $0.rows.count == 3 && $0.rows[2].hasSuffix(" sleep \(marker)2") && !$0.rows[2].contains("└─") }
    }

    @Test func eachSortKey() throws {
        let children = Children()
        // A: big (a 30 MB shell variable), then idle. B: busy. C: idle and small.
        // (The trailing `:` stops the shell from exec'ing sleep, which would drop the memory.)
        let big = try children.start("/bin/sh", ["-c", "x=$(head -c 30000000 /dev/zero | tr '\\0' a); sleep 1000; :"])
        let busy = try children.start("/bin/sh", ["-c", "while :; do :; done"])
        let idle = try children.start("/bin/sleep", [uniqueMarker()])
        let s = try ScreenSession(arguments: "-d 5 -p \(big),\(busy),\(idle)")
        try s.send("N")
        var screen = try s.waitFor("pid order") { $0.rowPIDs == [big, busy, idle].sorted() && $0.statusLine.hasPrefix("Sort: PID ") }
        try s.send("I")
        screen = try s.waitFor("inverted pid order") { $0.rowPIDs == [big, busy, idle].sorted().reversed() }
        #expect(screen.statusLine.hasPrefix("Sort: PID (inverted)  "))
        try s.send("P")
        screen = try s.waitFor("the busy process first by CPU%") { $0.rowPIDs.first == busy && $0.statusLine.hasPrefix("Sort: CPU%  ") }
        try s.send("M")
        screen = try s.waitFor("the big process first by MEM%") { $0.rowPIDs.first == big && $0.statusLine.hasPrefix("Sort: MEM%  ") }
        try s.send("T")
        screen = try s.waitFor("the busy process first by TIME+", timeout: 30) { $0.rowPIDs.first == busy && $0.statusLine.hasPrefix("Sort: TIME+  ") }
        try s.send("N")
        screen = try s.waitFor("pid order again") { $0.rowPIDs == [big, busy, idle].sorted() }
        _ = screen
    }

    @Test func filterShowsOnlyMatchesAndEscClears() throws {
        let children = Children()
        let marker = uniqueMarker()
        let sleeper = try children.start("/bin/sleep", [marker])
        let s = try ScreenSession()
        try s.waitFor("the screen") { $0.functionBar == Self.functionBar }
        try s.send("\\")
        try s.type("SLEEP \(marker)|no-such-process")
        // "SLEEP 7" alone already leaves one row: wait for the whole filter to be typed.
        var screen = try s.waitFor("the filtered list") {
            $0.rows.count == 1 && $0.functionBar == "Enter Done  Esc Clear  Filter: SLEEP \(marker)|no-such-process"
        }
        #expect(screen.rowPIDs == [sleeper])
        #expect(screen.statusLine == "Sort: CPU%  Filter: SLEEP \(marker)|no-such-process  Shown: 1")
        try s.send("Enter")
        screen = try s.waitFor("the list mode") { $0.functionBar == Self.functionBar }
        #expect(screen.rowPIDs == [sleeper])
        try s.send("F4")
        try s.send("Escape")
        screen = try s.waitFor("the whole list") { $0.rows.count > 1 && !$0.statusLine.contains("Filter") }
        #expect(screen.statusLine.hasPrefix("Sort: CPU%  Shown: "))
    }

    @Test func searchSelectsMatchesAndNextMatch() throws {
        let children = Children()
        let marker = uniqueMarker()
        let first = try children.start("/bin/sleep", [marker + "1"])
        let second = try children.start("/bin/sleep", [marker + "2"])
        let s = try ScreenSession(arguments: "-s pid -p 1,\(first),\(second)")
        try s.waitFor("both sleeps") { $0.row(pid: first) != nil && $0.row(pid: second) != nil }
        try s.send("/")
        try s.type(marker)
        var screen = try s.waitFor("the first match selected") { $0.selectedPID == first && $0.functionBar.hasSuffix(marker) }
        #expect(screen.functionBar == "F3Next  Esc Done   Search: \(marker)")
        #expect(screen.selectedRow?.hasSuffix(" /bin/sleep \(marker)1") == true)
        try s.send("F3")
        screen = try s.waitFor("the second match selected") { $0.selectedPID == second }
        try s.send("Enter")
        try s.send("n")
        screen = try s.waitFor("the search to wrap to the first match") { $0.selectedPID == first && $0.functionBar == Self.functionBar }
    }

    @Test func followKeepsTheProcessSelectedAcrossSortAndFilter() throws {
        let children = Children()
        let marker = uniqueMarker()
        let sleeper = try children.start("/bin/sleep", [marker])
        let s = try ScreenSession(arguments: "-s pid -p 1,\(sleeper)")
        try s.waitFor("the sleep") { $0.row(pid: sleeper) != nil }
        try s.send("/")
        try s.type(marker)
        try s.send("Enter")
        try s.waitFor("the sleep selected") { $0.selectedPID == sleeper }
        try s.send("F")
        var screen = try s.waitFor("following") { $0.statusLine.contains("Following \(sleeper)") }
        #expect(screen.statusLine == "Sort: PID  PIDs: 1,\(sleeper)  Following \(sleeper)  Shown: 2")
        try s.send("M")
        screen = try s.waitFor("sorted by memory") { $0.statusLine.hasPrefix("Sort: MEM%") }
        #expect(screen.selectedPID == sleeper)
        try s.send("\\")
        try s.type("no-such-process-\(marker)")
        try s.waitFor("an empty list") { $0.rows == [" No process matches."] }
        try s.send("Escape")
        screen = try s.waitFor("the followed process selected again") { $0.selectedPID == sleeper && $0.rows.count > 1 }
        try s.send("Up")
        screen = try s.waitFor("following to end on a move") { !$0.statusLine.contains("Following") }
    }

    @Test func taggingWithSpaceChildrenAndUntagAll() throws {
        let children = Children()
        let marker = uniqueMarker()
        let shell = try children.start("/bin/sh", ["-c", "sleep \(marker)1 & sleep \(marker)2 & wait"])
        let kids = children.waitForChildren(of: shell, count: 2)
        try #require(kids.count == 2)
        let s = try ScreenSession(arguments: "-s pid -p \(shell),\(kids[0]),\(kids[1])")
        try s.waitFor("the three processes") { $0.rowPIDs == [shell, kids[0], kids[1]] }
        try s.send("Home", "c")
        var screen = try s.waitFor("three tagged") { $0.statusLine.contains("Tagged: 3") }
        try s.send("U")
        screen = try s.waitFor("none tagged") { !$0.statusLine.contains("Tagged") }
        try s.send("End", "Space")
        screen = try s.waitFor("one tagged") { $0.statusLine.contains("Tagged: 1") }
        #expect(screen.statusLine.hasSuffix("Tagged: 1  Shown: 3"))
    }

    @Test func resizeReflowsAtOnce() throws {
        let s = try ScreenSession()
        try s.waitFor("the screen") { $0.functionBar == Self.functionBar }
        try s.resize(width: 80, height: 24)
        var screen = try s.waitFor("the 80x24 screen") { $0.lines.count == 24 && $0.lines.contains(Self.titles) && $0.functionBar == Self.functionBar }
        #expect(screen.functionBar == Self.functionBar)
        // Under the meters and the Tasks, Load and Exits lines.
        #expect(screen.lines[6] == Self.titles)
        try s.resize(width: 60, height: 15)
        let narrowTitles = "    PID USER         RES S  CPU%  MEM%     TIME+ Command"
        screen = try s.waitFor("the 60x15 screen") { $0.lines.count == 15 && $0.lines.contains(narrowTitles) && $0.functionBar == String(Self.functionBar.prefix(60)) }
        #expect(screen.functionBar == String(Self.functionBar.prefix(60)))
        #expect(screen.lines[5] == narrowTitles)
        try s.resize(width: 120, height: 40)
        screen = try s.waitFor("the 120x40 screen") { $0.lines.count == 40 && $0.lines[$0.titleIndex ?? 0] == Self.titles }
    }

    @Test func helpScreenAndBack() throws {
        let s = try ScreenSession()
        try s.waitFor("the screen") { $0.functionBar == Self.functionBar }
        try s.send("F1")
        var screen = try s.waitFor("the help") { $0.lines.first == "swtop help: keys (press any key to return)" && $0.functionBar == "Any key Back" }
        #expect(screen.functionBar == "Any key Back")
        try s.send("x")
        screen = try s.waitFor("the list") { $0.functionBar == Self.functionBar }
    }

    @Test func readOnlyRefusesProcessControlInTheStatusLine() throws {
        let ro = try ScreenSession(arguments: "--readonly")
        let screen = try ro.waitFor("the screen") { $0.functionBar.hasPrefix("F1Help") }
        #expect(screen.functionBar == "F1Help  F2Setup F3SearchF4FilterF5Tree  F6SortByF7      F8      F9      F10Quit")
        try ro.send("F9")
        try ro.waitFor("the read-only message") { $0.statusLine == "Kill: swtop is read-only (--readonly)" }
        try ro.send("F7")
        try ro.waitFor("the read-only message for nice") { $0.statusLine == "Nice -: swtop is read-only (--readonly)" }
        // The limits are shown (as htop's read-only mode shows them), only not changed.
        try ro.send("L")
        let limits = try ro.waitFor("the read-only limits view") { $0.lines.contains { $0.hasPrefix("nofile ") } && $0.functionBar == "Esc Back" }
        #expect(limits.statusLine.hasPrefix("Limits of ") && limits.statusLine.hasSuffix(" (read-only: --readonly)  Esc back"), "\(limits.statusLine)")
        try ro.send("Enter")
        try ro.waitFor("the read-only message for limits") { $0.statusLine == "Limits: swtop is read-only (--readonly)" }
        try ro.send("Escape")
        try ro.waitFor("the list") { $0.functionBar.hasPrefix("F1Help") }
    }

    @Test func signalMenuOffersTheGracefulStopFirstAndEscCancels() throws {
        let children = Children()
        let testee = try children.startTestee(["ignore-term"])
        let s = try ScreenSession(arguments: "-p \(testee)")
        try s.waitFor("the testee") { $0.row(pid: testee) != nil }
        try s.send("F9")
        var screen = try s.waitFor("the signal menu") { $0.functionBar == "Enter Send  Esc Cancel" }
        let title = try #require(screen.lines.first { $0.hasPrefix("Send to ") })
        #expect(title.hasPrefix("Send to \(testee) (swtop-testee)"))
        let items = screen.lines.compactMap { line -> String? in
            guard let bar = line.firstIndex(of: "│") else { return nil }
            let item = line[..<bar].trimmingCharacters(in: .whitespaces)
            return item.isEmpty ? nil : item
        }
        #expect(items == [
            "Graceful stop (TERM, then KILL after 10 s)", "15 SIGTERM", "1 SIGHUP", "9 SIGKILL", "2 SIGINT",
            "3 SIGQUIT", "10 SIGUSR1", "12 SIGUSR2", "19 SIGSTOP", "18 SIGCONT",
        ])
        #expect(screen.highlightedLine?.hasPrefix(" Graceful stop (TERM, then KILL after 10 s)") == true)
        try s.send("Escape")
        screen = try s.waitFor("the list again") { $0.functionBar == Self.functionBar && $0.row(pid: testee) != nil }
        #expect(screen.statusLine == "Sort: CPU%  PIDs: \(testee)  Shown: 1")
        #expect(kill(testee, 0) == 0)
    }

    @Test func gracefulStopCountsDownInTheRowThenKills() throws {
        let children = Children()
        let testee = try children.startTestee(["ignore-term"])
        // The testee is idle: its TIME+ is what the kernel counted by now, a tick more at most
        // by the time the row is read.
        let timeBefore = kernelTimePlus(testee)
        let s = try ScreenSession(arguments: "--stop-grace 3 -p \(testee)")
        try s.waitFor("the testee") { $0.row(pid: testee) != nil }
        try s.send("k")
        try s.waitFor("the signal menu") { $0.lines.contains { $0.hasPrefix(" Graceful stop (TERM, then KILL after 3 s)") } }
        try s.send("Enter")
        // Whole seconds left of the grace, any of them: a slow machine may draw only some.
        let countdowns = (1...3).map { " [TERM \($0)s] " }
        var screen = try s.waitFor("the countdown in the row") { screen in countdowns.contains { screen.row(pid: testee)?.contains($0) == true } }
        let row = try #require(screen.row(pid: testee))
        let countdown = try #require(countdowns.first { row.contains($0) }, "\(row)")
        // TIME+ (what the kernel counted for the testee), the countdown, then the command; the
        // row may cut the command at the pane's width (the build path differs between machines),
        // so it must be a prefix of the full command line.
        let markers = [timeBefore, kernelTimePlus(testee)].compactMap { $0 }.map { " " + $0 + countdown }
        let marker = try #require(markers.first { row.contains($0) }, "\(row): TIME+ not \(markers)")
        let command = row.components(separatedBy: marker).last ?? ""
        #expect(command.count >= 20 && (testeeBinary + " ignore-term").hasPrefix(command), "\(row)")
        #expect(screen.statusLine == "Sent SIGTERM to \(testee) (swtop-testee); SIGKILL after 3 s if still running")
        // How it ended, in the words of the list and the E view (Outcome.described).
        let prefix = "\(testee) (swtop-testee): killed by SIGKILL after "
        screen = try s.waitFor("the outcome", timeout: 30) { $0.statusLine.hasPrefix(prefix) }
        #expect(screen.statusLine.hasSuffix(" s (stopped by swtop: needed SIGKILL)"), "\(screen.statusLine)")
        #expect(reap(testee) == 128 + SIGKILL)
        // The outcome stays until the next message: still there past a plain message's 4 s.
        try s.holds("the outcome", for: 5) { $0.statusLine.hasPrefix(prefix) }
    }

    @Test(.enabled(if: runnerNice() < 19, "needs room to raise a nice value: the runner is at 19"))
    func f8RenicesEveryThread() throws {
        let children = Children()
        let testee = try children.startTestee(["threads", "3"])
        let s = try ScreenSession(arguments: "-p \(testee)")
        try s.waitFor("the testee") { $0.row(pid: testee) != nil }
        try s.send("F8")
        // From the runner's nice (it may be niced), one step up.
        let nice = runnerNice() + 1
        try s.waitFor("the renice message") { $0.statusLine == "\(testee) (swtop-testee): nice \(nice - 1) -> \(nice) on 3 threads" }
        let tids = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(testee)/task")
        #expect(tids.count == 3)
        for tid in tids {
            let stat = try String(contentsOfFile: "/proc/\(testee)/task/\(tid)/stat", encoding: .utf8)
            let afterName = try #require(stat.range(of: ")", options: .backwards)).upperBound
            let fields = stat[afterName...].split(separator: " ")
            // Field 19 (nice), counted from field 3 (state) just after the name.
            #expect(fields[16] == "\(nice)", "thread \(tid)")
        }
        // PRI is 20 + nice for a process that is not real-time.
        try s.waitFor("the NI column") { $0.row(pid: testee)?.contains(" " + rightAligned("\(20 + nice)", 3) + " " + rightAligned("\(nice)", 3) + " ") == true }
    }

    @Test func limitsViewChangesNofile() throws {
        let children = Children()
        let testee = try children.startTestee(["ignore-term"])
        let s = try ScreenSession(arguments: "-p \(testee)")
        try s.waitFor("the testee") { $0.row(pid: testee) != nil }
        try s.send("L")
        var screen = try s.waitFor("the limits view") { $0.lines.contains { $0.hasPrefix("nofile ") } && $0.functionBar == "Enter Change  Esc Back" }
        #expect(screen.lines.contains("RESOURCE    DESCRIPTION                    SOFT         HARD  UNIT"))
        #expect(screen.statusLine == "Limits of \(testee) (swtop-testee): Enter changes the selected one  Esc back")
        for _ in 0..<7 { try s.send("Down") }
        try s.waitFor("nofile selected") { $0.highlightedLine?.hasPrefix("nofile ") == true }
        try s.send("Enter")
        try s.waitFor("the limit prompt") { $0.functionBar.hasPrefix("Enter Set   Esc Cancel   nofile of \(testee) (swtop-testee) (now ") }
        try s.type("100:200")
        try s.send("Enter")
        screen = try s.waitFor("the new limit") {
            $0.statusLine == "\(testee) (swtop-testee): nofile soft 100 hard 200"
                && $0.lines.contains("nofile      Max open files                  100          200  files")
        }
        let limits = try String(contentsOfFile: "/proc/\(testee)/limits", encoding: .utf8)
        let line = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        #expect(line.split(separator: " ") == ["Max", "open", "files", "100", "200", "files"])
        try s.send("Enter")
        try s.type("lots")
        try s.send("Enter")
        try s.waitFor("the error") { $0.statusLine == "\(testee) (swtop-testee): invalid limit 'lots': expected a number or 'unlimited'" }
        try s.send("Escape")
        try s.waitFor("the list") { $0.functionBar == Self.functionBar && $0.row(pid: testee) != nil }
    }

    @Test func replayOfARecordedTree() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swtop-replay-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: dir) }
        try run(swtopBinary, ["record", dir.path])
        let s = try ScreenSession(arguments: "--proc-root \(dir.path) -s pid")
        let screen = try s.waitFor("the replay") { $0.rowPIDs.first == 1 }
        #expect(screen.statusLine.hasPrefix("Replay of \(dir.path): one sample, no CPU%  Sort: PID  Shown: "))
        #expect(screen.rows[0].contains("   -   "))
    }
}
