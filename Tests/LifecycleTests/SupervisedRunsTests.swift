import Foundation
import Lifecycle
import ProcFS
import Testing
import TestSupport

/// swtop run's state files as the monitor reads them: untrusted bytes, in directories that may
/// not be trusted, on real files.
@Suite(.serialized) struct SupervisedRunsTests {
    static func stateText(pid: Int32, attempt: Int = 3, child: String = "4243") -> String {
        #"{"schema":"swtop-run-state/1","pid":\#(pid),"child_pid":\#(child),"phase":"running","attempt":\#(attempt),"restarts":2,"restart":"always","backoff_s":4.000,"restart_at":null,"ready":true,"unhealthy":false,"health":"http://127.0.0.1:8080/health","health_detail":"HTTP 200","cmdline":["app"]}"# + "\n"
    }

    /// A fresh directory with these permission bits.
    static func directory(_ label: String, mode: mode_t) -> String {
        let dir = Paths.temporaryDirectory("runs-" + label) + "/swtop"
        mkdir(dir, 0o700)
        chmod(dir, mode)
        return dir
    }

    /// Written in place (FileManager's createFile would write another file and rename it).
    static func write(_ text: String, to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        _ = Array(text.utf8).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    @Test func parsesWhatSwtopRunWrites() throws {
        let state = try #require(SupervisorState.parse(ArraySlice(Self.stateText(pid: 812).utf8), pid: 812))
        #expect(state == SupervisorState(
            pid: 812, childPID: 4243, phase: "running", attempt: 3, restarts: 2, restartPolicy: "always", backoff: 4, restartAt: nil, ready: true,
            unhealthy: false, health: "http://127.0.0.1:8080/health", healthDetail: "HTTP 200", command: ["app"]))
        #expect(state.healthWords == "ready")
        let waiting = Self.stateText(pid: 812, child: "null").replacingOccurrences(of: #""restart_at":null"#, with: #""restart_at":"2026-12-07T02:00:04.500Z""#)
        let parsed = try #require(SupervisorState.parse(ArraySlice(waiting.utf8), pid: 812))
        #expect(parsed.childPID == nil)
        #expect(parsed.restartAt == 1_796_608_804.5)
    }

    @Test func badStateFilesAreNotStates() {
        let good = Self.stateText(pid: 812)
        let bad = [
            "", "{", "null", "[]", good.replacingOccurrences(of: "swtop-run-state/1", with: "swtop-run-state/2"),
            // Another pid than the file's name says.
            good.replacingOccurrences(of: #""pid":812"#, with: #""pid":813"#),
            good.replacingOccurrences(of: #""attempt":3"#, with: #""attempt":99999999999999999999999"#),
            good.replacingOccurrences(of: #""attempt":3"#, with: #""attempt":-1"#),
            good.replacingOccurrences(of: #""backoff_s":4.000"#, with: #""backoff_s":1e300"#),
            good.replacingOccurrences(of: #""backoff_s":4.000"#, with: #""backoff_s":"4""#),
            String(good.dropLast(20)), good + "x", "\u{1B}[2J",
        ]
        for text in bad { #expect(SupervisorState.parse(ArraySlice(text.utf8), pid: 812) == nil, "\(text)") }
        // Bytes that are no UTF-8 at all.
        #expect(SupervisorState.parse([0xFF, 0xFE, 0x7B, 0x00], pid: 812) == nil)
    }

    @Test func readsTrustedFilesOnlyAndOnlyWhenTheDirectoryChanged() throws {
        let dir = Self.directory("trusted", mode: 0o755)
        Self.write(Self.stateText(pid: 812, attempt: 1), to: dir + "/run-812.json")
        // Not state files: a name of another form, a link, a FIFO (which must not hang the read),
        // a file over the size cap.
        Self.write(Self.stateText(pid: 813), to: dir + "/other-813.json")
        symlink(dir + "/run-812.json", dir + "/run-814.json")
        #expect(mkfifo(dir + "/run-815.json", 0o644) == 0)
        Self.write(Self.stateText(pid: 816) + String(repeating: " ", count: SupervisedRuns.maxFileSize), to: dir + "/run-816.json")
        let runs = SupervisedRuns(directories: [dir])
        runs.refresh()
        #expect(Set(runs.states.keys) == [812])
        #expect(runs.states[812]?.attempt == 1)

        // Rewritten in place (the directory unchanged) once its mtime is past the clock's tick:
        // not read again.
        var info = stat()
        #expect(stat(dir, &info) == 0)
        let changed = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        _ = waitUntil(2) { Date().timeIntervalSince1970 - changed > 0.2 }
        runs.refresh()
        Self.write(Self.stateText(pid: 812, attempt: 2), to: dir + "/run-812.json")
        runs.refresh()
        #expect(runs.states[812]?.attempt == 1)
        // Replaced as swtop run does it (a rename changes the directory): read again.
        Self.write(Self.stateText(pid: 812, attempt: 3), to: dir + "/.tmp")
        #expect(rename(dir + "/.tmp", dir + "/run-812.json") == 0)
        runs.refresh()
        #expect(runs.states[812]?.attempt == 3)
        // Gone with its directory.
        try FileManager.default.removeItem(atPath: dir)
        runs.refresh()
        #expect(runs.states.isEmpty)
    }

    @Test(.enabled(if: isRoot, "needs root to plant another user's files"))
    func plantedFilesAreIgnored() throws {
        // Another user's file in a directory anyone may write (as $XDG_RUNTIME_DIR/swtop could be).
        let open = Self.directory("world", mode: 0o1777)
        Self.write(Self.stateText(pid: 812), to: open + "/run-812.json")
        #expect(chown(open + "/run-812.json", 65534, 65534) == 0)
        // Even root's own file there: the directory itself is not to be trusted.
        Self.write(Self.stateText(pid: 813), to: open + "/run-813.json")
        // Another user's file in a directory only root may write.
        let closed = Self.directory("closed", mode: 0o755)
        Self.write(Self.stateText(pid: 814), to: closed + "/run-814.json")
        #expect(chown(closed + "/run-814.json", 65534, 65534) == 0)
        // Another user's directory.
        let theirs = Self.directory("theirs", mode: 0o755)
        Self.write(Self.stateText(pid: 815), to: theirs + "/run-815.json")
        #expect(chown(theirs, 65534, 65534) == 0)
        let runs = SupervisedRuns(directories: [open, closed, theirs])
        runs.refresh()
        #expect(runs.states.isEmpty, "\(runs.states)")
    }

    /// A state counts only for a child whose parent is the file's pid running swtop-run: this
    /// test process is neither.
    @Test func aStateSaysNothingOfAProcessThatIsNotSwtopRun() throws {
        let dir = Self.directory("stale", mode: 0o755)
        let me = getpid()
        Self.write(Self.stateText(pid: me, child: "null"), to: dir + "/run-\(me).json")
        let runs = SupervisedRuns(directories: [dir])
        runs.refresh()
        #expect(runs.states[me]?.attempt == 3)
        #expect(runs.supervisor(of: 4243, parent: me) == nil)
        #expect(runs.run(me) == nil)
    }
}
