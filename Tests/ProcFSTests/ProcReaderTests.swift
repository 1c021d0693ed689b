import Foundation
import Testing
import TestSupport
@testable import ProcFS

func fileBytesIn(_ fixture: String, _ path: String) -> [UInt8]? {
    fileBytes(Paths.fixture(fixture) + "/" + path)
}

@Suite struct ProcReaderTests {
    let reader: ProcReader

    init() throws {
        reader = try ProcReader(root: Paths.fixture("hardcases"))
    }

    /// Live means the kernel's proc file system, however its path is written; a recorded tree
    /// (even one named proc) is not.
    @Test func liveIsTheProcFileSystemNotAPath() throws {
        #expect(try ProcReader(root: "/proc").isLive)
        #expect(try ProcReader(root: "/proc/").isLive)
        #expect(try ProcReader(root: "/proc//.").isLive)
        #expect(!reader.isLive)
        #expect(try !ProcReader(root: "/tmp").isLive)
    }

    @Test func listsOnlyNumericDirectories() throws {
        #expect(try reader.pids().sorted() == [1, 2] + Array(100...121))
    }

    @Test func missingRootIsAnErrorNamingIt() {
        #expect(throws: ProcRootError(path: "/nonexistent/proc", code: ENOENT)) {
            try ProcReader(root: "/nonexistent/proc")
        }
        #expect(ProcRootError(path: "/x", code: ENOENT).description == "cannot read proc root /x: No such file or directory")
    }

    @Test func hardCaseNames() throws {
        let expected: [Int32: [UInt8]] = [
            100: Array(") R 1 2 (".utf8), 101: Array("a b  c".utf8), 102: Array("line1\nline2".utf8),
            103: Array("(".utf8), 104: Array(")".utf8), 105: [], 106: [0x62, 0x61, 0x64, 0xFF, 0xFE] + Array("utf8".utf8),
            107: [0x1B] + Array("]0;pwned".utf8) + [0x07],
            108: Array("kworker/u16:2-events_unbound_with_a_name_that_is_64_bytes_long!x".utf8),
        ]
        for (pid, comm) in expected {
            let raw = try #require(reader.process(pid), "pid \(pid)")
            #expect(raw.stat.comm == comm, "pid \(pid)")
            #expect(raw.stat.ppid == (pid == 108 ? 2 : 1), "pid \(pid)")
        }
        #expect(try #require(reader.process(108)).stat.comm.count == 64)
    }

    @Test func unparseableStatIsSkipped() {
        #expect(reader.process(111) == nil)  // truncated
        #expect(reader.process(112) == nil)  // empty
        #expect(reader.process(999) == nil)  // gone
    }

    @Test func missingFilesAreNilNotFatal() throws {
        let raw = try #require(reader.process(113))
        #expect(raw.statm == nil)
        #expect(raw.status == nil)
        #expect(raw.cmdline == [Array("nostatus".utf8)])
        #expect(raw.limits == nil)
    }

    @Test func zombie() throws {
        let raw = try #require(reader.process(109))
        #expect(raw.stat.state == UInt8(ascii: "Z"))
        #expect(raw.stat.exitCode == 768)
        #expect(raw.cmdline == [])
        #expect(raw.statm == ProcStatm(size: 0, resident: 0, shared: 0))
    }

    @Test func kernelThreads() throws {
        for pid: Int32 in [2, 108] {
            let raw = try #require(reader.process(pid))
            #expect(raw.stat.isKernelThread)
            #expect(raw.cmdline == [])
        }
        #expect(try #require(reader.process(1)).stat.isKernelThread == false)
    }

    @Test func cmdlineLargeAndWithoutTrailingNUL() throws {
        let big = try #require(reader.process(115)?.cmdline)
        #expect(big.count == 256)
        #expect(big.allSatisfy { $0 == [UInt8](repeating: 0x41, count: 1023) })
        #expect(try #require(reader.process(114)?.cmdline) == [Array("nginx: worker process".utf8), Array("extra".utf8)])
    }

    @Test func olderAndNewerKernels() throws {
        let old = try #require(reader.process(116))
        #expect(old.stat.exitCode == nil)
        #expect(old.stat.processor == 0)
        let new = try #require(reader.process(117))
        #expect(new.stat.exitCode == 0)
        #expect(new.stat.processor == 1)
    }

    @Test func threadsFromTask() throws {
        #expect(reader.tids(of: 121) == [121, 122] || reader.tids(of: 121) == [122, 121])
        #expect(reader.tids(of: 100) == [])
        let thread = try #require(reader.process(121, tid: 122))
        #expect(thread.pid == 121)
        #expect(thread.tid == 122)
        #expect(thread.stat.comm == Array("worker-1".utf8))
        #expect(thread.stat.nice == 5)
        #expect(thread.stat.state == UInt8(ascii: "R"))
    }

    @Test func limitsOnlyWhenAsked() throws {
        #expect(try #require(reader.process(1)).limits == nil)
        let limits = try #require(reader.process(1, files: [.limits])?.limits)
        #expect(limits["nofile"]?.soft == .limited(1024))
    }

    @Test func systemFiles() throws {
        #expect(reader.systemStat()?.bootTime == 1_700_000_000)
        #expect(reader.meminfo()?.memTotal == 1_000_000)
        #expect(reader.loadAverage() == LoadAverage(one: 0.52, five: 1.25, fifteen: 2.0))
        #expect(reader.uptime() == Uptime(seconds: 3725.5, idleSeconds: 7000))
    }

    /// The parser against the kernel: this test process's own files.
    @Test func liveSelfAgreesWithTheKernel() throws {
        let live = try ProcReader()
        let me = getpid()
        let raw = try #require(live.process(me))
        #expect(raw.stat.pid == me)
        #expect(raw.stat.ppid == getppid())
        #expect(raw.stat.pgrp == getpgrp())
        #expect(raw.stat.session == getsid(0))
        #expect(raw.status?.realUID == getuid())
        #expect(raw.status?.uids.dropFirst().first == geteuid())
        #expect(raw.status?.tgid == me)
        let comm = try #require(fileBytes("/proc/self/comm"))
        #expect(raw.stat.comm + [0x0A] == comm)
        let threads = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(me)/task").count
        #expect(abs(Int(raw.stat.numThreads) - threads) <= 2)  // threads may come and go
    }
}

@Suite struct ProcRecorderTests {
    @Test func recordsAndReplaysTheSameBytes() throws {
        let dir = Paths.temporaryDirectory("record") + "/tree"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = try ProcReader(root: Paths.fixture("hardcases"))
        let summary = try ProcRecorder(reader: source).record(to: dir)
        // 111 and 112 have no parseable stat and are left out.
        #expect(summary == ProcRecorder.Summary(processes: 22, threads: 2))
        let copy = try ProcReader(root: dir)
        #expect(try copy.pids().sorted() == [1, 2] + Array(100...110) + Array(113...121))
        for pid in try copy.pids() {
            for file in ["stat", "statm", "status", "cmdline", "limits"] {
                let a = try? source.read("\(pid)/\(file)").get()
                let b = try? copy.read("\(pid)/\(file)").get()
                #expect(a == b, "\(pid)/\(file)")
            }
        }
        #expect(try copy.read("121/task/122/stat").get() == source.read("121/task/122/stat").get())
        #expect(try copy.read("sys/kernel/hostname").get() == Array("fixture-host\n".utf8))
    }

    @Test func refusesANonEmptyDirectory() throws {
        let dir = Paths.temporaryDirectory("record-full")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        FileManager.default.createFile(atPath: dir + "/something", contents: Data())
        let source = try ProcReader(root: Paths.fixture("hardcases"))
        #expect(throws: ProcRecorder.Failure.self) { try ProcRecorder(reader: source).record(to: dir) }
        do {
            _ = try ProcRecorder(reader: source).record(to: dir)
        } catch {
            #expect(error.description == "\(dir) is not empty")
        }
    }
}
