import Foundation
import Testing
import TestSupport
@testable import ProcFS
@testable import ProcessControl

extension Result {
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}

func startTicks(_ pid: Int32) throws -> UInt64 {
    let reader = try ProcReader()
    guard let raw = reader.process(pid, files: []) else { throw TestFailure("\(pid) is gone") }
    return raw.stat.startTime
}

func liveLimits(_ pid: Int32) throws -> ProcLimits {
    guard let bytes = fileBytes("/proc/\(pid)/limits"), let limits = ProcLimits.parse(bytes) else {
        throw TestFailure("cannot read the limits of \(pid)")
    }
    return limits
}

func hupCount(_ path: String) -> String {
    String(decoding: fileBytes(path) ?? [], as: UTF8.self)
}

@Suite(.serialized) struct SignalTests {
    @Test func signalParsing() {
        #expect(Signal(parsing: "TERM") == .term)
        #expect(Signal(parsing: "sigterm") == .term)
        #expect(Signal(parsing: "15") == .term)
        #expect(Signal(parsing: "HUP")?.number == 1)
        #expect(Signal(parsing: "9") == .kill)
        #expect(Signal(parsing: "RTMIN+2")?.number == 36)
        #expect(Signal(parsing: "36")?.name == "SIGRTMIN+2")
        #expect(Signal(parsing: "CONT")?.name == "SIGCONT")
        #expect(Signal(parsing: "0") == nil)
        #expect(Signal(parsing: "65") == nil)
        #expect(Signal(parsing: "bogus") == nil)
        #expect(Signal.menu.map(\.name) == ["SIGTERM", "SIGHUP", "SIGKILL", "SIGINT", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGSTOP", "SIGCONT"])
    }

    @Test func pidZeroAndNegativeAreRefusedBeforeAnySyscall() {
        for pid: Int32 in [0, -1, -42] {
            guard case .failure(let error) = ProcessHandle.open(ProcessTarget(pid: pid)) else {
                Issue.record("pid \(pid) was opened")
                continue
            }
            #expect(error == .refusedPID(pid))
        }
        #expect(ControlError.refusedPID(0).description == "refused: pid 0 would signal the caller's whole process group")
        #expect(ControlError.refusedPID(-1).description == "refused: pid -1 would signal every process")
        #expect(ControlError.refusedPID(-42).description == "refused: pid -42 would signal process group 42")
    }

    @Test func hupIsReceivedExactlyOnce() throws {
        let children = Children()
        defer { children.stopAll() }
        let file = Paths.temporaryDirectory("hup") + "/count"
        let child = try children.testee(["count-hup", file])
        let pid = child.processIdentifier
        let handle = try ProcessHandle.open(ProcessTarget(pid: pid, startTicks: startTicks(pid))).get()
        #expect(handle.name == "swtop-testee")
        try handle.send(.hup).get()
        #expect(waitUntil { hupCount(file) == "1\n" })
        try handle.send(.term).get()
        child.waitUntilExit()
        #expect(hupCount(file) == "1\n")
        #expect(child.terminationStatus == 0)
    }

    @Test func aTargetWhoseStartTimeNoLongerMatchesReceivesNothing() throws {
        let children = Children()
        defer { children.stopAll() }
        let file = Paths.temporaryDirectory("reuse") + "/count"
        let child = try children.testee(["count-hup", file])
        let pid = child.processIdentifier
        let wrong = ProcessTarget(pid: pid, startTicks: try startTicks(pid) + 1)
        guard case .failure(let error) = ProcessHandle.open(wrong) else {
            Issue.record("a target with another start time was opened")
            return
        }
        #expect(error == .pidReused(pid: pid))
        #expect(error.description == "pid \(pid) now belongs to another process: nothing sent")
        // Not through a graceful stop either.
        let stop = GracefulStop(grace: 0.2)
        let outcomes = stop.run([wrong])
        #expect(outcomes.map(\.outcome) == [.failed(.pidReused(pid: pid))])
        #expect(hupCount(file) == "0\n")
        // The child is still counting: two HUPs sent now are counted one by one. A TERM sent
        // before them would have ended its loop at the first, a KILL before it.
        kill(pid, SIGHUP)
        #expect(waitUntil { hupCount(file) == "1\n" })
        kill(pid, SIGHUP)
        #expect(waitUntil { hupCount(file) == "2\n" })
        #expect(child.isRunning)
    }

    @Test func alreadyGoneNoSuchProcessAThreadAndAZombie() throws {
        // From the process table (a start time): it exited. Typed by the user: it never was.
        // 4194304 is the kernel's PID_MAX_LIMIT: no pid reaches it, whatever pid_max is.
        #expect(ProcessHandle.open(ProcessTarget(pid: 4_194_304, startTicks: 5)).failure == .alreadyGone)
        #expect(ProcessHandle.open(ProcessTarget(pid: 4_194_304)).failure == .noSuchProcess)

        // A thread's id names no process.
        let children = Children()
        defer { children.stopAll() }
        let owner = try children.testee(["threads", "2"]).processIdentifier
        #expect(waitUntil { ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(owner)/task")) ?? []).count == 2 })
        let tid = try #require(try ProcReader().tids(of: owner).first { $0 != owner })
        #expect(ProcessHandle.open(ProcessTarget(pid: tid)).failure == .thread(of: owner))
        #expect(ControlError.thread(of: owner).description == "a thread of process \(owner), not a process")

        // A child this test never reaps is a zombie until it does.
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { argv.forEach { free($0) } }
        #expect(posix_spawn(&pid, "/bin/true", nil, nil, argv, environ) == 0)
        #expect(waitUntil { (try? ProcReader().process(pid, files: []))??.stat.state == UInt8(ascii: "Z") })
        guard case .failure(let zombieError) = ProcessHandle.open(ProcessTarget(pid: pid)) else {
            Issue.record("a zombie was opened")
            return
        }
        #expect(zombieError == .zombie(parent: getpid()))
        #expect(zombieError.description == "already exited (zombie): its parent \(getpid()) has not reaped it")
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}

@Suite(.serialized) struct GracefulStopTests {
    @Test func aChildThatIgnoresTermIsKilledAfterTheGrace() throws {
        let children = Children()
        defer { children.stopAll() }
        let child = try children.testee(["ignore-term"])
        let pid = child.processIdentifier
        let outcomes = GracefulStop(grace: 0.5).run([ProcessTarget(pid: pid, startTicks: try startTicks(pid))])
        #expect(outcomes.count == 1)
        guard case .killed(let grace, let goneAfter)? = outcomes.first?.outcome else {
            Issue.record("expected SIGKILL after the grace, got \(String(describing: outcomes.first?.outcome))")
            return
        }
        #expect(grace == 0.5)
        #expect(goneAfter < 5)
        #expect(outcomes.first?.name == "swtop-testee")
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(child.terminationStatus == SIGKILL)
        #expect(outcomes.first?.outcome.neededKill == true)
    }

    @Test func aChildThatHandlesTermExitsInTheTermPhaseAndIsNeverKilled() throws {
        let children = Children()
        defer { children.stopAll() }
        let child = try children.testee(["handle-term"])
        let pid = child.processIdentifier
        let outcomes = GracefulStop(grace: 10).run([ProcessTarget(pid: pid, startTicks: try startTicks(pid))])
        guard case .exitedAfterTerm(let after)? = outcomes.first?.outcome else {
            Issue.record("expected an exit after SIGTERM, got \(String(describing: outcomes.first?.outcome))")
            return
        }
        #expect(after < 10)
        child.waitUntilExit()
        #expect(child.terminationReason == .exit)
        #expect(child.terminationStatus == 0)
    }

    @Test func severalTargetsAreStoppedInParallel() throws {
        let children = Children()
        defer { children.stopAll() }
        let a = try children.testee(["ignore-term"])
        let b = try children.testee(["ignore-term"])
        let c = try children.testee(["handle-term"])
        let stop = GracefulStop(grace: 2)
        stop.start([a, b, c].map { ProcessTarget(pid: $0.processIdentifier) })
        // Every target has its SIGTERM at once: in sequence, the second would get its own only
        // after the first's whole grace.
        #expect(stop.progress.map(\.target.pid) == [a, b, c].map(\.processIdentifier))
        #expect(stop.progress.map(\.phase) == [.term, .term, .term])
        while !stop.isFinished { stop.step(waiting: 1) }
        let outcomes = stop.outcomes
        #expect(outcomes.count == 3)
        let byPid = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.target.pid, $0.outcome) })
        #expect(byPid[a.processIdentifier]?.neededKill == true)
        #expect(byPid[b.processIdentifier]?.neededKill == true)
        #expect(byPid[c.processIdentifier]?.neededKill == false)
    }

    @Test func progressReportsThePhase() throws {
        let children = Children()
        defer { children.stopAll() }
        let child = try children.testee(["ignore-term"])
        let stop = GracefulStop(grace: 0.6)
        stop.start([ProcessTarget(pid: child.processIdentifier)])
        #expect(stop.progress.map(\.phase) == [.term])
        #expect(stop.step(waiting: 0.1).isEmpty)
        #expect(!stop.isFinished)
        while !stop.isFinished { stop.step(waiting: 0.1) }
        #expect(stop.outcomes.count == 1)
        #expect(stop.outcomes[0].outcome.neededKill)
    }

    @Test func outcomeWords() {
        #expect(GracefulStop.Outcome.exitedAfterTerm(1.23).description == "exited 1.2 s after SIGTERM")
        #expect(GracefulStop.Outcome.killed(grace: 10, goneAfter: 0.012).description == "still running after 10 s: sent SIGKILL; gone 0.01 s later")
        #expect(GracefulStop.Outcome.killed(grace: 10, goneAfter: 0.0034).description == "still running after 10 s: sent SIGKILL; gone 0.003 s later")
        #expect(GracefulStop.Outcome.failed(.notPermitted(owner: "www-data")).description == "not permitted: owned by user www-data")
        #expect(GracefulStop.Outcome.failed(.alreadyGone).description == "already gone")
    }
}

@Suite(.serialized) struct ReniceAndLimitsTests {
    @Test func reniceChangesEveryThread() throws {
        let children = Children()
        defer { children.stopAll() }
        let child = try children.testee(["threads", "4"])
        let pid = child.processIdentifier
        #expect(waitUntil { ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []).count == 4 })
        // The child starts at the runner's nice (it may be niced); raising it needs no privilege.
        let old = runnerNice()
        let new = runnerNice(plus: 7)
        let report = try Renice.apply(new, to: ProcessTarget(pid: pid, startTicks: startTicks(pid))).get()
        #expect(report == Renice.Report(pid: pid, name: "swtop-testee", oldNice: old, newNice: new, threads: 4))
        #expect(report.description == "nice \(old) -> \(new) on 4 threads")
        let reader = try ProcReader()
        let nices = reader.tids(of: pid).map { reader.process(pid, tid: $0, files: [])?.stat.nice }
        #expect(nices == [new, new, new, new])
    }

    /// Steps count from the nice the process has now: two steps are two, and the end of the range
    /// is refused in words.
    @Test(.enabled(if: isRoot, "needs root: lowers a nice value, down to -20"))
    func reniceStepsFromTheCurrentNiceAndStopAtTheEnds() throws {
        let children = Children()
        defer { children.stopAll() }
        let pid = try children.testee(["threads", "2"]).processIdentifier
        #expect(waitUntil { ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []).count == 2 })
        let target = ProcessTarget(pid: pid, startTicks: try startTicks(pid))
        // From a known nice, whatever the runner's.
        _ = try Renice.apply(0, to: target).get()
        #expect(try Renice.adjust(by: 1, target).get().description == "nice 0 -> 1 on 2 threads")
        #expect(try Renice.adjust(by: 1, target).get().description == "nice 1 -> 2 on 2 threads")
        #expect(try Renice.adjust(by: -1, target).get().description == "nice 2 -> 1 on 2 threads")
        _ = try Renice.apply(19, to: target).get()
        #expect(throws: ControlError.invalid("already at nice 19, the lowest priority")) { try Renice.adjust(by: 1, target).get() }
        _ = try Renice.apply(-20, to: target).get()
        #expect(throws: ControlError.invalid("already at nice -20, the highest priority")) { try Renice.adjust(by: -1, target).get() }
        let reader = try ProcReader()
        #expect(reader.tids(of: pid).map { reader.process(pid, tid: $0, files: [])?.stat.nice } == [-20, -20])
    }

    @Test func reniceOutsideTheRangeIsRefused() {
        #expect(throws: ControlError.invalid("nice 20 is outside -20...19")) { try Renice.apply(20, to: ProcessTarget(pid: getpid())).get() }
    }

    @Test func aLimitChangeShowsInTheChildsLimits() throws {
        let children = Children()
        defer { children.stopAll() }
        let child = try children.testee(["ignore-term"])
        let pid = child.processIdentifier
        let change = try ResourceLimits.Change.parse("nofile=256:512").get()
        #expect(change == ResourceLimits.Change(resource: "nofile", soft: .limited(256), hard: .limited(512)))
        let limit = try ResourceLimits.apply(change, to: ProcessTarget(pid: pid)).get()
        #expect(limit.soft == .limited(256))
        #expect(limit.hard == .limited(512))
        let limits = try liveLimits(pid)
        #expect(limits["nofile"] == ProcLimits.Limit(resource: "nofile", name: "Max open files", soft: .limited(256), hard: .limited(512), unit: "files"))
        // Only the soft limit; the hard one stays.
        _ = try ResourceLimits.apply(try ResourceLimits.Change.parse("nofile=128").get(), to: ProcessTarget(pid: pid)).get()
        let after = try liveLimits(pid)
        #expect(after["nofile"]?.soft == .limited(128))
        #expect(after["nofile"]?.hard == .limited(512))
        _ = try ResourceLimits.apply(try ResourceLimits.Change.parse("core=unlimited:unlimited").get(), to: ProcessTarget(pid: pid)).get()
        let core = try liveLimits(pid)
        #expect(core["core"]?.soft == .unlimited)
    }

    @Test func softAboveHardIsExplained() throws {
        let children = Children()
        defer { children.stopAll() }
        let child = try children.testee(["ignore-term"])
        let pid = child.processIdentifier
        _ = try ResourceLimits.apply(ResourceLimits.Change(resource: "nofile", soft: .limited(100), hard: .limited(200)), to: ProcessTarget(pid: pid)).get()
        #expect(throws: ControlError.invalid("soft limit 300 is above the hard limit 200 of nofile")) {
            try ResourceLimits.apply(ResourceLimits.Change(resource: "nofile", soft: .limited(300), hard: nil), to: ProcessTarget(pid: pid)).get()
        }
    }

    @Test func changeParsing() {
        #expect(throws: ControlError.invalid("expected RESOURCE=SOFT[:HARD], got 'nofile'")) { try ResourceLimits.Change.parse("nofile").get() }
        #expect(throws: ControlError.invalid("invalid limit 'lots': expected a number or 'unlimited'")) { try ResourceLimits.Change.parse("nofile=lots").get() }
        #expect((try? ResourceLimits.Change.parse("core=:0").get()) == ResourceLimits.Change(resource: "core", soft: nil, hard: .limited(0)))
        guard case .failure(.invalid(let message)) = ResourceLimits.Change.parse("files=1") else {
            Issue.record("unknown resource accepted")
            return
        }
        #expect(message.hasPrefix("unknown resource 'files': expected one of cpu, fsize, data"))
    }
}
