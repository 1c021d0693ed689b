import Foundation
import Testing
import TestSupport

/// `swtop events`: real processes ending every way, watched as root (the proc connector) and as
/// an unprivileged user (pidfds), each outcome checked field by field.
@Suite(.serialized) struct EventsTests {
    /// The fields every exit event has, exactly (the README's contract).
    static let exitFields: Set<String> = [
        "schema", "time", "event", "pid", "name", "cmdline", "ppid", "uid", "user", "outcome", "exit_code", "signal",
        "start_time", "lifetime_s", "source", "parent_name", "stopped_by_swtop", "sent_by", "stop", "cgroup", "unit", "container",
    ]

    /// The kernel gives exit statuses through pidfds from 6.15.
    static let kernelHasPidfdInfo: Bool = {
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let parts = release.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        return parts.count >= 2 && (parts[0], parts[1]) >= (6, 15)
    }()

    static let nobody = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

    /// The exit event of the process with this pid.
    func exit(of pid: Int32, in stream: EventStream, after: Int) throws -> [String: Any] {
        try #require(stream.wait(after: after) { $0["event"] as? String == "exit" && $0["pid"] as? Int == Int(pid) }, "no exit event for \(pid):\n\(stream.text)")
    }

    @Test(.enabled(if: isRoot, "the proc connector needs root"))
    func everyWayToEndAsRoot() throws {
        let stream = try EventStream(["--for", "60"])
        defer { stream.stop() }
        let first = try #require(stream.first)
        #expect(first["event"] as? String == "start")
        #expect((first["sources"] as? [String])?.first == "proc connector")

        let dir = Paths.temporaryDirectory("core")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Each lives 0.2 s, so its command line can be read as it starts (a process of a few
        // milliseconds is reported too, see below, but may be gone before it can be read).
        let cases: [(script: String, outcome: String, code: Int?, signal: String?)] = [
            ("sleep 0.2; exit 0", "exited", 0, nil),
            ("sleep 0.2; exit 3", "exited", 3, nil),
            ("sleep 0.2; kill -TERM $$", "killed", nil, "SIGTERM"),
            ("sleep 0.2; kill -KILL $$", "killed", nil, "SIGKILL"),
            ("ulimit -c unlimited; sleep 0.2; kill -SEGV $$", "core_dumped", nil, "SIGSEGV"),
        ]
        for c in cases {
            let mark = marker("way")
            let before = stream.count
            let child = try shell(c.script, marker: mark, directory: dir)
            let e = try exit(of: child.processIdentifier, in: stream, after: before)
            #expect(Set(e.keys) == Self.exitFields)
            // Its cgroup was read (the test's own here): at its exec, or by a snapshot without root.
            #expect(e["cgroup"] is String, "\(e)")
            #expect(e["schema"] as? String == "swtop-event/1")
            #expect(e["outcome"] as? String == c.outcome, "\(c.script)")
            #expect(e["exit_code"] as? Int == c.code, "\(c.script)")
            #expect(e["exit_code"] is NSNull == (c.code == nil))
            #expect(e["signal"] as? String == c.signal, "\(c.script)")
            #expect(e["source"] as? String == "proc_connector")
            #expect(e["name"] as? String == "sh")
            #expect(e["cmdline"] as? [String] == ["/bin/sh", "-c", c.script, mark])
            #expect(e["ppid"] as? Int == Int(getpid()))
            #expect(e["uid"] as? Int == 0)
            #expect(e["user"] as? String == "root")
            #expect(e["parent_name"] is String)
            let lifetime = try #require(e["lifetime_s"] as? Double)
            #expect(lifetime >= 0 && lifetime < 10)
            let time = try #require(e["time"] as? String)
            #expect(time.count == 24 && time.hasSuffix("Z"))
            #expect((e["start_time"] as? String)?.count == 24)
        }
        #expect(FileManager.default.fileExists(atPath: dir + "/core") || ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).contains { $0.hasPrefix("core") })
    }

    @Test(.enabled(if: isRoot, "the proc connector needs root"))
    func processesOfFiveMillisecondsAreAllReported() throws {
        let stream = try EventStream(["--for", "60"])
        defer { stream.stop() }
        var expected: [Int32: Int] = [:]
        let before = stream.count
        for i in 0..<50 {
            // `sleep 0.005` runs in a child; the shell exits with a known code right after.
            let child = try shell("sleep 0.005; exit \(i + 10)", marker: marker("short"))
            expected[child.processIdentifier] = i + 10
        }
        for (pid, code) in expected {
            let e = try exit(of: pid, in: stream, after: before)
            #expect(e["exit_code"] as? Int == code)
            #expect(e["outcome"] as? String == "exited")
            // A process of a few milliseconds may be gone before its name can be read (on a busy
            // machine, often): the name is then empty, never another's. (The kernel sends no
            // name with an exec: its comm event comes only from prctl.)
            #expect(["sh", ""].contains(e["name"] as? String ?? "-"), "\(e)")
        }
    }

    @Test func zombieWhoseParentNeverWaits() throws {
        let stream = try EventStream(["--for", "60", "--zombie-after", "1", "--refresh", "0.2"])
        defer { stream.stop() }
        let mark = marker("zombie")
        let parent = Process()
        parent.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        parent.arguments = ["python3", "-c", "import os, time\nif os.fork() == 0: os._exit(7)\ntime.sleep(120)", mark]
        parent.standardOutput = FileHandle.nullDevice
        parent.standardError = FileHandle.nullDevice
        try parent.run()
        defer {
            kill(parent.processIdentifier, SIGKILL)
            parent.waitUntilExit()
        }
        let z = try #require(stream.wait { $0["event"] as? String == "zombie" && $0["ppid"] as? Int == Int(parent.processIdentifier) }, "\(stream.text)")
        // As root, the fork was reported and the child's command line read then.
        if isRoot { #expect((z["cmdline"] as? [String])?.last == mark) }
        #expect(z["ppid"] as? Int == Int(parent.processIdentifier))
        #expect(z["parent_name"] as? String == "python3")
        #expect(z["outcome"] as? String == "exited")
        #expect(z["exit_code"] as? Int == 7)
        #expect(z["signal"] is NSNull)
        let unreaped = try #require(z["unreaped_s"] as? Double)
        #expect(unreaped >= 1 && unreaped < 10)
        // The zombie also ended: its exit says how (the same wait status).
        let e = try #require(stream.wait { $0["event"] as? String == "exit" && $0["pid"] as? Int == z["pid"] as? Int })
        #expect(e["exit_code"] as? Int == 7)
    }

    /// A zombie that was there before `swtop events` started: reported once it has been watched
    /// for --zombie-after (not at the next full read of /proc, 30 s later as root), its age a
    /// lower bound, and its old death never told as a new exit.
    @Test(arguments: [false, true])
    func zombieFromBeforeSwtopStarted(asNobody: Bool) throws {
        if asNobody, !isRoot { return }  // setpriv needs root
        let parent = Process()
        parent.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        parent.arguments = ["-c", "import os, time\nif os.fork() == 0: os._exit(7)\ntime.sleep(120)", marker("old-zombie")]
        parent.standardOutput = FileHandle.nullDevice
        parent.standardError = FileHandle.nullDevice
        try parent.run()
        defer {
            kill(parent.processIdentifier, SIGKILL)
            parent.waitUntilExit()
        }
        // Its child, once it is a zombie (/proc/PID/task/PID/children, then the child's state).
        var zombie: Int32 = 0
        let pid = parent.processIdentifier
        #expect(waitUntil(10) {
            let children = String(decoding: fileBytes("/proc/\(pid)/task/\(pid)/children") ?? [], as: UTF8.self)
            zombie = children.split(separator: " ").compactMap { Int32($0) }.first ?? 0
            let stat = String(decoding: fileBytes("/proc/\(zombie)/stat") ?? [], as: UTF8.self)
            return zombie > 0 && stat.split(separator: ")").last?.hasPrefix(" Z ") == true
        })
        let stream = try EventStream(["--for", "30", "--zombie-after", "1", "--refresh", "0.5"], prefix: asNobody ? Self.nobody : [])
        defer { stream.stop() }
        let started = Date()
        let z = try #require(stream.wait(10) { $0["event"] as? String == "zombie" && $0["pid"] as? Int == Int(zombie) }, "\(stream.text)")
        let took = Date().timeIntervalSince(started)
        #expect(took < 2.5, "reported after \(took) s")
        #expect(z["unreaped_at_least"] as? Bool == true)
        let unreaped = try #require(z["unreaped_s"] as? Double)
        #expect(unreaped >= 1 && unreaped < 2.5)
        #expect(z["ppid"] as? Int == Int(parent.processIdentifier))
        // Its wait status is readable to root (and its own user) only.
        #expect(z["exit_code"] as? Int == (asNobody ? nil : 7))
        // No exit: its death is older than swtop's watch.
        _ = stream.wait(1.5) { _ in false }
        #expect(!stream.all.contains { $0["event"] as? String == "exit" && $0["pid"] as? Int == Int(zombie) }, "\(stream.text)")
    }

    @Test func orphanWhoseParentExitsFirst() throws {
        let stream = try EventStream(["--for", "60", "--refresh", "0.2"])
        defer { stream.stop() }
        let mark = marker("orphan")
        let parent = Process()
        parent.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // The child outlives its parent, which exits once the child is running.
        parent.arguments = ["python3", "-c", "import os, time\nif os.fork() == 0:\n    os.closerange(0, 1024)\n    time.sleep(120)\nelse: time.sleep(0.6)", mark]
        parent.standardOutput = FileHandle.nullDevice
        parent.standardError = FileHandle.nullDevice
        try parent.run()
        parent.waitUntilExit()
        let o = try #require(stream.wait { $0["event"] as? String == "orphan" && ($0["cmdline"] as? [String])?.last == mark }, "\(stream.text)")
        let orphan = Int32(try #require(o["pid"] as? Int))
        defer { kill(orphan, SIGKILL) }
        #expect(o["former_ppid"] as? Int == Int(parent.processIdentifier))
        #expect(o["former_parent_name"] as? String == "python3")
        let stat = String(decoding: fileBytes("/proc/\(orphan)/stat") ?? [], as: UTF8.self)
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        let newParent = fields.count > 1 ? Int(fields[1]) : nil
        #expect(o["ppid"] as? Int == newParent)
        #expect(o["ppid"] as? Int != Int(parent.processIdentifier))
    }

    @Test func stopThatNeededKillIsReportedAsKilled() throws {
        let stream = try EventStream(["--for", "60", "--refresh", "0.2"])
        defer { stream.stop() }
        let children = Children()
        defer { children.stopAll() }
        let before = stream.count
        let child = try children.testee(["ignore-term"])
        // Seen alive at a refresh before it is stopped (without root, that opens its pidfd).
        _ = stream.wait(0.5) { _ in false }
        let r = try run(Paths.swtop, ["stop", "--grace", "0.3", "\(child.processIdentifier)"])
        #expect(r.status == 3)
        let e = try exit(of: child.processIdentifier, in: stream, after: before)
        #expect(e["outcome"] as? String == "killed")
        #expect(e["signal"] as? String == "SIGKILL")
        #expect(e["name"] as? String == "swtop-testee")
    }

    @Test(.enabled(if: isRoot, "runs swtop as nobody (setpriv needs root)"), .enabled(if: EventsTests.kernelHasPidfdInfo, "exit status through pidfds needs Linux 6.15"))
    func everyWayToEndWithoutRoot() throws {
        let stream = try EventStream(["--for", "60", "--refresh", "0.1"], prefix: Self.nobody)
        defer { stream.stop() }
        let first = try #require(stream.first)
        #expect((first["sources"] as? [String])?.contains("pidfds") == true)
        #expect((first["notes"] as? [String])?.first?.hasPrefix("not root: exits of processes shorter than a refresh are not seen") == true)

        let dir = Paths.temporaryDirectory("core-nobody")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Each lives through a few refreshes first, so swtop holds its pidfd.
        let cases: [(script: String, outcome: String, code: Int?, signal: String?)] = [
            ("sleep 0.6; exit 0", "exited", 0, nil),
            ("sleep 0.6; exit 3", "exited", 3, nil),
            ("sleep 0.6; kill -TERM $$", "killed", nil, "SIGTERM"),
            ("sleep 0.6; kill -KILL $$", "killed", nil, "SIGKILL"),
            ("ulimit -c unlimited; sleep 0.6; kill -SEGV $$", "core_dumped", nil, "SIGSEGV"),
        ]
        for c in cases {
            let mark = marker("nobody")
            let before = stream.count
            let child = try shell(c.script, marker: mark, directory: dir)
            let e = try exit(of: child.processIdentifier, in: stream, after: before)
            #expect(Set(e.keys) == Self.exitFields)
            // Its cgroup was read (the test's own here): at its exec, or by a snapshot without root.
            #expect(e["cgroup"] is String, "\(e)")
            #expect(e["outcome"] as? String == c.outcome, "\(c.script)")
            #expect(e["exit_code"] as? Int == c.code, "\(c.script)")
            #expect(e["signal"] as? String == c.signal, "\(c.script)")
            #expect(e["source"] as? String == "pidfd", "\(c.script)")
            #expect(e["cmdline"] as? [String] == ["/bin/sh", "-c", c.script, mark])
            #expect(e["user"] as? String == "root")
        }
    }

    /// A memory cgroup (v1 here) with a 64 MiB limit: a 200 MiB allocation in it is OOM-killed.
    static let memoryCgroupRoot = "/sys/fs/cgroup/memory"
    static let canMakeMemoryCgroup = isRoot && FileManager.default.fileExists(atPath: memoryCgroupRoot + "/memory.limit_in_bytes")

    func oomKill(watchedBy prefix: [String], expectSource source: String) throws {
        let stream = try EventStream(["--for", "60", "--refresh", "0.1"], prefix: prefix)
        defer { stream.stop() }
        let cgroup = Self.memoryCgroupRoot + "/swtop-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: cgroup, withIntermediateDirectories: false)
        defer { _ = waitUntil(5) { rmdir(cgroup) == 0 } }
        try Data("67108864".utf8).write(to: URL(fileURLWithPath: cgroup + "/memory.limit_in_bytes"))
        if FileManager.default.fileExists(atPath: cgroup + "/memory.memsw.limit_in_bytes") {
            try? Data("67108864".utf8).write(to: URL(fileURLWithPath: cgroup + "/memory.memsw.limit_in_bytes"))
        }
        let mark = marker("oom")
        let before = stream.count
        // Moves itself into the cgroup, lives through a refresh, then allocates 200 MiB.
        let child = try shell(
            "echo $$ > \(cgroup)/cgroup.procs; exec python3 -c 'import time; time.sleep(0.6); b = bytearray(200 << 20); b[::4096] = b\"x\" * (len(b) // 4096)' \(mark)",
            marker: "oom-parent")
        #expect(child.terminationStatus == SIGKILL)
        let e = try exit(of: child.processIdentifier, in: stream, after: before)
        #expect(e["outcome"] as? String == "oom_killed", "\(stream.text)")
        #expect(e["signal"] as? String == "SIGKILL")
        #expect(e["exit_code"] is NSNull)
        #expect(e["source"] as? String == source)
        #expect(e["name"] as? String == "python3")
    }

    @Test(.enabled(if: EventsTests.canMakeMemoryCgroup, "needs root and a v1 memory cgroup to OOM-kill in"))
    func oomKillAsRoot() throws {
        try oomKill(watchedBy: [], expectSource: "proc_connector")
    }

    @Test(.enabled(if: EventsTests.canMakeMemoryCgroup, "needs root and a v1 memory cgroup to OOM-kill in"),
          .enabled(if: EventsTests.kernelHasPidfdInfo, "exit status through pidfds needs Linux 6.15"))
    func oomKillWithoutRoot() throws {
        try oomKill(watchedBy: Self.nobody, expectSource: "pidfd")
    }

    @Test(.enabled(if: isRoot, "unshare --pid needs root"), .enabled(if: EventsTests.kernelHasPidfdInfo, "exit status through pidfds needs Linux 6.15"))
    func fallsBackToPidfdsWhereTheProcConnectorIsIgnored() throws {
        // In a new PID namespace the kernel ignores the proc connector's subscription silently.
        let mark = marker("ns")
        let script = "\(Paths.swtop) events --json --refresh 0.1 --for 4 & sleep 1.5; sh -c 'sleep 0.6; exit 4' \(mark); wait"
        let r = try run("/usr/bin/unshare", ["--pid", "--fork", "--mount-proc", "/bin/sh", "-c", script], timeout: 30)
        let lines = r.stdoutText.split(separator: "\n").compactMap { try? jsonObject(Data($0.utf8)) }
        let first = try #require(lines.first)
        #expect((first["notes"] as? [String])?.first?.hasPrefix("in a container (not the initial PID or user namespace)") == true)
        #expect((first["sources"] as? [String])?.contains("pidfds") == true)
        let e = try #require(lines.first { $0["event"] as? String == "exit" && ($0["cmdline"] as? [String])?.last == mark }, "\(r.stdoutText)")
        #expect(e["exit_code"] as? Int == 4)
        #expect(e["source"] as? String == "pidfd")
    }

    /// What `swtop events --for 3 -F MARK` prints in words, `body` run once it watches.
    func linesInWords(filteredBy mark: String, _ more: [String] = [], _ body: () throws -> Void) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Paths.swtop)
        p.arguments = ["events", "--for", "3", "--refresh", "0.1", "-F", mark] + more
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        // The first line is printed once it watches.
        var text = ""
        while !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        try body()
        text += String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        return text
    }

    @Test func linesInWords() throws {
        let mark = marker("words")
        var child: Process?
        let text = try linesInWords(filteredBy: mark) { child = try shell("sleep 0.5; exit 3", marker: mark) }
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("swtop events: watching with ") == true)
        // The filter leaves only the marked child.
        #expect(lines.count == 2, "\(text)")
        let line = try #require(lines.last)
        let pattern = try Regex("^[0-9]{2}:[0-9]{2}:[0-9]{2} \(child?.processIdentifier ?? 0) sh: exited 3 after [0-9.]+ (ms|s)$")
        #expect(line.wholeMatch(of: pattern) != nil, "\(line)")
    }

    /// What needs attention first: a clean exit is left out of the lines (the start line says
    /// so and how to see it) until --all.
    @Test(arguments: [false, true])
    func cleanExitsAreLeftOutUnlessAll(all: Bool) throws {
        let mark = marker("clean")
        var clean: Process?
        var failing: Process?
        let text = try linesInWords(filteredBy: mark, all ? ["--all"] : []) {
            clean = try shell("sleep 0.3; exit 0", marker: mark)
            failing = try shell("sleep 0.3; exit 3", marker: mark)
        }
        let lines = text.split(separator: "\n").map(String.init)
        let first = try #require(lines.first)
        #expect(first.hasPrefix("swtop events: watching with "))
        #expect(first.hasSuffix("; clean exits (exit 0) hidden: --all shows them") == !all, "\(first)")
        let clock = "^[0-9]{2}:[0-9]{2}:[0-9]{2} "
        let exited3 = try Regex(clock + "\(failing?.processIdentifier ?? 0) sh: exited 3 after [0-9.]+ (ms|s)$")
        let exited0 = try Regex(clock + "\(clean?.processIdentifier ?? 0) sh: exited 0 after [0-9.]+ (ms|s)$")
        #expect(lines.count == (all ? 3 : 2), "\(text)")
        if all {
            #expect(lines.dropFirst().first?.wholeMatch(of: exited0) != nil, "\(text)")
        }
        #expect(lines.last?.wholeMatch(of: exited3) != nil, "\(text)")
    }

    /// --json keeps every event: the clean exit is there without --all.
    @Test func jsonKeepsCleanExits() throws {
        let mark = marker("json-clean")
        let stream = try EventStream(["--for", "60", "--refresh", "0.2", "-F", mark])
        defer { stream.stop() }
        let clean = try shell("sleep 0.3; exit 0", marker: mark)
        let e = try exit(of: clean.processIdentifier, in: stream, after: 1)
        #expect(e["outcome"] as? String == "exited")
        #expect(e["exit_code"] as? Int == 0)
    }

    /// A name with a right-to-left override ("x\u{202E}gpj.exe" reads "xexe.jpg" raw) is
    /// escaped in the line, as control characters are.
    @Test func bidiOverrideInANameIsEscaped() throws {
        let mark = marker("bidi")
        let dir = Paths.temporaryDirectory("bidi")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The kernel names a process after the file it runs: a link named so names it so.
        let link = dir + "/x\u{202E}gpj.exe"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/bin/sh")
        let child = Process()
        child.executableURL = URL(fileURLWithPath: link)
        child.arguments = ["-c", "sleep 0.5; exit 3", mark]
        child.standardInput = FileHandle.nullDevice
        let text = try linesInWords(filteredBy: mark) {
            try child.run()
            child.waitUntilExit()
        }
        // No raw U+202E anywhere in the output.
        #expect(!text.unicodeScalars.contains("\u{202E}"))
        let line = try #require(text.split(separator: "\n").last.map(String.init))
        let pattern = try Regex("^[0-9]{2}:[0-9]{2}:[0-9]{2} \(child.processIdentifier) x\\\\u\\{202e\\}gpj\\.exe: exited 3 after [0-9.]+ (ms|s)$")
        #expect(line.wholeMatch(of: pattern) != nil, "\(line)")
    }

    @Test func badOptionsSayWhatIsWrong() throws {
        let r = try run(Paths.swtop, ["events", "--for", "0"])
        #expect(r.status == 64)
        #expect(r.stderr == "swtop: invalid --for '0': expected seconds, more than 0\n")
        let negative = try run(Paths.swtop, ["events", "--for", "-1"])
        #expect(negative.status == 64)
        #expect(negative.stderr == "swtop: invalid --for '-1': must not be negative\n")
        let z = try run(Paths.swtop, ["events", "--zombie-after", "nan"])
        #expect(z.status == 64)
        let root = try run(Paths.swtop, ["events", "--proc-root", Paths.fixture("host")])
        #expect(root.status == 64)
        #expect(root.stderr == "swtop: Unknown option '--proc-root'\n")
    }
}
