import Foundation
import Testing
import TestSupport
@testable import ProcFS
@testable import ProcessModel
@testable import Sampling

func hardcases(threads: Bool = false, files: ProcessFiles = .standard) throws -> Snapshot {
    try Sampler(root: Paths.fixture("hardcases")).sample(SampleOptions(files: files, threads: threads))
}

extension Snapshot {
    func process(_ pid: Int32) -> ProcessEntry? { processes.first { $0.pid == pid && ($0.tid == nil || $0.tid == pid) } }
}

@Suite struct SnapshotTests {
    /// A replayed tree was sampled when it was recorded: its boot time plus uptime.
    @Test func aRecordingsTimeIsWhenItWasRecorded() throws {
        let s = try hardcases()
        #expect(s.time == 1_700_000_000 + 3725.5)
    }

    /// Thread rows of a recording have their process's command line (a recording keeps only
    /// the process's cmdline).
    @Test func threadRowsCarryTheirProcesssCommandLine() throws {
        let rows = try hardcases(threads: true).processes.filter { $0.pid == 121 }
        #expect(rows.map(\.tid) == [121, 122])
        #expect(rows.map(\.cmdline) == [["threaded"], ["threaded"]])
    }

    /// CPU time comes in clock ticks: over a short interval a tick more reads as more than a
    /// thread can use. At most 100% per thread, and per online CPU.
    @Test func cpuPercentIsAtMostWhatTheThreadsCanUse() throws {
        func entry(_ pid: Int32, utime: UInt64, threads: Int32, tid: Int32? = nil) -> ProcessEntry {
            ProcessModelTests.entry(pid: pid, utime: utime, tid: tid, threads: threads)
        }
        let system = SystemInfo(hostname: "h", uptime: nil, load: nil, cpuTimes: nil, memory: nil, cpus: 2)
        let before = Snapshot(time: 0, monotonic: 0, system: system, processes: [entry(10, utime: 0, threads: 1), entry(20, utime: 0, threads: 3), entry(30, utime: 0, threads: 1), entry(40, utime: 0, threads: 4, tid: 41)], clockTicksPerSecond: 100)
        // 0.1 s: 10 ticks of one CPU. 12 ticks for a single thread is a counting artefact.
        var after = Snapshot(time: 0.1, monotonic: 0.1, system: system, processes: [entry(10, utime: 12, threads: 1), entry(20, utime: 30, threads: 3), entry(30, utime: 5, threads: 1), entry(40, utime: 12, threads: 4, tid: 41)], clockTicksPerSecond: 100)
        after.computeCPU(since: before)
        #expect(after.processes.map(\.cpuPercent) == [100, 200, 50, 100])

        // Threads that exited between the samples still count in the process's time.
        let busy = Snapshot(time: 0, monotonic: 0, system: system, processes: [entry(50, utime: 0, threads: 4)], clockTicksPerSecond: 100)
        var joined = Snapshot(time: 0.1, monotonic: 0.1, system: system, processes: [entry(50, utime: 19, threads: 1)], clockTicksPerSecond: 100)
        joined.computeCPU(since: busy)
        #expect(joined.processes.map(\.cpuPercent) == [190])
    }

    @Test func everyParseableProcessOnce() throws {
        let s = try hardcases()
        #expect(s.processes.map(\.pid) == [1, 2] + Array(100...110) + Array(113...121))
        #expect(s.system.hostname == "fixture-host")
        #expect(s.system.cpus == 2)
        #expect(s.interval == 0)
    }

    @Test func taskCounts() throws {
        var expected = TaskCounts()
        expected.total = 22
        expected.threads = 21  // 20 userland processes, one of them with two threads
        expected.kernelThreads = 2
        expected.running = 0
        expected.sleeping = 19
        expected.diskSleep = 0
        expected.stopped = 1
        expected.zombie = 1
        expected.idle = 1
        #expect(try hardcases().tasks == expected)
    }

    @Test func fieldsOfAnOrdinaryProcess() throws {
        let p = try #require(try hardcases().process(1))
        #expect(p.ppid == 0)
        #expect(p.pgid == 1)
        #expect(p.sid == 1)
        #expect(p.uid == 0)
        #expect(p.user == "root")
        #expect(p.name == "init")
        #expect(p.cmdline == ["/sbin/init", "splash"])
        #expect(p.commandLine == "/sbin/init splash")
        #expect(p.state == .sleeping)
        #expect(p.threads == 1)
        #expect(p.priority == 20)
        #expect(p.nice == 0)
        #expect(p.rssKB == 400)
        #expect(p.vszKB == 8192)
        #expect(abs((p.memPercent ?? 0) - 0.04) < 1e-12)
        #expect(p.cpuTicks == 200)
        #expect(p.startTime == 1_700_000_000.05)
        #expect(p.cpuPercent == nil)
        #expect(p.key == ProcessKey(id: 1, startTicks: 5))
    }

    @Test func namesAreDecodedLossilyAndEscapedForDisplay() throws {
        let s = try hardcases()
        #expect(s.process(100)?.name == ") R 1 2 (")
        #expect(s.process(102)?.name == "line1\nline2")
        #expect(s.process(105)?.name == "")
        #expect(s.process(106)?.name == "bad\u{FFFD}\u{FFFD}utf8")
        #expect(s.process(107)?.name == "\u{1B}]0;pwned\u{07}")
        #expect(DisplayText.escaped(try #require(s.process(107)?.name)) == "\\x1b]0;pwned\\x07")
        #expect(DisplayText.escaped(try #require(s.process(102)?.name)) == "line1\\nline2")
        #expect(DisplayText.escaped(try #require(s.process(107)?.commandLine)) == "\\x1b[2J\\x1b[31mred")
        #expect(s.process(106)?.cmdline == ["bad\u{FFFD}arg"])
    }

    @Test func zombieAndKernelThreadsShowTheirNameInBrackets() throws {
        let s = try hardcases()
        let zombie = try #require(s.process(109))
        #expect(zombie.state == .zombie)
        #expect(zombie.state.name == "zombie")
        #expect(zombie.cmdline == [])
        #expect(zombie.commandLine == "[defunct-kid]")
        #expect(zombie.rssKB == 0)
        let kworker = try #require(s.process(108))
        #expect(kworker.isKernelThread)
        #expect(kworker.state == .idle)
        #expect(kworker.commandLine == "[kworker/u16:2-events_unbound_with_a_name_that_is_64_bytes_long!x]")
        #expect(kworker.nice == -20)
    }

    @Test func missingFilesGiveNulls() throws {
        let p = try #require(try hardcases().process(113))
        #expect(p.uid == nil)
        #expect(p.user == nil)
        // Memory from stat's rss (100 pages) and vsize, the counters statm and status repeat.
        #expect(p.rssKB == 400)
        #expect(p.vszKB == 8192)
        #expect(p.memPercent == 0.04)
        #expect(p.cmdline == ["nostatus"])
    }

    @Test func onlyTheFilesAsked() throws {
        let p = try #require(try hardcases(files: []).process(1))
        #expect(p.cmdline == nil)
        #expect(p.uid == nil)
        #expect(p.rssKB == 400)
        #expect(p.commandLine == "[init]")
    }

    @Test func threadRows() throws {
        let s = try hardcases(threads: true)
        let rows = s.processes.filter { $0.pid == 121 }
        #expect(rows.map(\.tid) == [121, 122])
        #expect(rows.map(\.name) == ["threaded", "worker-1"])
        #expect(rows[1].parentID == 121)
        #expect(rows[1].isSecondaryThread)
        #expect(rows[1].nice == 5)
        #expect(rows[1].uid == 1000)
        // Threads do not count as processes.
        #expect(s.tasks.total == 22)
        #expect(s.processes.count == 23)
    }

    @Test func stateLettersAndNames() {
        let letters = "RSDZTtXxIKWP?"
        let names = letters.utf8.map { ProcessState(letter: $0).name }
        #expect(names == ["running", "sleeping", "disk sleep", "zombie", "stopped", "tracing stop", "dead", "dead", "idle", "wakekill", "waking", "parked", "unknown"])
        #expect(letters.utf8.map { ProcessState(letter: $0).letter }.joined() == "RSDZTtXXIKWP?")
        #expect(ProcessState(letter: 0x1B).letter == "?")
    }
}
