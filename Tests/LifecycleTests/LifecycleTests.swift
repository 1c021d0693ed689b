import Lifecycle
import ProcessModel
import ProcFS
import Testing

@Suite struct OutcomeTests {
    @Test func waitStatusesDecodeAsWaitpidDoes() {
        #expect(Outcome(waitStatus: 0) == .exited(code: 0))
        #expect(Outcome(waitStatus: 0x700) == .exited(code: 7))
        #expect(Outcome(waitStatus: 0xff00) == .exited(code: 255))
        #expect(Outcome(waitStatus: 0x9) == .killed(signal: 9))
        #expect(Outcome(waitStatus: 0xf) == .killed(signal: 15))
        #expect(Outcome(waitStatus: 0x8b) == .coreDumped(signal: 11))
        #expect(Outcome(waitStatus: 0x86) == .coreDumped(signal: 6))
        // A stopped child's status is no end.
        #expect(Outcome(waitStatus: 0x137f) == .unknown)
    }

    @Test func wordsAndFields() {
        #expect(Outcome.exited(code: 0).words == "exited 0")
        #expect(Outcome.exited(code: 3).words == "exited 3")
        #expect(Outcome.killed(signal: 9).words == "killed by SIGKILL")
        #expect(Outcome.coreDumped(signal: 11).words == "SIGSEGV, core dumped")
        #expect(Outcome.oomKilled.words == "OOM-killed")
        #expect(Outcome.killed(signal: 40).words == "killed by SIGRTMIN+6")
        #expect(Outcome.oomKilled.signalName == "SIGKILL")
        #expect(Outcome.oomKilled.exitCode == nil)
        #expect(Outcome.exited(code: 3).signalName == nil)
        #expect([Outcome.exited(code: 0), .exited(code: 1), .killed(signal: 15), .coreDumped(signal: 11), .oomKilled, .unknown].map(\.name)
            == ["exited", "exited", "killed", "core_dumped", "oom_killed", "unknown"])
        #expect([Outcome.exited(code: 0), .exited(code: 1), .killed(signal: 15), .oomKilled, .unknown].map(\.isFailure)
            == [false, true, true, true, false])
    }
}

@Suite struct ConnectorMessageTests {
    /// A datagram as the kernel sends it: nlmsghdr, cn_msg, proc_event.
    static func datagram(what: UInt32, cpu: UInt32 = 0, sequence: UInt32, data: [Int32], idx: UInt32 = 1) -> [UInt8] {
        var event: [UInt8] = []
        func u32(_ v: UInt32, into bytes: inout [UInt8]) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        u32(what, into: &event)
        u32(cpu, into: &event)
        event += [UInt8](repeating: 0, count: 8)  // timestamp
        for d in data { u32(UInt32(bitPattern: d), into: &event) }
        while event.count < 40 { event.append(0) }  // the union's size
        var cn: [UInt8] = []
        u32(idx, into: &cn)
        u32(1, into: &cn)
        u32(sequence, into: &cn)
        u32(0, into: &cn)
        cn += [UInt8(event.count & 0xff), UInt8(event.count >> 8), 0, 0]
        var nl: [UInt8] = []
        u32(UInt32(16 + cn.count + event.count), into: &nl)
        nl += [3, 0, 0, 0]  // NLMSG_DONE, flags
        u32(sequence, into: &nl)
        u32(0, into: &nl)
        return nl + cn + event
    }

    static func parse(_ bytes: [UInt8]) -> [(event: ConnectorEvent?, cpu: UInt32, sequence: UInt32)] {
        bytes.withUnsafeBytes { ConnectorMessage.parse($0) }
    }

    @Test func exitForkExecAndUid() {
        let exit = Self.parse(Self.datagram(what: 0x8000_0000, cpu: 1, sequence: 7, data: [4242, 4242, 0x700, 17, 100, 100]))
        #expect(exit.count == 1)
        #expect(exit.first?.event == .exit(pid: 4242, tgid: 4242, status: 0x700, parentTGID: 100))
        #expect(exit.first?.cpu == 1)
        #expect(exit.first?.sequence == 7)
        let fork = Self.parse(Self.datagram(what: 1, sequence: 8, data: [100, 100, 4243, 4243]))
        #expect(fork.first?.event == .fork(parentTGID: 100, childPID: 4243, childTGID: 4243))
        let exec = Self.parse(Self.datagram(what: 2, sequence: 9, data: [4243, 4243]))
        #expect(exec.first?.event == .exec(pid: 4243, tgid: 4243))
        let uid = Self.parse(Self.datagram(what: 4, sequence: 10, data: [4243, 4243, 1000, 1000]))
        #expect(uid.first?.event == .uid(pid: 4243, tgid: 4243, ruid: 1000))
        // PROC_EVENT_COMM: pid, tgid, comm[16] up to its NUL ("nginx", little-endian words).
        let comm = Self.parse(Self.datagram(what: 0x200, sequence: 13, data: [4243, 4243, 0x6e69_676e, 0x78]))
        #expect(comm.first?.event == .comm(pid: 4243, tgid: 4243, name: Array("nginx".utf8)))
        // A name of the full 16 bytes, no NUL: all 16 are the name, nothing past them.
        let full = Self.parse(Self.datagram(what: 0x200, sequence: 14, data: [7, 7, 0x4141_4141, 0x4141_4141, 0x4141_4141, 0x4141_4141]))
        #expect(full.first?.event == .comm(pid: 7, tgid: 7, name: [UInt8](repeating: 0x41, count: 16)))
        // Two messages in one datagram, and an event kind swtop does not use (its sequence still counts).
        let two = Self.parse(Self.datagram(what: 0x80, sequence: 11, data: [1, 1]) + Self.datagram(what: 2, sequence: 12, data: [5, 5]))
        #expect(two.count == 2)
        #expect(two[0].event == nil)
        #expect(two[0].sequence == 11)
        #expect(two[1].event == .exec(pid: 5, tgid: 5))
    }

    @Test func truncatedOrForeignMessagesGiveNothing() {
        let whole = Self.datagram(what: 0x8000_0000, sequence: 1, data: [1, 1, 0, 17, 0, 0])
        for cut in [0, 1, 15, 16, 35, 36, 50, whole.count - 1] {
            #expect(Self.parse(Array(whole.prefix(cut))).isEmpty, "cut at \(cut)")
        }
        // Another connector (idx 2) is not the proc connector.
        #expect(Self.parse(Self.datagram(what: 1, sequence: 1, data: [1, 1, 2, 2], idx: 2)).isEmpty)
        // A length that claims more than was received.
        var lying = whole
        lying[0] = 0xff
        lying[1] = 0xff
        #expect(Self.parse(lying).isEmpty)
    }
}

@Suite struct OOMLineTests {
    @Test func theKillersLinesNameThePid() {
        #expect(OOMLine.killedPID(Array("Memory cgroup out of memory: Killed process 4242 (python3) total-vm:215472kB, anon-rss:64000kB".utf8)) == 4242)
        #expect(OOMLine.killedPID(Array("Out of memory: Killed process 17 (java) total-vm:1kB".utf8)) == 17)
        #expect(OOMLine.killedPID(Array("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/T,task_memcg=/T,task=python3,pid=31337,uid=0".utf8)) == 31337)
    }

    @Test func otherLinesNameNone() {
        #expect(OOMLine.killedPID(Array("python3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0".utf8)) == nil)
        #expect(OOMLine.killedPID(Array("Killed process abc (x)".utf8)) == nil)
        #expect(OOMLine.killedPID(Array("Killed process 99999999999 (x)".utf8)) == nil)
        #expect(OOMLine.killedPID(Array("pid=5 without the tag".utf8)) == nil)
        #expect(OOMLine.killedPID([]) == nil)
    }
}

@Suite struct MemoryCgroupTests {
    @Test func v1MemoryControllerWinsOnAHybrid() {
        let file = "12:memory:/swtop-test\n9:name=systemd:/system.slice/x.service\n0::/system.slice/x.service\n"
        #expect(MemoryCgroup.parse(Array(file.utf8)) == MemoryCgroup(path: "/swtop-test", isV1: true))
        #expect(MemoryCgroup.parse(Array("4:cpu,memory:/a/b\n".utf8)) == MemoryCgroup(path: "/a/b", isV1: true))
    }

    @Test func v2PathOnAUnifiedMachine() {
        #expect(MemoryCgroup.parse(Array("0::/user.slice/user-1000.slice/session-3.scope\n".utf8))
            == MemoryCgroup(path: "/user.slice/user-1000.slice/session-3.scope", isV1: false))
    }

    @Test func nothingUsable() {
        #expect(MemoryCgroup.parse([]) == nil)
        #expect(MemoryCgroup.parse(Array("garbage\n1:cpu:relative\n".utf8)) == nil)
    }
}

@Suite struct CrashLoopTests {
    typealias Identity = CrashLoopDetector.Identity

    static func exit(_ pid: Int32, at time: Double, _ outcome: Outcome, command: String = "worker --run", parent: Int32 = 10) -> ExitRecord {
        let facts = ProcessFacts(
            key: ProcessKey(id: pid, startTicks: UInt64(pid)), name: "worker", cmdline: command.split(separator: " ").map(String.init),
            ppid: parent, uid: 0, user: "root", startTime: time - 1)
        return ExitRecord(process: facts, outcome: outcome, source: .procConnector, time: time)
    }

    static func run(_ command: String, parent: Int32 = 10) -> Identity? {
        .command(command.split(separator: " ").map(String.init), parent: parent)
    }

    /// `while :; do server; sleep 1; done`: each run fails, the parent starts it again.
    @Test func theThirdRestartWithinAMinuteStartsALoop() throws {
        var d = CrashLoopDetector()
        #expect(d.started(pid: 1, as: Self.run("worker --run"), time: 0) == nil)
        d.ended(Self.exit(1, at: 1, .exited(code: 1)))
        #expect(d.started(pid: 2, as: Self.run("worker --run"), time: 2) == nil)  // restart 1
        d.ended(Self.exit(2, at: 3, .killed(signal: 11)))
        #expect(d.started(pid: 3, as: Self.run("worker --run"), time: 4) == nil)  // restart 2
        d.ended(Self.exit(3, at: 5, .exited(code: 2)))
        let started = d.started(pid: 4, as: Self.run("worker --run"), time: 6)  // restart 3
        let loop = try #require(started)
        #expect(loop.restarts == 3)
        #expect(loop.pids == [2, 3, 4])
        #expect(loop.lastOutcome == .exited(code: 2))
        #expect(loop.parent == 10)
        #expect(loop.command == "worker --run")
        #expect(d.isLooping(pid: 4, now: 7))
        // Reported once; still looping at the next restart.
        d.ended(Self.exit(4, at: 8, .exited(code: 2)))
        #expect(d.started(pid: 5, as: Self.run("worker --run"), time: 9) == nil)
        #expect(d.loops(now: 10).map(\.restarts) == [4])
        // A minute without an end clears it.
        #expect(!d.isLooping(pid: 5, now: 69))
        #expect(d.loops(now: 69).isEmpty)
    }

    /// `for i in 1 2 3; do grep -q nomatch /etc/hostname; done`: three failed runs, two
    /// restarts, and the script goes on: no loop.
    @Test func aScriptThatRanAFailingCommandThreeTimesIsNoLoop() {
        var d = CrashLoopDetector()
        for pid: Int32 in 1...3 {
            #expect(d.started(pid: pid, as: Self.run("grep -q nomatch /etc/hostname"), time: Double(pid)) == nil)
            d.ended(Self.exit(pid, at: Double(pid) + 0.001, .exited(code: 1), command: "grep -q nomatch /etc/hostname"))
        }
        #expect(d.loops(now: 4).isEmpty)
    }

    /// Three children forked at once, each failing: none started after another ended.
    @Test func threeForksOfOneParentAreNoLoop() {
        var d = CrashLoopDetector()
        for pid: Int32 in 1...3 { #expect(d.started(pid: pid, as: .fork(of: 10), time: 0) == nil) }
        for pid: Int32 in 1...3 { d.ended(Self.exit(pid, at: 1, .exited(code: 1), command: "python3 fork.py")) }
        #expect(d.loops(now: 2).isEmpty)
    }

    /// `bash -c '/bin/false; ls /nonexistent; grep -q x /dev/null'`, and runs whose command
    /// line was never read: no loop.
    @Test func differentProgramsAndUnknownCommandsAreNoLoop() {
        var d = CrashLoopDetector()
        for (pid, command) in [(1, "/bin/false"), (2, "ls /nonexistent"), (3, "grep -q x /dev/null"), (4, "/bin/false")] {
            #expect(d.started(pid: Int32(pid), as: Self.run(command), time: Double(pid)) == nil)
            d.ended(Self.exit(Int32(pid), at: Double(pid) + 0.5, .exited(code: 1), command: command))
        }
        #expect(Identity.command([], parent: 10) == nil)
        var unknown = CrashLoopDetector()
        for pid: Int32 in 1...6 {
            #expect(unknown.started(pid: pid, as: nil, time: Double(pid)) == nil)
            unknown.ended(Self.exit(pid, at: Double(pid) + 0.5, .exited(code: 1), command: ""))
        }
        #expect(d.loops(now: 5).isEmpty && unknown.loops(now: 7).isEmpty)
    }

    /// A master that respawns its killed worker (a fork, no exec, which retitles itself): the
    /// workers are runs of the master's program, whatever their title. The first worker was
    /// there before swtop: it counts as either kind of run.
    @Test func aMasterRespawningKilledWorkersIsALoop() throws {
        var d = CrashLoopDetector()
        d.ended(Self.exit(1, at: 0, .killed(signal: 9), command: "nginx: worker process"))
        var loop: CrashLoop?
        for pid: Int32 in 2...4 {
            loop = d.started(pid: pid, as: .fork(of: 10), time: Double(pid))
            if pid < 4 { d.ended(Self.exit(pid, at: Double(pid) + 0.5, .killed(signal: 9), command: "nginx: worker process")) }
        }
        let found = try #require(loop)
        #expect(found.command == "nginx: worker process")
        #expect(found.pids == [2, 3, 4])
        #expect(found.lastOutcome == .killed(signal: 9))
    }

    @Test func cleanEndsAndSpreadOutRestartsAreNoLoop() {
        var d = CrashLoopDetector()
        for pid: Int32 in 1...5 {
            _ = d.started(pid: pid, as: Self.run("job"), time: Double(pid))
            d.ended(Self.exit(pid, at: Double(pid) + 0.5, .exited(code: 0), command: "job"))
        }
        #expect(d.loops(now: 6).isEmpty)
        var slow = CrashLoopDetector()
        for pid: Int32 in 1...5 {
            #expect(slow.started(pid: pid, as: Self.run("job"), time: Double(pid) * 40) == nil)
            slow.ended(Self.exit(pid, at: Double(pid) * 40 + 1, .exited(code: 1), command: "job"))
        }
    }
}

@Suite struct EventWordsTests {
    static let facts = ProcessFacts(key: ProcessKey(id: 4242, startTicks: 1), name: "worker", cmdline: ["worker"], ppid: 1234, uid: 0, user: "root", startTime: 1000)

    /// The last 500 keep what needs attention: the oldest clean exits go first, then the
    /// oldest events.
    @Test func trimDropsCleanExitsFirst() {
        func exit(_ pid: Int32, _ code: Int32) -> LifecycleEvent {
            var facts = Self.facts
            facts.key = ProcessKey(id: pid, startTicks: 1)
            let record = ExitRecord(process: facts, outcome: .exited(code: code), source: .procConnector, time: 1000 + Double(pid))
            return LifecycleEvent(time: record.time, process: facts, kind: .exit(record))
        }
        var events = [exit(1, 9), exit(2, 0), exit(3, 1), exit(4, 0), exit(5, 0), exit(6, 2)]
        LifecycleEvent.trim(&events, to: 5)
        #expect(events.map(\.process.pid) == [1, 3, 4, 5, 6])
        events.insert(exit(2, 0), at: 1)
        LifecycleEvent.trim(&events, to: 4)
        #expect(events.map(\.process.pid) == [1, 3, 5, 6])
        LifecycleEvent.trim(&events, to: 2)
        #expect(events.map(\.process.pid) == [3, 6])
        LifecycleEvent.trim(&events, to: 5)
        #expect(events.map(\.process.pid) == [3, 6])
    }

    @Test func eachKindInWords() {
        let oom = ExitRecord(process: Self.facts, outcome: .oomKilled, source: .procConnector, time: 1003.2)
        #expect(LifecycleEvent(time: 1003.2, process: Self.facts, kind: .exit(oom)).words == "OOM-killed after 3.2 s")
        let segv = ExitRecord(process: Self.facts, outcome: .coreDumped(signal: 11), source: .pidfd, time: 1000.004)
        #expect(LifecycleEvent(time: 0, process: Self.facts, kind: .exit(segv)).words == "SIGSEGV, core dumped after 4 ms")
        var stopped = ExitRecord(process: Self.facts, outcome: .killed(signal: 9), source: .pidfd, time: 1130)
        stopped.stoppedBySwtop = .forced
        #expect(LifecycleEvent(time: 0, process: Self.facts, kind: .exit(stopped)).words == "killed by SIGKILL after 2m 10s (stopped by swtop: needed SIGKILL)")
        #expect(LifecycleEvent(time: 0, process: Self.facts, kind: .zombie(outcome: .exited(code: 7), parentName: "python3", unreaped: ZombieAge(seconds: 130, isLowerBound: false))).words
            == "zombie of 1234 python3 for 2m 10s (exited 7)")
        // One that was there before swtop watched has waited at least that long.
        #expect(LifecycleEvent(time: 0, process: Self.facts, kind: .zombie(outcome: .exited(code: 7), parentName: nil, unreaped: ZombieAge(seconds: 12, isLowerBound: true))).words
            == "zombie of 1234 for ≥ 12.0 s (exited 7)")
        // One ending, one description, from one function.
        var graceful = ExitRecord(process: Self.facts, outcome: .killed(signal: 15), source: .procConnector, time: 1040.8)
        graceful.stoppedBySwtop = .graceful
        #expect(LifecycleEvent(time: 0, process: Self.facts, kind: .exit(graceful)).words == "killed by SIGTERM after 40.8 s (stopped by swtop: SIGTERM was enough)")
        #expect(graceful.words == Outcome.killed(signal: 15).described(lifetime: 40.8, stoppedBySwtop: .graceful))
        #expect(LifecycleEvent(time: 0, process: Self.facts, kind: .orphan(formerParent: 99, formerParentName: "sh")).words
            == "orphaned: 99 sh exited, now a child of 1234")
        let loop = CrashLoop(restarts: 5, window: 60, lastOutcome: .exited(code: 1), pids: [1, 2, 3, 4, 5], command: "worker", parent: 1234)
        #expect(LifecycleEvent(time: 0, process: Self.facts, kind: .crashLoop(loop)).words == "crash loop: 5 restarts in 60 s, last exited 1")
    }

    @Test func durations() {
        #expect(LifecycleEvent.duration(0.0004) == "0 ms")
        #expect(LifecycleEvent.duration(0.25) == "250 ms")
        #expect(LifecycleEvent.duration(3.25) == "3.3 s")
        #expect(LifecycleEvent.duration(59.96) == "60.0 s")
        #expect(LifecycleEvent.duration(61) == "1m 1s")
        #expect(LifecycleEvent.duration(3 * 3600 + 300) == "3h 5m")
        #expect(LifecycleEvent.duration(2 * 86400 + 4 * 3600) == "2d 4h")
        #expect(LifecycleEvent.duration(-1) == "?")
        #expect(LifecycleEvent.duration(.nan) == "?")
    }
}
