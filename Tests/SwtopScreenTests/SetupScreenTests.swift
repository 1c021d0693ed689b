import Foundation
import Testing

/// F2, the settings file and the mouse, on the real binary in tmux. In ScreenTests' serialized
/// suite: one refreshing screen at a time.
extension ScreenTests {
    static let titlesWithoutUser = "    PID PRI  NI   VIRT    RES S  THR  CPU%  MEM%     TIME+ Command"

    static func fileBytes(_ path: String) -> [UInt8]? { FileManager.default.contents(atPath: path).map { Array($0) } }

    @Test func aColumnRemovedInSetupIsStillGoneAfterARestart() throws {
        let home = try makeScratchDirectory()
        defer { removeScratchDirectory(home) }
        let children = Children()
        let sleeper = try children.start("/bin/sleep", [uniqueMarker()])
        do {
            let s = try ScreenSession(arguments: "-p \(sleeper)", configHome: home)
            try s.waitFor("the screen") { $0.lines.contains(Self.titles) }
            try s.send("F2")
            var screen = try s.waitFor("the setup") { $0.lines.first == "Setup: changes apply at once and are saved on quit" }
            #expect(screen.functionBar == "Space Toggle  F7      F8      Tab Panel F10Done")
            #expect(screen.lines[2].hasPrefix(" [ ] Tree view "))
            try s.send("Tab", "Down", "Space")
            screen = try s.waitFor("USER hidden") { $0.lines.contains { $0.contains("[ ] USER       Real user's name") } }
            #expect(screen.functionBar == "Space Toggle  F7MoveUpF8MoveDnTab Panel F10Done")
            try s.send("Escape")
            screen = try s.waitFor("the list without USER") { $0.lines.contains(Self.titlesWithoutUser) }
            #expect(screen.functionBar == Self.functionBar)
            try s.send("q")
            try s.waitFor("the exit status") { $0.lines.contains("swtop-exit=0") }
        }
        let text = String(decoding: Self.fileBytes(home + "/swtop/swtoprc") ?? [], as: UTF8.self)
        #expect(text.contains("\ncolumns=pid,priority,nice,vsz,rss,state,threads,cpu,mem,time,command\n"))
        let again = try ScreenSession(arguments: "-p \(sleeper)", configHome: home)
        let screen = try again.waitFor("the list without USER after a restart") { $0.lines.contains(Self.titlesWithoutUser) && $0.lines.contains { $0.hasPrefix(padPID(sleeper) + " ") } }
        #expect(screen.statusLine == "Sort: CPU%  PIDs: \(sleeper)  Shown: 1")
    }

    @Test func aMalformedLineIsReportedAndTheFileIsLeftByteForByte() throws {
        let home = try makeScratchDirectory()
        defer { removeScratchDirectory(home) }
        try FileManager.default.createDirectory(atPath: home + "/swtop", withIntermediateDirectories: true)
        let path = home + "/swtop/swtoprc"
        // No final newline, a comment and a Windows line end: what a person's editor leaves.
        let original = Array("# mine\r\ncolumns=pid,user,command\ncolour=1\nsort_key=pid".utf8)
        try Data(original).write(to: URL(fileURLWithPath: path))
        let children = Children()
        let sleeper = try children.start("/bin/sleep", [uniqueMarker()])
        let s = try ScreenSession(arguments: "-p 1,\(sleeper)", configHome: home)
        var screen = try s.waitFor("the report") { $0.statusLine.contains("colour") }
        #expect(screen.statusLine == "\(path):3: unknown key 'colour' (ignored; file kept as is)")
        // The rest applies: the columns and the sort by PID.
        #expect(screen.lines.contains("    PID USER      Command"))
        #expect(screen.rowPIDs == [1, sleeper])
        // A change and a quit do not write the file.
        try s.send("t", "F2", "Tab", "Down", "Space", "Escape")
        screen = try s.waitFor("USER hidden") { $0.lines.contains("    PID Command") }
        try s.send("q")
        try s.waitFor("the exit status") { $0.lines.contains("swtop-exit=0") }
        #expect(Self.fileBytes(path) == original)
        #expect(try FileManager.default.contentsOfDirectory(atPath: home + "/swtop") == ["swtoprc"])
    }

    /// The directory of the settings file cannot be written (as root, swtop runs as nobody, for
    /// whom it is read-only): the screen works, and the one line after quitting says why
    /// nothing was saved.
    @Test func aReadOnlyConfigDirectoryDoesNotStopTheScreen() throws {
        let home = try makeScratchDirectory()
        defer { removeScratchDirectory(home) }
        #expect(chmod(home, 0o555) == 0)
        let asNobody = geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups" : ""
        let s = try ScreenSession(environment: asNobody, configHome: home)
        var screen = try s.waitFor("the screen") { $0.lines.contains(Self.titles) && $0.statusLine.hasPrefix("Sort: CPU%") }
        try s.send("F2", "Tab", "Down", "Space", "Escape")
        screen = try s.waitFor("USER hidden") { $0.lines.contains(Self.titlesWithoutUser) }
        try s.send("q")
        screen = try s.waitFor("the exit status") { $0.lines.contains("swtop-exit=0") }
        #expect(screen.lines.contains("swtop: settings not saved: cannot create \(home)/swtop: Permission denied"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: home) == [])
    }

    @Test func noConfigNeitherReadsNorWritesTheFile() throws {
        let home = try makeScratchDirectory()
        defer { removeScratchDirectory(home) }
        try FileManager.default.createDirectory(atPath: home + "/swtop", withIntermediateDirectories: true)
        let path = home + "/swtop/swtoprc"
        let original = Array("columns=pid,command\n".utf8)
        try Data(original).write(to: URL(fileURLWithPath: path))
        let s = try ScreenSession(arguments: "--no-config -s pid", configHome: home)
        try s.waitFor("the default columns") { $0.lines.contains(Self.titles) && $0.statusLine.hasPrefix("Sort: PID") }
        try s.send("t", "q")
        try s.waitFor("the exit status") { $0.lines.contains("swtop-exit=0") }
        #expect(Self.fileBytes(path) == original)
    }

    /// Command-line options apply to one run: quitting saves the file's values for them.
    @Test func commandLineOptionsAreNotSaved() throws {
        let home = try makeScratchDirectory()
        defer { removeScratchDirectory(home) }
        let first = try ScreenSession(arguments: "-s pid -d 7", configHome: home)
        try first.waitFor("the screen") { $0.statusLine.hasPrefix("Sort: PID") }
        try first.send("q")
        try first.waitFor("the exit status") { $0.lines.contains("swtop-exit=0") }
        let text = String(decoding: Self.fileBytes(home + "/swtop/swtoprc") ?? [], as: UTF8.self)
        #expect(text.contains("\nsort_key=cpu\n") && text.contains("\ndelay=15\n"))
    }

    /// A click as tmux passes it on: the pane asked for the mouse (mode 1000), and with tmux's
    /// TERM (whose terminfo kmous is \E[M) ncurses reads the X10 encoding: ESC [ M, then the
    /// button, column and row each plus 32 (1-based), a release being button 3.
    static func x10Click(x: Int, y: Int) -> String {
        func cell(_ n: Int) -> String { String(UnicodeScalar(UInt8(32 + n))) }
        return "\u{1b}[M" + cell(0) + cell(x + 1) + cell(y + 1) + "\u{1b}[M" + cell(3) + cell(x + 1) + cell(y + 1)
    }

    /// With TERM=xterm-256color (kmous \E[<) ncurses asks for SGR mode 1006: ESC [ < b ; x ; y,
    /// M for a press and m for the release, 1-based; the wheel is button 64 (up) and 65 (down).
    static func sgrClick(x: Int, y: Int) -> String { "\u{1b}[<0;\(x + 1);\(y + 1)M\u{1b}[<0;\(x + 1);\(y + 1)m" }

    func mouseSelectsSortsAndPresses(term: String, click: (Int, Int) -> String, wheelUp: String?) throws {
        let children = Children()
        let marker = uniqueMarker()
        let pids = try (1...3).map { _ in try children.start("/bin/sleep", [marker]) }.sorted()
        let s = try ScreenSession(arguments: "-s pid -p \(pids.map(String.init).joined(separator: ","))", environment: term.isEmpty ? "" : "TERM=\(term)")
        var screen = try s.waitFor("three rows by pid") { $0.rowPIDs == pids }
        let title = try #require(screen.titleIndex)
        // What swtop asked the terminal for: clicks (1000), no motion (1002, 1003), SGR (1006) only
        // where its terminfo says the terminal speaks it.
        let modes = try s.tmux(["display-message", "-p", "-t", s.name, "#{mouse_standard_flag} #{mouse_button_flag} #{mouse_all_flag} #{mouse_sgr_flag}"])
        #expect(modes.trimmingCharacters(in: .whitespacesAndNewlines) == (term.isEmpty ? "1 0 0 0" : "1 0 0 1"))
        try s.type(click(3, title + 3))
        screen = try s.waitFor("the third row selected") { $0.selectedPID == pids[2] }
        try s.type(click(4, title))
        screen = try s.waitFor("pid order inverted") { $0.rowPIDs == pids.reversed() }
        #expect(screen.statusLine.hasPrefix("Sort: PID (inverted)  "))
        #expect(screen.selectedPID == pids[2])
        // TIME+ covers columns 59 to 68 of the title line (with the space after it).
        try s.type(click(66, title))
        screen = try s.waitFor("sorted by TIME+") { $0.statusLine.hasPrefix("Sort: TIME+  ") }
        if let wheelUp {
            try s.type(click(3, title + 3))
            try s.waitFor("the last row selected") { $0.selectedPID != nil && $0.selectedPID == $0.rowPIDs.last }
            try s.type(wheelUp)
            try s.waitFor("the first row selected by the wheel") { $0.selectedPID != nil && $0.selectedPID == $0.rowPIDs.first }
        }
        // F5 in the function bar ("F1Help  F2Setup F3SearchF4FilterF5Tree  "): the tree.
        try s.type(click(33, screen.lines.count - 1))
        screen = try s.waitFor("the tree") { $0.statusLine.contains("  Tree  ") }
        try s.type(click(72, screen.lines.count - 1))
        try s.waitFor("F10: the exit status") { $0.lines.contains("swtop-exit=0") }
    }

    @Test func mouseClicksAsTmuxSendsThemForItsOwnTerm() throws {
        try mouseSelectsSortsAndPresses(term: "", click: Self.x10Click, wheelUp: "\u{1b}[M" + "`" + "!!")
    }

    @Test func mouseClicksInSGRModeForXterm() throws {
        try mouseSelectsSortsAndPresses(term: "xterm-256color", click: Self.sgrClick, wheelUp: "\u{1b}[<64;1;1M")
    }
}
