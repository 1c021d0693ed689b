import Foundation
import Testing
import TestSupport

/// Who stopped it: `swtop events --json` as root with the signal tracepoint, real processes
/// killed, faulting, aborting, draining and refusing to stop, each sender and stop checked.
@Suite(.serialized, .enabled(if: isRoot && FileManager.default.fileExists(atPath: "/proc/sys/kernel/perf_event_paranoid"),
                             "the signal tracepoint needs root and perf events"))
struct SignalSenderEventsTests {
    static let senderKeys: Set<String> = ["pid", "name", "uid", "user", "kernel"]

    /// A bash named `deployer` (its argv[0] a link so named) that runs `script` and then lives on
    /// for a while, so that it is still there to be named when swtop reads its signals (the
    /// closing `exit` keeps bash from exec'ing the sleep, which would rename it).
    static func deployer(_ script: String, in children: Children) throws -> Process {
        let link = children.linkPath("deployer")
        if !FileManager.default.fileExists(atPath: link) {
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/bin/bash")
        }
        return try children.start(link, ["-c", script + "; sleep 5; exit 0"])
    }

    /// A python3 child running `script`, once it has printed "ready" (its handlers are set).
    /// The test runner's threads block signals and a child inherits the mask: it is cleared first.
    static func python(_ script: String, marker: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import signal\nsignal.pthread_sigmask(signal.SIG_SETMASK, [])\n" + script, marker]
        p.standardInput = FileHandle.nullDevice
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        var pfd = pollfd(fd: out.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, 20_000) == 1, out.fileHandleForReading.readData(ofLength: 6) == Data("ready\n".utf8) else {
            throw TestFailure("python3 child did not get ready")
        }
        return p
    }

    func event(_ kind: String, of pid: Int32, in stream: EventStream, after: Int) throws -> [String: Any] {
        try #require(stream.wait(after: after) { $0["event"] as? String == kind && $0["pid"] as? Int == Int(pid) },
                     "no \(kind) event for \(pid):\n\(stream.text)")
    }

    func sender(_ object: Any?) -> [String: Any]? { object as? [String: Any] }

    /// Losses the kernel reports are said, never silent: swtop stopped (SIGSTOP) while 5,000
    /// SIGTERMs go to a process that ignores them fills its rings (64 KiB a CPU, about 800
    /// records); once it runs again it says how many the kernel dropped (the kernel tells with
    /// the next record it keeps).
    @Test func signalsTheKernelDroppedAreSaid() throws {
        let dir = Paths.temporaryDirectory("lost-signals")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let children = Children()
        defer { children.stopAll() }
        let target = try children.testee(["ignore-term"])
        let swtop = Process()
        swtop.executableURL = URL(fileURLWithPath: Paths.swtop)
        swtop.arguments = ["events", "--for", "60", "-p", String(target.processIdentifier)]
        FileManager.default.createFile(atPath: dir + "/out", contents: nil)
        FileManager.default.createFile(atPath: dir + "/err", contents: nil)
        swtop.standardOutput = FileHandle(forWritingAtPath: dir + "/out")
        swtop.standardError = FileHandle(forWritingAtPath: dir + "/err")
        swtop.standardInput = FileHandle.nullDevice
        try swtop.run()
        defer { if swtop.isRunning { kill(swtop.processIdentifier, SIGKILL); swtop.waitUntilExit() } }
        let text = { (name: String) in String(decoding: fileBytes(dir + "/" + name) ?? [], as: UTF8.self) }
        #expect(waitUntil(30) { text("out").contains("\n") })
        #expect(text("out").contains("signal tracepoint (senders)"), "\(text("out"))")
        kill(swtop.processIdentifier, SIGSTOP)
        for _ in 0..<5000 { kill(target.processIdentifier, SIGTERM) }
        kill(swtop.processIdentifier, SIGCONT)
        let pattern = try Regex("^swtop: ([0-9]+) signals lost: the signal tracepoint's ring buffer overflowed \\(their senders are not known\\)$")
        var lost = 0
        // The kernel writes its LOST record before the next record it keeps, once the ring has
        // room: a signal now and then after swtop has caught up brings it.
        #expect(waitUntil(20) {
            kill(target.processIdentifier, SIGTERM)
            lost = text("err").split(separator: "\n").compactMap { $0.wholeMatch(of: pattern).flatMap { Int($0.output[1].substring ?? "") } }.reduce(0, +)
            return lost > 0
        }, "stderr: \(text("err"))")
        #expect(lost > 0 && lost < 5000, "\(lost)")
    }

    @Test func senderKillFaultAbortDrainForceAndPlainExit() throws {
        let stream = try EventStream(["--for", "120"])
        defer { stream.stop() }
        let sources = (stream.first?["sources"] as? [String]) ?? []
        try #require(sources.contains("signal tracepoint (senders)"), "the start line: \(stream.first ?? [:])")
        let children = Children()
        defer { children.stopAll() }

        // A named process SIGKILLs another.
        var before = stream.count
        let victim = try shell("sleep 300", marker: marker("victim"), wait: false)
        let killer = try Self.deployer("kill -KILL \(victim.processIdentifier)", in: children)
        var e = try event("exit", of: victim.processIdentifier, in: stream, after: before)
        #expect(e["outcome"] as? String == "killed" && e["signal"] as? String == "SIGKILL")
        let killedBy = try #require(sender(e["sent_by"]))
        #expect(Set(killedBy.keys) == Self.senderKeys)
        #expect(killedBy["pid"] as? Int == Int(killer.processIdentifier))
        #expect(killedBy["name"] as? String == "deployer")
        #expect(killedBy["uid"] as? Int == 0)
        #expect(killedBy["user"] as? String == "root")
        #expect(killedBy["kernel"] as? Bool == false)
        #expect(e["stop"] is NSNull)
        let signal = try event("signal", of: victim.processIdentifier, in: stream, after: before)
        #expect(signal["signal"] as? String == "SIGKILL")
        #expect(sender(signal["sent_by"])?["pid"] as? Int == Int(killer.processIdentifier))
        #expect(signal["name"] as? String == "sh")

        // A real NULL dereference: the kernel's SIGSEGV.
        before = stream.count
        let segv = try shell("exec /usr/bin/python3 -c 'import ctypes; ctypes.string_at(0)'", marker: marker("segv"))
        e = try event("exit", of: segv.processIdentifier, in: stream, after: before)
        #expect(e["signal"] as? String == "SIGSEGV")
        let kernel = try #require(sender(e["sent_by"]))
        #expect(kernel["kernel"] as? Bool == true)
        #expect(kernel["pid"] is NSNull && kernel["name"] is NSNull && kernel["uid"] is NSNull && kernel["user"] is NSNull)
        #expect(e["stop"] is NSNull)

        // abort(): the process itself.
        before = stream.count
        let aborted = try shell("exec /usr/bin/python3 -c 'import os; os.abort()'", marker: marker("abort"))
        e = try event("exit", of: aborted.processIdentifier, in: stream, after: before)
        #expect(e["signal"] as? String == "SIGABRT")
        let itself = try #require(sender(e["sent_by"]))
        #expect(itself["pid"] as? Int == Int(aborted.processIdentifier))
        // Its name is the one the monitor knew, or null for a process gone before it was read.
        #expect(itself["kernel"] as? Bool == false)

        // SIGTERM handled with a 2 s drain, then exit 0: graceful, after about 2 s.
        before = stream.count
        let drainer = try Self.python(
            "import signal, sys, time\nsignal.signal(signal.SIGTERM, lambda *a: (time.sleep(2), sys.exit(0)))\nprint('ready', flush=True)\ntime.sleep(300)",
            marker: marker("drain"))
        let asker = try Self.deployer("kill -TERM \(drainer.processIdentifier)", in: children)
        e = try event("exit", of: drainer.processIdentifier, in: stream, after: before)
        #expect(e["outcome"] as? String == "exited" && e["exit_code"] as? Int == 0)
        #expect(e["sent_by"] is NSNull)
        var stop = try #require(e["stop"] as? [String: Any])
        #expect(Set(stop.keys) == ["kind", "signal", "after_s", "requested_by"])
        #expect(stop["kind"] as? String == "graceful")
        #expect(stop["signal"] as? String == "SIGTERM")
        var after = try #require(stop["after_s"] as? Double)
        #expect(after >= 1.9 && after < 4, "after_s \(after)")
        #expect(sender(stop["requested_by"])?["pid"] as? Int == Int(asker.processIdentifier))
        #expect(sender(stop["requested_by"])?["name"] as? String == "deployer")

        // SIGTERM ignored, SIGKILL 2 s later: forced.
        before = stream.count
        let stubborn = try Self.python(
            "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint('ready', flush=True)\ntime.sleep(300)",
            marker: marker("stubborn"))
        let forcer = try Self.deployer("kill -TERM \(stubborn.processIdentifier); sleep 2; kill -KILL \(stubborn.processIdentifier)", in: children)
        e = try event("exit", of: stubborn.processIdentifier, in: stream, after: before)
        #expect(e["signal"] as? String == "SIGKILL")
        #expect(sender(e["sent_by"])?["pid"] as? Int == Int(forcer.processIdentifier))
        stop = try #require(e["stop"] as? [String: Any])
        #expect(stop["kind"] as? String == "forced")
        #expect(stop["signal"] as? String == "SIGTERM")
        after = try #require(stop["after_s"] as? Double)
        #expect(after >= 1.9 && after < 4, "after_s \(after)")

        // A plain exit 3: neither sender nor stop.
        before = stream.count
        let plain = try shell("sleep 0.2; exit 3", marker: marker("plain"))
        e = try event("exit", of: plain.processIdentifier, in: stream, after: before)
        #expect(e["exit_code"] as? Int == 3)
        #expect(e["sent_by"] is NSNull)
        #expect(e["stop"] is NSNull)
    }

    /// A program that execs and is gone (reaped) before swtop can read /proc is named by the
    /// name the kernel gave it at exec (the tracepoint's COMM record), not "?". swtop is
    /// stopped while it runs, so that nothing of it can be read when swtop goes on.
    @Test func aProgramGoneBeforeItIsReadIsNamedByItsExec() throws {
        let children = Children()
        defer { children.stopAll() }
        let program = children.linkPath("swtopexecname")
        try FileManager.default.copyItem(atPath: "/bin/true", toPath: program)
        let stream = try EventStream([])
        defer { stream.stop() }
        let sources = stream.first?["sources"] as? [String] ?? []
        try #require(sources.contains { $0.hasPrefix("signal tracepoint") }, "no tracepoint: \(sources)")
        let before = stream.count
        kill(stream.process.processIdentifier, SIGSTOP)
        let ran = Process()
        ran.executableURL = URL(fileURLWithPath: program)
        try ran.run()
        ran.waitUntilExit()
        #expect(!FileManager.default.fileExists(atPath: "/proc/\(ran.processIdentifier)"))
        kill(stream.process.processIdentifier, SIGCONT)
        let e = try event("exit", of: ran.processIdentifier, in: stream, after: before)
        #expect(e["name"] as? String == "swtopexecname")
        #expect(e["exit_code"] as? Int == 0)
    }

    /// A short-lived kill(1) (a shell that exec'd it) is named as the sender even when it is
    /// gone before swtop reads anything of it: swtop is stopped while it runs.
    @Test func aKillGoneBeforeItIsReadIsNamed() throws {
        let stream = try EventStream([])
        defer { stream.stop() }
        let sources = stream.first?["sources"] as? [String] ?? []
        try #require(sources.contains("signal tracepoint (senders)"), "no tracepoint: \(sources)")
        let victim = try Self.python("import signal, time\nsignal.signal(signal.SIGTERM, lambda *a: None)\nprint('ready', flush=True)\ntime.sleep(300)",
                                     marker: marker("drainer"))
        defer { kill(victim.processIdentifier, SIGKILL); victim.waitUntilExit() }
        let before = stream.count
        kill(stream.process.processIdentifier, SIGSTOP)
        let killer = try shell("exec /bin/kill -TERM \(victim.processIdentifier)", marker: marker("killer"))
        #expect(killer.terminationStatus == 0)
        kill(stream.process.processIdentifier, SIGCONT)
        let signal = try event("signal", of: victim.processIdentifier, in: stream, after: before)
        #expect(signal["signal"] as? String == "SIGTERM")
        let by = try #require(sender(signal["sent_by"]))
        #expect(by["pid"] as? Int == Int(killer.processIdentifier))
        if stream.saidSignalsLost {
            // The ring overflowed while swtop was stopped (other tests running their processes):
            // the record of kill's exec may be what was lost, and swtop said so. Its shell's
            // name, or kill's.
            #expect(["kill", "sh"].contains(by["name"] as? String ?? ""))
        } else {
            #expect(by["name"] as? String == "kill")
        }
    }
}
