import Foundation
import Testing

/// The package root, from this file's path: Tests/SwtopScreenTests/TmuxHarness.swift.
let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
/// The swtop built beside the test bundle, so a build with its own scratch path (a sanitized
/// one, `--scratch-path .build-asan`) runs its own binary; .build/debug when none is there.
let swtopBinary: String = {
    let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [dir, dir.deletingLastPathComponent()] {
        let path = candidate.appendingPathComponent("swtop").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return packageRoot.appendingPathComponent(".build/debug/swtop").path
}()
let testeeBinary = URL(fileURLWithPath: swtopBinary).deletingLastPathComponent().appendingPathComponent("swtop-testee").path

func findExecutable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
        let candidate = String(dir) + "/" + name
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

let tmuxPath = findExecutable("tmux")
let tmuxMissing = tmuxPath == nil

/// Starts a program with posix_spawn: default signal handlers and nothing blocked (the test
/// runner blocks most signals in its threads, and a child would inherit that), stdin and
/// stderr on /dev/null, stdout on `stdoutFD` or /dev/null.
func spawn(_ executable: String, _ arguments: [String], stdoutFD: Int32? = nil, closeInChild: Int32? = nil) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    if let stdoutFD {
        posix_spawn_file_actions_adddup2(&actions, stdoutFD, 1)
    } else {
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    }
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    if let closeInChild { posix_spawn_file_actions_addclose(&actions, closeInChild) }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = ProcessInfo.processInfo.environment.map { strdup($0.key + "=" + $0.value) } + [nil]
    defer {
        for p in argv { free(p) }
        for p in envp { free(p) }
    }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard rc == 0 else { throw HarnessError("cannot start \(executable): error \(rc)") }
    return pid
}

/// A pipe whose ends close on exec (Glibc does not show Swift pipe2).
func closeOnExecPipe(_ fds: inout [Int32]) -> Bool {
    guard pipe(&fds) == 0 else { return false }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return true
}

/// Waits for a child and returns its exit status (or 128 + signal).
@discardableResult
func reap(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    if status & 0x7f == 0 { return (status >> 8) & 0xff }
    return 128 + (status & 0x7f)
}

/// Runs a program to completion and returns its stdout. Without `output` nothing is read:
/// a program that leaves a daemon behind (tmux's server) would hold a pipe open forever.
@discardableResult
func run(_ executable: String, _ arguments: [String], output: Bool = true) throws -> String {
    guard output else {
        reap(try spawn(executable, arguments))
        return ""
    }
    var fds: [Int32] = [0, 0]
    // Close-on-exec: a child another test spawns meanwhile (tests run in parallel) must not
    // inherit the write end, or this read would wait for that child to end (seen: a `sleep
    // 600` held a capture's pipe open). The dup2 onto the child's stdout clears the flag there.
    guard closeOnExecPipe(&fds) else { throw HarnessError("pipe failed") }
    let pid: pid_t
    do {
        pid = try spawn(executable, arguments, stdoutFD: fds[1], closeInChild: fds[0])
    } catch {
        close(fds[0])
        close(fds[1])
        throw error
    }
    close(fds[1])
    var data: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = read(fds[0], &buffer, buffer.count)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        data.append(contentsOf: buffer[0..<n])
    }
    close(fds[0])
    reap(pid)
    return String(decoding: data, as: UTF8.self)
}

/// One swtop in its own tmux server (a private socket), so tests never touch the user's tmux.
/// The pane runs a small shell script: a marker line, swtop, its exit status and the terminal
/// modes after it, then waits so the pane can still be read.
final class ScreenSession {
    let socket: String
    let name = "swtop"
    var binary: String { swtopBinary }

    /// XDG_CONFIG_HOME of the swtop under test: a fresh directory unless the test names one, so
    /// no test reads or writes the user's settings file, nor another test's.
    let configHome: String
    private let ownsConfigHome: Bool

    init(arguments: String = "", width: Int = 120, height: Int = 40, environment: String = "", configHome: String? = nil) throws {
        guard let tmuxPath else { throw HarnessError("tmux is not installed") }
        guard FileManager.default.isExecutableFile(atPath: swtopBinary) else {
            throw HarnessError("\(swtopBinary) is missing: run `swift build` first")
        }
        socket = "swtop-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        ownsConfigHome = configHome == nil
        self.configHome = try configHome ?? makeScratchDirectory()
        let script = """
            unset NO_COLOR; export XDG_CONFIG_HOME='\(self.configHome)'; printf 'before-swtop\\n'; \(environment) \(swtopBinary) \(arguments); \
            echo "swtop-exit=$?"; stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; \
            echo; sleep 600
            """
        try run(tmuxPath, ["-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), script], output: false)
    }

    deinit {
        _ = try? run(tmuxPath ?? "/usr/bin/tmux", ["-L", socket, "kill-server"], output: false)
        if ownsConfigHome { removeScratchDirectory(configHome) }
    }

    func tmux(_ arguments: [String]) throws -> String {
        try run(tmuxPath ?? "/usr/bin/tmux", ["-L", socket] + arguments)
    }

    /// tmux key names ("F3", "Escape", "Space") or literal text.
    func send(_ keys: String...) throws { try run(tmuxPath ?? "/usr/bin/tmux", ["-L", socket, "send-keys", "-t", name] + keys, output: false) }
    func type(_ text: String) throws { try run(tmuxPath ?? "/usr/bin/tmux", ["-L", socket, "send-keys", "-t", name, "-l", text], output: false) }
    func resize(width: Int, height: Int) throws {
        try run(tmuxPath ?? "/usr/bin/tmux", ["-L", socket, "resize-window", "-t", name, "-x", String(width), "-y", String(height)], output: false)
    }

    /// The pane's lines, trailing spaces trimmed.
    func capture() throws -> [String] {
        let text = try tmux(["capture-pane", "-p", "-t", name])
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The pane with escape sequences, for the selection bar's colour.
    func captureWithAttributes() throws -> String { try tmux(["capture-pane", "-p", "-e", "-t", name]) }

    /// Polls until `predicate` holds (up to `timeout` seconds: the machine may be slow and busy)
    /// and returns the screen it held on; records the last screen seen when it never does.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 20, _ predicate: (Screen) throws -> Bool) throws -> Screen {
        let deadline = Date().addingTimeInterval(timeout)
        var last = Screen(lines: [], attributed: "")
        var previous: [String]? = nil
        while true {
            last = Screen(lines: try capture(), attributed: try captureWithAttributes())
            // The same screen twice in a row: not a frame caught half drawn.
            if last.lines == previous, try predicate(last) { return last }
            previous = last.lines
            if Date() > deadline {
                Issue.record(Comment(rawValue: "timed out waiting for \(what); screen was:\n" + last.lines.joined(separator: "\n")))
                return last
            }
            usleep(50_000)
        }
    }

    /// Polls for `seconds` and records every settled screen (the same twice in a row: not a frame
    /// caught half drawn) on which `predicate` fails: for what must stay, however slow the machine.
    func holds(_ what: String, for seconds: Double, _ predicate: (Screen) throws -> Bool) throws {
        let end = Date().addingTimeInterval(seconds)
        var previous: [String]? = nil
        while Date() < end {
            let screen = Screen(lines: try capture(), attributed: "")
            if screen.lines == previous, try !predicate(screen) {
                Issue.record(Comment(rawValue: "\(what) did not stay; screen was:\n" + screen.text))
                return
            }
            previous = screen.lines
            usleep(50_000)
        }
    }

    /// The pid of swtop: the child of the pane's shell.
    func swtopPID() throws -> Int32? {
        let panePID = try tmux(["display-message", "-p", "-t", name, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let shell = Int32(panePID) else { return nil }
        return childPIDs(of: shell).first
    }
}

/// A new empty directory under /tmp.
func makeScratchDirectory() throws -> String {
    var template = Array("/tmp/swtop-screen-test-XXXXXX".utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { throw HarnessError("mkdtemp failed") }
    return String(cString: made)
}

/// Removes a scratch directory, made writable first (a test may have made it read-only).
func removeScratchDirectory(_ path: String) {
    guard path.hasPrefix("/tmp/swtop-") else { return }
    _ = try? run("/bin/chmod", ["-R", "u+rwx", path], output: false)
    try? FileManager.default.removeItem(atPath: path)
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// What the pane showed at one moment.
struct Screen: CustomStringConvertible {
    var description: String { text }
    var lines: [String]
    var attributed: String

    var titleIndex: Int? { lines.firstIndex { $0.contains("PID USER") } }
    var statusLine: String { lines.count >= 2 ? lines[lines.count - 2] : "" }
    var functionBar: String { lines.last ?? "" }
    var text: String { lines.joined(separator: "\n") }

    /// The process rows, between the column titles and the status line.
    var rows: [String] {
        guard let t = titleIndex, lines.count >= 2, t + 1 <= lines.count - 2 else { return [] }
        return lines[(t + 1)..<(lines.count - 2)].filter { !$0.isEmpty }
    }

    /// The first column (PID) of each row.
    var rowPIDs: [Int32] { rows.compactMap { Int32($0.split(separator: " ").first ?? "") } }

    func row(pid: Int32) -> String? { rows.first { Int32($0.split(separator: " ").first ?? "") == pid } }

    /// The row drawn with the selection bar (black on cyan, SGR 46), found by following the
    /// escape sequences tmux emits.
    var selectedRow: String? {
        let decoded = SGRLines(attributed)
        guard let t = titleIndex else { return nil }
        for (i, line) in decoded.lines.enumerated() where i > t && i < lines.count - 2 {
            if line.firstBackground == 46, !line.text.isEmpty { return line.text.trimmingTrailingSpaces() }
        }
        return nil
    }

    /// Any line between the top and the status line drawn with the selection bar (a picker's
    /// item, the limits view's row), trailing spaces trimmed.
    var highlightedLine: String? {
        let decoded = SGRLines(attributed)
        for (i, line) in decoded.lines.enumerated() where i < lines.count - 2 {
            if line.firstBackground == 46, !line.text.isEmpty { return line.text.trimmingTrailingSpaces() }
        }
        return nil
    }

    var selectedPID: Int32? { selectedRow.flatMap { Int32($0.split(separator: " ").first ?? "") } }
}

/// Lines of `capture-pane -e` with the background colour in effect at each line's first cell.
struct SGRLines {
    var lines: [(text: String, firstBackground: Int?)] = []

    init(_ s: String) {
        var background: Int?
        var text = ""
        var first: Int?? = nil
        var it = Array(s.unicodeScalars)[...]
        while let c = it.first {
            it = it.dropFirst()
            if c == "\u{1b}", it.first == "[" {
                it = it.dropFirst()
                var params = ""
                while let p = it.first, !(p.value >= 0x40 && p.value <= 0x7E) {
                    params.unicodeScalars.append(p)
                    it = it.dropFirst()
                }
                let final = it.first
                it = it.dropFirst()
                guard final == "m" else { continue }
                let codes = params.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
                var i = 0
                while i < codes.count {
                    let code = codes[i]
                    switch code {
                    case 0, 49: background = nil
                    case 40...47: background = code
                    case 100...107: background = code - 60
                    case 48:
                        if i + 2 < codes.count, codes[i + 1] == 5 { background = 40 + (codes[i + 2] % 8); i += 2 }
                    case 38:
                        if i + 2 < codes.count, codes[i + 1] == 5 { i += 2 }
                    default: break
                    }
                    i += 1
                }
                continue
            }
            if c == "\n" {
                lines.append((text, first ?? nil))
                text = ""
                first = nil
                continue
            }
            if first == nil { first = .some(background) }
            text.unicodeScalars.append(c)
        }
        if !text.isEmpty { lines.append((text, first ?? nil)) }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

/// Waits up to `seconds` for `condition`, checking every 20 ms; whether it held.
func waitUntilTrue(_ seconds: Double = 10, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

/// Child pids from /proc/PID/task/PID/children.
func childPIDs(of pid: Int32) -> [Int32] {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8) else { return [] }
    return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
}

/// Processes the test starts and always ends (by pid).
final class Children {
    private(set) var pids: [pid_t] = []

    @discardableResult
    func start(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let pid = try spawn(executable, arguments)
        pids.append(pid)
        return pid
    }

    /// Starts `swtop-testee MODE ARGS...` (built next to swtop, or a copy at `executable`) and
    /// returns once it has said "ready", so its signal handlers are in place. `environment`
    /// ("NAME=value") is added to its environment by env(1), which execs it: the same pid.
    func startTestee(_ arguments: [String], executable: String = testeeBinary, environment: [String] = []) throws -> Int32 {
        var fds: [Int32] = [0, 0]
        guard closeOnExecPipe(&fds) else { throw HarnessError("pipe failed") }
        defer { close(fds[0]) }
        let pid: pid_t
        do {
            pid = environment.isEmpty
                ? try spawn(executable, arguments, stdoutFD: fds[1], closeInChild: fds[0])
                : try spawn("/usr/bin/env", environment + [executable] + arguments, stdoutFD: fds[1], closeInChild: fds[0])
        } catch {
            close(fds[1])
            throw error
        }
        close(fds[1])
        pids.append(pid)
        var said: [UInt8] = []
        var byte: UInt8 = 0
        while said.count < 6 {
            let n = read(fds[0], &byte, 1)
            if n < 0 && errno == EINTR { continue }
            guard n == 1 else { throw HarnessError("swtop-testee \(arguments) exited before it was ready") }
            said.append(byte)
        }
        guard said == Array("ready\n".utf8) else { throw HarnessError("swtop-testee said \(said)") }
        return pid
    }

    /// Waits until `pid` has `count` children and returns them.
    func waitForChildren(of pid: Int32, count: Int) -> [Int32] {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let kids = childPIDs(of: pid)
            if kids.count >= count { return kids.sorted() }
            usleep(50_000)
        }
        return childPIDs(of: pid).sorted()
    }

    deinit {
        for pid in pids {
            // The shell's own children first, so no sleep is left behind.
            for kid in childPIDs(of: pid) { kill(kid, SIGKILL) }
            kill(pid, SIGKILL)
            reap(pid)
        }
    }
}

/// The nice value children of the calling thread start with: the test runner may itself be
/// niced (`nice -n 10 swift test`), and tmux, swtop and the testees inherit it.
func runnerNice() -> Int32 { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }

/// The name of the user the tests run as: the owner of the processes they start.
func runnerUser() -> String {
    guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return String(geteuid()) }
    return String(cString: name)
}

/// `text` right-aligned in `width` cells, as the numeric columns are.
func rightAligned(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}

/// TIME+ as the screen shows it below an hour ("M:SS.hh"), from the kernel's count of the
/// process's CPU time (utime + stime in /proc/PID/stat).
func kernelTimePlus(_ pid: Int32) -> String? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let afterName = stat.range(of: ")", options: .backwards)?.upperBound
    else { return nil }
    // Fields 14 and 15 (utime, stime), counted from field 3 (state) just after the name.
    let fields = stat[afterName...].split(separator: " ")
    guard fields.count > 12, let utime = Int(fields[11]), let stime = Int(fields[12]) else { return nil }
    let hundredths = (utime + stime) * 100 / sysconf(Int32(_SC_CLK_TCK))
    let seconds = hundredths / 100
    return String(format: "%d:%02d.%02d", seconds / 60, seconds % 60, hundredths % 100)
}

/// A number no other process on the machine has in its command line.
func uniqueMarker() -> String { String(7_000_000 + Int.random(in: 0..<999_999)) }

func padPID(_ pid: Int32) -> String {
    let s = String(pid)
    return String(repeating: " ", count: max(0, 7 - s.count)) + s
}
