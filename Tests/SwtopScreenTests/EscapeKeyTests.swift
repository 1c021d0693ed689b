import Foundation
import Testing

/// Home, End, PgUp and PgDn under tmux whatever $TERM says, and escape sequences swtop does not
/// know dropped whole: under TERM=xterm-256color tmux sends Home as ESC [ 1 ~, which terminfo
/// does not list, and its `[` used to renice the selected process (+1).
@Suite(.serialized, .enabled(if: !tmuxMissing, "tmux is not installed: the screen tests need it"))
struct EscapeKeyTests {
    /// Field 19 of /proc/PID/stat.
    static func nice(_ pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let afterName = stat.range(of: ")", options: .backwards)?.upperBound
        else { return nil }
        let fields = stat[afterName...].split(separator: " ")
        return fields.count > 16 ? String(fields[16]) : nil
    }

    /// Three testees, sorted by pid, in a screen with `term`.
    static func threeRows(term: String) throws -> (Children, ScreenSession, [Int32]) {
        let children = Children()
        let pids = try (0..<3).map { _ in try children.startTestee(["ignore-term"]) }.sorted()
        let s = try ScreenSession(arguments: "-s pid -p \(pids.map(String.init).joined(separator: ","))", environment: "TERM=\(term)")
        try s.waitFor("the three rows") { $0.rowPIDs == pids && $0.selectedPID == pids[0] }
        return (children, s, pids)
    }

    @Test(arguments: ["xterm-256color", "xterm", "tmux-256color", "screen"])
    func homeAndEndMoveTheSelectionAndReniceNothing(term: String) throws {
        let (children, s, pids) = try Self.threeRows(term: term)
        let nices = pids.map(Self.nice)
        try s.send("End")
        try s.waitFor("the last row selected after End") { $0.selectedPID == pids[2] }
        try s.send("Home")
        try s.waitFor("the first row selected after Home") { $0.selectedPID == pids[0] }
        try s.send("PageDown")
        try s.waitFor("the last row selected after PgDn") { $0.selectedPID == pids[2] }
        try s.send("PageUp")
        let screen = try s.waitFor("the first row selected after PgUp") { $0.selectedPID == pids[0] }
        #expect(pids.map(Self.nice) == nices)
        #expect(!screen.statusLine.contains("nice"), "\(screen.statusLine)")
        withExtendedLifetime(children) {}
    }

    /// Every common form of Home and End, as terminals and multiplexers send them.
    @Test func everyCommonFormOfHomeAndEnd() throws {
        let (children, s, pids) = try Self.threeRows(term: "xterm-256color")
        let nices = pids.map(Self.nice)
        // ESC [ F / ESC [ H, ESC [ 4 ~ / ESC [ 1 ~, ESC [ 8 ~ / ESC [ 7 ~, ESC O F / ESC O H,
        // ESC [ 6 ~ / ESC [ 5 ~ (PgDn / PgUp).
        let pairs: [([String], [String])] = [
            (["1b", "5b", "46"], ["1b", "5b", "48"]),
            (["1b", "5b", "34", "7e"], ["1b", "5b", "31", "7e"]),
            (["1b", "5b", "38", "7e"], ["1b", "5b", "37", "7e"]),
            (["1b", "4f", "46"], ["1b", "4f", "48"]),
            (["1b", "5b", "36", "7e"], ["1b", "5b", "35", "7e"]),
        ]
        for (end, home) in pairs {
            _ = try s.tmux(["send-keys", "-t", s.name, "-H"] + end)
            try s.waitFor("the last row after \(end)") { $0.selectedPID == pids[2] }
            _ = try s.tmux(["send-keys", "-t", s.name, "-H"] + home)
            try s.waitFor("the first row after \(home)") { $0.selectedPID == pids[0] }
        }
        #expect(pids.map(Self.nice) == nices)
        withExtendedLifetime(children) {}
    }

    /// Sequences swtop has no use for (Ctrl+Home, F13 in rxvt's form, an unknown private one)
    /// are dropped whole: nothing reniced, the selection where it was, no picker opened.
    @Test func unknownSequencesAreDroppedWhole() throws {
        let (children, s, pids) = try Self.threeRows(term: "xterm-256color")
        let nices = pids.map(Self.nice)
        try s.send("Down")
        try s.waitFor("the second row") { $0.selectedPID == pids[1] }
        for sequence in [["1b", "5b", "31", "3b", "35", "48"], ["1b", "5b", "32", "35", "7e"], ["1b", "5b", "3f", "39", "39", "5b"], ["1b", "5b", "5b", "41"]] {
            _ = try s.tmux(["send-keys", "-t", s.name, "-H"] + sequence)
        }
        // Then a key that shows every earlier one was read: the selection moves down one.
        try s.send("Down")
        let screen = try s.waitFor("the third row") { $0.selectedPID == pids[2] }
        #expect(pids.map(Self.nice) == nices)
        #expect(screen.functionBar == ScreenTests.functionBar)
        #expect(screen.statusLine == "Sort: PID  PIDs: \(pids.map(String.init).joined(separator: ","))  Shown: 3")
        withExtendedLifetime(children) {}
    }

    /// A lone Esc still closes a dialog, as in htop.
    @Test func aLoneEscStillClosesTheSignalMenu() throws {
        let (children, s, pids) = try Self.threeRows(term: "xterm-256color")
        try s.send("F9")
        try s.waitFor("the signal menu") { $0.functionBar == "Enter Send  Esc Cancel" }
        try s.send("Escape")
        try s.waitFor("the list again") { $0.functionBar == ScreenTests.functionBar && $0.rowPIDs == pids }
        for pid in pids { #expect(kill(pid, 0) == 0) }
        withExtendedLifetime(children) {}
    }
}
