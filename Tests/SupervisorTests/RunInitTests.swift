import Foundation
import Testing
import TestSupport

/// swtop run as a container's init, on real children; where tini (and dumb-init) have the
/// feature, the same case runs under them and all must agree.
@Suite(.serialized) struct RunInitTests {
    /// The peers a case runs under: swtop-run always, tini and dumb-init when installed
    /// (dumb-init only where it has the feature: it is no subreaper when it is not PID 1).
    static func inits(_ tiniArguments: [String] = [], dumbInit: Bool = true) -> [(name: String, program: String, arguments: [String])] {
        var list = [("swtop run", RunSupport.swtopRun, [String]())]
        if isInstalled(RunSupport.tini) { list.append(("tini", RunSupport.tini, tiniArguments)) }
        if dumbInit, isInstalled(RunSupport.dumbInit) { list.append(("dumb-init", RunSupport.dumbInit, [])) }
        return list
    }

    @Test func exitCodeIsTheChilds() throws {
        for peer in Self.inits() {
            let r = try run(peer.program, peer.arguments + ["--", "/bin/sh", "-c", "exit 7"])
            #expect(r.status == 7, "\(peer.name)")
        }
    }

    @Test func bothSpellingsRunIt() throws {
        let r = try run(Paths.swtop, ["run", "--grace", "1s", "--", "/bin/sh", "-c", "exit 7"])
        #expect(r.status == 7)
        #expect(r.stderr.contains(" exited 7 after "))
    }

    /// It must start in an image with nothing but glibc: no ncursesw, no libstdc++.
    @Test(.enabled(if: isInstalled("/usr/bin/readelf"), "needs readelf"))
    func needsNoScreenLibraries() throws {
        let r = try run("/usr/bin/readelf", ["-d", RunSupport.swtopRun])
        let needed = r.stdoutText.split(separator: "\n").filter { $0.contains("(NEEDED)") }
        #expect(!needed.isEmpty)
        #expect(!needed.contains { $0.contains("ncurses") || $0.contains("tinfo") })
    }

    @Test func deathBySignalIs128PlusTheSignal() throws {
        for peer in Self.inits() {
            let r = try run(peer.program, peer.arguments + ["--", "/bin/sh", "-c", "kill -SEGV $$"])
            #expect(r.status == 139, "\(peer.name)")
        }
        let dir = RunSupport.directory("segv")
        let events = dir + "/events"
        _ = try run(RunSupport.swtopRun, ["--events", events, "--", "/bin/sh", "-c", "kill -SEGV $$"])
        let exit = try #require(RunSupport.events(events, named: "exit").first)
        #expect(exit["outcome"] as? String == "killed")
        #expect(exit["signal"] as? String == "SIGSEGV")
        #expect(exit["exit_code"] is NSNull)
        #expect(exit["sent_by"] is NSNull)
        #expect(exit["stop"] is NSNull)
        #expect(exit["attempt"] as? Int == 1)
    }

    @Test func forwardedTermReachesTheChildsHandler() throws {
        for peer in Self.inits() {
            let dir = RunSupport.directory("term")
            let events = dir + "/events"
            let extra = peer.name == "swtop run" ? ["--events", events] : []
            let supervisor = try Background(peer.program, peer.arguments + extra + ["--", Paths.testee, "handle-term"])
            try supervisor.waitForOutput("ready")
            kill(supervisor.pid, SIGTERM)
            // handle-term's handler exits 0; a TERM that did not reach it would give 143.
            #expect(try supervisor.status() == 0, "\(peer.name)")
            guard peer.name == "swtop run" else { continue }
            let exit = try #require(RunSupport.events(events, named: "exit").first)
            #expect(exit["outcome"] as? String == "exited")
            #expect(exit["exit_code"] as? Int == 0)
            let stop = try #require(exit["stop"] as? [String: Any])
            #expect(stop["kind"] as? String == "graceful")
            #expect(stop["signal"] as? String == "SIGTERM")
            let by = try #require(stop["requested_by"] as? [String: Any])
            #expect(by["pid"] as? Int == Int(getpid()))
            #expect(by["kernel"] as? Bool == false)
        }
    }

    /// Lines of a file the child writes, once there are `count`.
    static func lines(_ path: String, count: Int, within seconds: Double = 10) -> [String]? {
        var lines: [String] = []
        guard waitUntil(seconds, {
            lines = String(decoding: fileBytes(path) ?? [], as: UTF8.self).split(separator: "\n").map(String.init)
            return lines.count >= count
        }) else { return nil }
        return lines
    }

    /// Each signal the issue lists reaches the child's handler; INT last (it also starts a stop).
    @Test func everyForwardedSignalReachesTheChild() throws {
        let signals: [(Int32, String)] = [(SIGHUP, "HUP"), (SIGQUIT, "QUIT"), (SIGUSR1, "USR1"), (SIGUSR2, "USR2"), (SIGWINCH, "WINCH"), (SIGINT, "INT")]
        for peer in Self.inits() {
            let file = RunSupport.directory("signals") + "/got"
            let traps = signals.map { "trap 'echo \($0.1) >> \(file)' \($0.1)" }.joined(separator: "; ")
            let supervisor = try Background(peer.program, peer.arguments + ["--", "/bin/sh", "-c", traps + "; echo ready; while :; do sleep 0.05; done"])
            try supervisor.waitForOutput("ready")
            for (i, (signal, _)) in signals.enumerated() {
                kill(supervisor.pid, signal)
                _ = Self.lines(file, count: i + 1)
            }
            #expect(Self.lines(file, count: signals.count) == signals.map(\.1), "\(peer.name)")
            kill(supervisor.pid, SIGTERM)
            #expect(try supervisor.status() == 143, "\(peer.name)")
        }
    }

    /// With --group (tini -g; dumb-init always) a signal reaches the child's whole process
    /// group: here a grandchild too. Without it, the child only.
    @Test func groupSendsToTheWholeProcessGroup() throws {
        var peers = [("swtop run --group", RunSupport.swtopRun, ["--group"], true), ("swtop run", RunSupport.swtopRun, [], false)]
        if isInstalled(RunSupport.tini) { peers += [("tini -g", RunSupport.tini, ["-g"], true), ("tini", RunSupport.tini, [], false)] }
        if isInstalled(RunSupport.dumbInit) { peers.append(("dumb-init", RunSupport.dumbInit, [], true)) }
        for (name, program, arguments, group) in peers {
            let file = RunSupport.directory("group") + "/got"
            let grandchild = "trap 'echo grandchild >> \(file)' USR2; echo started >> \(file); while :; do sleep 0.05; done"
            let script = "trap 'echo child >> \(file)' USR2; /bin/sh -c \"\(grandchild)\" & until [ -s \(file) ]; do sleep 0.05; done; echo ready; while :; do sleep 0.05; done"
            let supervisor = try Background(program, arguments + ["--", "/bin/sh", "-c", script])
            try supervisor.waitForOutput("ready")
            kill(supervisor.pid, SIGUSR2)
            let got = Self.lines(file, count: group ? 3 : 2)
            #expect(got.map { Set($0) } == (group ? ["started", "child", "grandchild"] : ["started", "child"]), "\(name): \(got ?? [])")
            if !group {
                // Nor a moment later (a signal to the group reaches both within milliseconds).
                #expect(Self.lines(file, count: 3, within: 1) == nil, "\(name)")
            }
            // The child leads its own process group, which holds the grandchild: both ended.
            let children = String(decoding: fileBytes("/proc/\(supervisor.pid)/task/\(supervisor.pid)/children") ?? [], as: UTF8.self)
            for child in children.split(separator: " ").compactMap({ Int32($0) }) { kill(-child, SIGKILL) }
            _ = try supervisor.status()
        }
    }

    /// The log is coloured on a terminal (script(1) gives it one), plain with NO_COLOR or
    /// when stderr is not a terminal.
    @Test(.enabled(if: isInstalled("/usr/bin/script"), "needs script(1) for a terminal"))
    func logIsColouredOnlyOnATerminalWithoutNoColor() throws {
        let command = "\(RunSupport.swtopRun) -- /bin/sh -c 'exit 1'"
        let coloured = try run("/usr/bin/env", ["-u", "NO_COLOR", "/usr/bin/script", "-qec", command, "/dev/null"])
        #expect(coloured.stdoutText.contains(" \u{1B}[31m"), "\(coloured.stdoutText.debugDescription)")
        #expect(coloured.stdoutText.contains(" exited 1 after "))
        let noColor = try run("/usr/bin/env", ["NO_COLOR=1", "/usr/bin/script", "-qec", command, "/dev/null"])
        #expect(noColor.stdoutText.contains(" exited 1 after "))
        #expect(!noColor.stdoutText.contains("\u{1B}"), "\(noColor.stdoutText.debugDescription)")
        let pipe = try run("/usr/bin/env", ["-u", "NO_COLOR", RunSupport.swtopRun, "--", "/bin/sh", "-c", "exit 1"])
        #expect(pipe.stderr.contains(" exited 1 after ") && !pipe.stderr.contains("\u{1B}"))
    }

    /// While the child sleeps swtop run does not wake at all: no context switch, no CPU tick.
    @Test func idleMeansNoWakeUps() throws {
        let supervisor = try Background(RunSupport.swtopRun, ["--restart", "on-failure", "--", "/bin/sh", "-c", "echo ready; exec sleep 60"])
        try supervisor.waitForOutput("ready")
        func switches() -> (String, String)? {
            guard let status = fileBytes("/proc/\(supervisor.pid)/status"), let stat = fileBytes("/proc/\(supervisor.pid)/stat"),
                let close = stat.lastIndex(of: UInt8(ascii: ")"))
            else { return nil }
            let fields = String(decoding: stat[(close + 2)...], as: UTF8.self).split(separator: " ")
            let text = String(decoding: status, as: UTF8.self).split(separator: "\n").filter { $0.contains("ctxt_switches") }.joined(separator: " ")
            return (text, fields.count > 12 ? "\(fields[11]) \(fields[12])" : "")
        }
        // Settled: the start told and written, asleep in poll.
        #expect(waitUntil(5) { (try? String(contentsOfFile: "/proc/\(supervisor.pid)/wchan", encoding: .utf8))?.contains("poll") == true })
        let before = try #require(switches())
        // Two seconds of observation: the claim is about a stretch of time.
        _ = waitUntil(2) { false }
        let after = try #require(switches())
        #expect(after.0 == before.0, "woke up: \(before.0) -> \(after.0)")
        #expect(after.1 == before.1, "used CPU: utime stime \(before.1) -> \(after.1)")
        kill(supervisor.pid, SIGTERM)
        #expect(try supervisor.status() == 143)
    }

    @Test func childIgnoringTermIsKilledAfterTheGrace() throws {
        let dir = RunSupport.directory("grace")
        let events = dir + "/events"
        let supervisor = try Background(RunSupport.swtopRun, ["--grace", "300ms", "--events", events, "--", Paths.testee, "ignore-term"])
        try supervisor.waitForOutput("ready")
        kill(supervisor.pid, SIGTERM)
        #expect(try supervisor.status() == 137)
        let exit = try #require(RunSupport.events(events, named: "exit").first)
        #expect(exit["outcome"] as? String == "killed")
        #expect(exit["signal"] as? String == "SIGKILL")
        let stop = try #require(exit["stop"] as? [String: Any])
        #expect(stop["kind"] as? String == "forced")
        #expect(stop["signal"] as? String == "SIGTERM")
        let after = try #require(stop["after_s"] as? Double)
        #expect(after >= 0.3)
        // swtop run sent the SIGKILL itself.
        let by = try #require(exit["sent_by"] as? [String: Any])
        #expect(by["pid"] as? Int == Int(supervisor.pid))
        #expect(by["name"] as? String == "swtop-run")
    }

    @Test func orphansAreReapedAsSubreaper() throws {
        for peer in Self.inits(["-s"], dumbInit: false) {
            let dir = RunSupport.directory("subreaper")
            let pidFile = dir + "/orphan"
            // The inner shell starts a sleep and exits: the sleep is orphaned while the child lives.
            let script = "sh -c 'sleep 0.5 & echo $! > \(pidFile)'; echo started; exec sleep 60"
            let supervisor = try Background(peer.program, peer.arguments + ["--", "/bin/sh", "-c", script])
            try supervisor.waitForOutput("started")
            let orphan = try #require(fileBytes(pidFile).flatMap { Int32(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) })
            // Given to the init, not to the machine's PID 1, and reaped there (not left a zombie).
            let adopted = parentPID(orphan)
            #expect(adopted == nil || adopted == supervisor.pid, "\(peer.name)")
            #expect(waitUntil(10) { parentPID(orphan) == nil }, "\(peer.name): orphan \(orphan) not reaped")
            kill(supervisor.pid, SIGTERM)
            #expect(try supervisor.status() == 143, "\(peer.name)")
        }
    }

    @Test(.enabled(if: isRoot, "unshare --pid needs root"))
    func orphansAreReapedAndLeftoversEndedAsPIDOne() throws {
        for peer in Self.inits() {
            let dir = RunSupport.directory("pid1")
            // Inside a new PID namespace (with its own /proc), the child orphans a sleep and waits,
            // with a deadline, for it to be gone: a zombie nobody reaps would stay in /proc.
            // A second sleep is left behind for the init to end with SIGTERM.
            let script = """
                sh -c 'sleep 0.3 & echo $! > \(dir)/orphan'
                p=$(cat \(dir)/orphan)
                sleep 600 &
                [ "$(awk '/^PPid/ {print $2}' /proc/$p/status 2>/dev/null || echo 1)" = 1 ] || exit 4
                i=0; while [ -e /proc/$p ] && [ $i -lt 400 ]; do i=$((i+1)); sleep 0.05; done
                [ -e /proc/$p ] && exit 3
                exit 0
                """
            let started = Date()
            let r = try run("/usr/bin/unshare", ["--pid", "--fork", "--mount-proc", "--kill-child", peer.program] + peer.arguments + ["--", "/bin/sh", "-c", script], timeout: 60)
            #expect(r.status == 0, "\(peer.name): \(r.stderr)")
            // The leftover sleep 600 was ended, not waited for.
            #expect(Date().timeIntervalSince(started) < 30, "\(peer.name)")
        }
    }

    /// As PID 1, a leftover that ignores SIGTERM gets SIGKILL after --grace (tini has no grace:
    /// the kernel kills the namespace when it exits).
    @Test(.enabled(if: isRoot, "unshare --pid needs root"))
    func leftoverIgnoringTermIsKilledAfterTheGraceAsPIDOne() throws {
        let started = Date()
        let r = try run("/usr/bin/unshare", [
            "--pid", "--fork", "--mount-proc", "--kill-child", RunSupport.swtopRun, "--grace", "300ms",
            "--", "/bin/sh", "-c", "/bin/sh -c 'trap \"\" TERM; echo x; sleep 600' & sleep 0.2; exit 5",
        ], timeout: 60)
        #expect(r.status == 5, "\(r.stderr)")
        #expect(r.stderr.contains("swtop run: ") && r.stderr.contains(" the namespace's other processes were still there 300 ms after SIGTERM: sent SIGKILL"), "\(r.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
    }
}

/// The state file the monitor reads.
@Suite(.serialized) struct RunStateFileTests {
    @Test(.enabled(if: isRoot, "the state file is in /run/swtop as root"))
    func stateFileSaysWhatRunDoesAndGoesAtExit() throws {
        let supervisor = try Background(RunSupport.swtopRun, [
            "--restart", "always", "--backoff-min", "30s", "--", "/bin/sh", "-c", "echo started; exit 3",
        ])
        try supervisor.waitForOutput("started")
        let path = "/run/swtop/run-\(supervisor.pid).json"
        #expect(waitUntil { (fileBytes(path).flatMap { try? jsonObject(Data($0)) })?["phase"] as? String == "waiting" })
        let state = try jsonObject(Data(try #require(fileBytes(path))))
        #expect(state["schema"] as? String == "swtop-run-state/1")
        #expect(state["pid"] as? Int == Int(supervisor.pid))
        #expect(state["child_pid"] is NSNull)
        #expect(state["attempt"] as? Int == 1)
        #expect(state["restarts"] as? Int == 1)
        #expect(state["restart"] as? String == "always")
        #expect(state["backoff_s"] as? Double == 30)
        #expect(state["restart_at"] is String)
        #expect(state["ready"] is NSNull)
        var info = stat()
        #expect(lstat("/run/swtop", &info) == 0 && info.st_mode & S_IFMT == S_IFDIR && info.st_mode & 0o022 == 0)
        kill(supervisor.pid, SIGTERM)
        #expect(try supervisor.status() == 3)
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
