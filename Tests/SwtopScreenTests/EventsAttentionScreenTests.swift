import Foundation
import Testing

/// What the eye meets first in the events view (issue 19, point 6): what needs attention
/// (failures, stops, signals, orphans), with clean exits left out and counted until `a`; and
/// each orphan once.
@Suite(.serialized, .enabled(if: !tmuxMissing, "tmux is not installed: the screen tests need it"))
struct EventsAttentionScreenTests {
    /// A burst of 20 clean exits, one exit 3 and one SIGKILL, all under one unique name (a link
    /// to the program: the kernel names a process after the file it runs), so the list's filter
    /// leaves exactly them.
    @Test func cleanExitsAreHiddenAndCountedUntilA() throws {
        let scratch = try makeScratchDirectory()
        defer { removeScratchDirectory(scratch) }
        let name = "cl" + uniqueMarker()
        let sleep = scratch + "/" + name
        let shell = scratch + "/sh-" + name
        #expect(symlink("/bin/sleep", sleep) == 0)
        // The shell's own name is its link's: "sh-cl7123456" (the filter matches it too).
        #expect(symlink("/bin/sh", shell) == 0)
        let children = Children()
        let s = try ScreenSession(arguments: "-d 5 -F \(name)", width: 200, height: 40)
        try s.waitFor("the screen") { $0.functionBar.hasPrefix("F1Help") }
        try s.send("E")
        try s.waitFor("the events view") { $0.statusLine.hasPrefix("Events: ") }
        // Each lives a second: read alive by the screen, so named in its events.
        var clean: [Int32] = []
        for _ in 0..<20 { clean.append(try children.start(sleep, ["1"])) }
        let failing = try children.start(shell, ["-c", "sleep 1; exit 3"])
        let killed = try children.start(sleep, ["600"])
        for pid in clean { #expect(reap(pid) == 0) }
        #expect(reap(failing) == 3)
        kill(killed, SIGKILL)
        #expect(reap(killed) == 128 + SIGKILL)

        let exitedLine = LifecycleScreenTests.eventPattern(pid: failing, name: "sh-" + name, words: #"exited 3 after [0-9]+\.[0-9] s"#)
        let killedLine = LifecycleScreenTests.eventPattern(pid: killed, name: name, words: #"killed by SIGKILL( from swtopPackageTes \(pid [0-9]+\))? after ([0-9]+ ms|[0-9]+\.[0-9] s)"#)
        // As root the SIGKILL from another process is an event of its own too.
        let attention = geteuid() == 0 ? 3 : 2
        let hiddenStatus = "Events: \(attention) (filtered as the list), newest first · 20 clean exits hidden · a: show all  Esc back"
        var screen = try s.waitFor("the failures, the clean exits counted", timeout: 30) { screen in
            screen.statusLine == hiddenStatus && screen.lines.contains { LifecycleScreenTests.matches($0, exitedLine) }
                && screen.lines.contains { LifecycleScreenTests.matches($0, killedLine) }
        }
        let cleanLine = #"exited 0 after [0-9]+\.[0-9] s"#
        #expect(!screen.lines.contains { $0.range(of: cleanLine, options: .regularExpression) != nil }, "\(screen)")

        try s.send("a")
        screen = try s.waitFor("the clean exits back") { $0.statusLine.hasSuffix("a: hide clean exits  Esc back") }
        #expect(screen.statusLine == "Events: \(attention + 20) (filtered as the list), newest first · a: hide clean exits  Esc back")
        let shown = clean.filter { pid in
            screen.lines.contains { LifecycleScreenTests.matches($0, LifecycleScreenTests.eventPattern(pid: pid, name: name, words: cleanLine)) }
        }
        #expect(shown == clean, "\(screen)")
        #expect(screen.lines.contains { LifecycleScreenTests.matches($0, exitedLine) })

        // And hidden again.
        try s.send("a")
        try s.waitFor("the clean exits hidden again") { $0.statusLine == hiddenStatus }
    }

    /// A parent exits and leaves a child: one orphan event, though both the screen's snapshot
    /// and the look after the parent's exit see the child's new parent (they did: twice, a
    /// refresh apart).
    @Test func eachOrphanIsReportedOnce() throws {
        let scratch = try makeScratchDirectory()
        defer { removeScratchDirectory(scratch) }
        let name = "or" + uniqueMarker()
        let python = scratch + "/" + name
        #expect(symlink("/usr/bin/python3", python) == 0)
        let children = Children()
        // The list, not the events view, while it happens: the child's row is on screen, so
        // every snapshot reads it (its new parent included).
        let s = try ScreenSession(arguments: "-d 5 -F \(name)", width: 200, height: 40)
        try s.waitFor("the screen") { $0.functionBar.hasPrefix("F1Help") }
        // The child outlives its parent, which exits 0 when told to (SIGUSR1), once the child's
        // row is on screen. The runner's blocked signal mask, which children inherit, is cleared.
        let script = "import os, signal, time\nsignal.signal(signal.SIGUSR1, lambda *a: os._exit(0))\n"
            + "signal.pthread_sigmask(signal.SIG_SETMASK, [])\nif os.fork() == 0:\n    os.closerange(0, 1024)\n    time.sleep(120)\n"
            + "else:\n    while True: signal.pause()"
        let parent = try children.start(python, ["-c", script])
        let child = try #require(children.waitForChildren(of: parent, count: 1).first)
        defer { kill(child, SIGKILL) }
        try s.waitFor("the child's row") { $0.row(pid: child) != nil }
        kill(parent, SIGUSR1)
        #expect(reap(parent) == 0)
        try s.send("E")
        let orphanWords = #"orphaned: \#(parent) \#(name) exited, now a child of [0-9]+"#
        func orphanLines(_ screen: Screen) -> [String] {
            screen.lines.filter { $0.range(of: orphanWords, options: .regularExpression) != nil }
        }
        let screen = try s.waitFor("the orphan", timeout: 20) { !orphanLines($0).isEmpty }
        let line = try #require(orphanLines(screen).first)
        #expect(LifecycleScreenTests.matches(line, LifecycleScreenTests.eventPattern(pid: child, name: name, words: orphanWords)), "\(line)")
        // Ten refreshes on, still once (the parent's clean exit is hidden: the orphan alone).
        try s.holds("one orphan line", for: 5) { orphanLines($0).count == 1 && $0.statusLine.hasPrefix("Events: 1 (filtered as the list),") }
    }
}
