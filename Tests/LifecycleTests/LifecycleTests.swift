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
        // Two messages in one datagram, and an event kind swtop does not use (its sequence still counts).
        let two = Self.parse(Self.datagram(what: 0x200, sequence: 11, data: [1, 1]) + Self.datagram(what: 2, sequence: 12, data: [5, 5]))
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
    static func exit(_ pid: Int32, at time: Double, _ outcome: Outcome, command: String = "worker --run", parent: Int32 = 10) -> ExitRecord {
        let facts = ProcessFacts(
            key: ProcessKey(id: pid, startTicks: UInt64(pid)), name: "worker", cmdline: command.split(separator: " ").map(String.init),
            ppid: parent, uid: 0, user: "root", startTime: time - 1)
        return ExitRecord(process: facts, outcome: outcome, source: .procConnector, time: time)
    }

    @Test func thirdAbnormalEndWithinAMinuteStartsALoop() throws {
        var d = CrashLoopDetector()
        #expect(d.record(Self.exit(1, at: 100, .exited(code: 1))) == nil)
        #expect(d.record(Self.exit(2, at: 110, .killed(signal: 11))) == nil)
        let started = d.record(Self.exit(3, at: 120, .exited(code: 2)))
        let loop = try #require(started)
        #expect(loop.restarts == 3)
        #expect(loop.pids == [1, 2, 3])
        #expect(loop.lastOutcome == .exited(code: 2))
        #expect(loop.parent == 10)
        #expect(loop.command == "worker --run")
        // Reported once; still looping at the next end.
        #expect(d.record(Self.exit(4, at: 125, .exited(code: 2))) == nil)
        #expect(d.isLooping(command: "worker --run", parent: 10, now: 130))
        // A run that lasts a minute without ending clears it.
        #expect(!d.isLooping(command: "worker --run", parent: 10, now: 186))
    }

    @Test func successesSpreadOutEndsAndOtherParentsAreNoLoop() {
        var d = CrashLoopDetector()
        for (i, t) in [0.0, 1, 2, 3].enumerated() { #expect(d.record(Self.exit(Int32(i), at: t, .exited(code: 0))) == nil) }
        #expect(d.record(Self.exit(10, at: 0, .exited(code: 1))) == nil)
        #expect(d.record(Self.exit(11, at: 40, .exited(code: 1))) == nil)
        #expect(d.record(Self.exit(12, at: 70, .exited(code: 1))) == nil)  // the first is out of the window
        var other = CrashLoopDetector()
        #expect(other.record(Self.exit(1, at: 0, .exited(code: 1), parent: 1)) == nil)
        #expect(other.record(Self.exit(2, at: 1, .exited(code: 1), parent: 2)) == nil)
        #expect(other.record(Self.exit(3, at: 2, .exited(code: 1), parent: 3)) == nil)
    }
}

@Suite struct EventWordsTests {
    static let facts = ProcessFacts(key: ProcessKey(id: 4242, startTicks: 1), name: "worker", cmdline: ["worker"], ppid: 1234, uid: 0, user: "root", startTime: 1000)

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
