import Testing
@testable import ProcFS

@Suite struct ProcFilesTests {
    @Test func statm() {
        #expect(ProcStatm.parse(Array("2048 100 50 10 0 300 0\n".utf8)) == ProcStatm(size: 2048, resident: 100, shared: 50))
        #expect(ProcStatm.parse(Array("2048 100".utf8)) == nil)
        #expect(ProcStatm.parse([]) == nil)
    }

    @Test func statusUidsThreadsAndTgid() throws {
        let text = "Name:\tbash\nTgid:\t77\nPid:\t78\nPPid:\t1\nUid:\t1000\t1001\t1002\t1003\nGid:\t5\t6\t7\t8\nThreads:\t4\nVmSwap:\t      12 kB\n"
        let status = try #require(ProcStatus.parse(Array(text.utf8)))
        #expect(status == ProcStatus(uids: [1000, 1001, 1002, 1003], gids: [5, 6, 7, 8], tgid: 77, threads: 4, vmSwap: 12))
        #expect(status.realUID == 1000)
    }

    /// VmSize and VmRSS are statm's size and resident, in kB: with them, statm is not read.
    @Test func statusMemoryLinesStandInForStatm() throws {
        let text = "Name:\tsleep\nTgid:\t5\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nVmPeak:\t    8300 kB\nVmSize:\t    8192 kB\nVmHWM:\t    1700 kB\nVmRSS:\t    1600 kB\nVmSwap:\t       0 kB\nThreads:\t1\nSigQ:\t0/1000\n"
        let status = try #require(ProcStatus.parse(Array(text.utf8)))
        #expect(status.vmSizeKB == 8192)
        #expect(status.vmRSSKB == 1600)
        #expect(status.hasMemory)
        // A kernel thread or a zombie has no memory lines: then statm is read.
        let kernelThread = try #require(ProcStatus.parse(Array("Name:\tkthreadd\nTgid:\t2\nUid:\t0\t0\t0\t0\nThreads:\t1\n".utf8)))
        #expect(!kernelThread.hasMemory)
    }

    @Test func statusCutShortKeepsWhatIsThere() throws {
        let status = try #require(ProcStatus.parse(Array("Name:\tx\nTgid:\t9\nUid:\t0\t0".utf8)))
        #expect(status.tgid == 9)
        #expect(status.uids == [0, 0])
        #expect(status.threads == nil)
        #expect(ProcStatus.parse(Array("garbage".utf8)) == nil)
    }

    @Test func cmdlineWithAndWithoutTrailingNUL() {
        #expect(ProcCmdline.parse(Array("/sbin/init\0splash\0".utf8)).map { String(decoding: $0, as: UTF8.self) } == ["/sbin/init", "splash"])
        #expect(ProcCmdline.parse(Array("nginx: worker process\0extra".utf8)).map { String(decoding: $0, as: UTF8.self) } == ["nginx: worker process", "extra"])
        #expect(ProcCmdline.parse([]) == [])
        #expect(ProcCmdline.parse([0]) == [[]])
        #expect(ProcCmdline.parse(Array("a\0\0b\0".utf8)).map { String(decoding: $0, as: UTF8.self) } == ["a", "", "b"])
    }

    @Test func limitsAllResources() throws {
        let bytes = try #require(fileBytesIn("hardcases", "1/limits"))
        let limits = try #require(ProcLimits.parse(bytes))
        #expect(limits.limits.map(\.resource) == ["cpu", "fsize", "data", "stack", "core", "rss", "nproc", "nofile", "memlock", "as", "locks", "sigpending", "msgqueue", "nice", "rtprio", "rttime"])
        #expect(limits["nofile"] == ProcLimits.Limit(resource: "nofile", name: "Max open files", soft: .limited(1024), hard: .limited(524288), unit: "files"))
        #expect(limits["stack"] == ProcLimits.Limit(resource: "stack", name: "Max stack size", soft: .limited(8_388_608), hard: .unlimited, unit: "bytes"))
        #expect(limits["nice"] == ProcLimits.Limit(resource: "nice", name: "Max nice priority", soft: .limited(0), hard: .limited(0), unit: nil))
        #expect(limits["rttime"]?.unit == "us")
        #expect(limits["cpu"]?.soft == .unlimited)
        #expect(ProcLimits.parse(Array("Limit   Soft Limit   Hard Limit   Units\n".utf8)) == nil)
    }

    @Test func systemStat() throws {
        let text = "cpu  1000 20 300 50000 40 0 10 0 0 0\ncpu0 600 10 200 25000 20 0 5 0 0 0\ncpu1 400 10 100 25000 20 0 5 0 0 0\nintr 0\nbtime 1700000000\nprocs_running 2\nprocs_blocked 1\n"
        let stat = try #require(SystemStat.parse(Array(text.utf8)))
        #expect(stat.total.user == 1000)
        #expect(stat.total.total == 1000 + 20 + 300 + 50000 + 40 + 10)
        #expect(stat.perCPU.count == 2)
        #expect(stat.cpuIDs == [0, 1])
        #expect(stat.perCPU[1].system == 100)
        #expect(stat.bootTime == 1_700_000_000)
        #expect(stat.procsRunning == 2)
        #expect(stat.procsBlocked == 1)
        // An old kernel with four columns.
        let old = try #require(SystemStat.parse(Array("cpu 1 2 3 4\ncpu0 1 2 3 4\n".utf8)))
        #expect(old.total.idle == 4)
        #expect(old.total.iowait == 0)
        #expect(SystemStat.parse(Array("intr 0\n".utf8)) == nil)
    }

    @Test func meminfoLoadavgUptime() throws {
        let bytes = try #require(fileBytesIn("hardcases", "meminfo"))
        let mem = try #require(Meminfo.parse(bytes))
        #expect(mem.memTotal == 1_000_000)
        #expect(mem.memAvailable == 600_000)
        #expect(mem.memUsed == 400_000)
        #expect(mem.swapUsed == 100_000)
        // Before MemAvailable existed (3.14): estimated.
        let old = try #require(Meminfo.parse(Array("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 10 kB\nCached: 200 kB\n".utf8)))
        #expect(old.memAvailable == 310)
        #expect(LoadAverage.parse(Array("0.52 1.25 2.00 2/345 12345\n".utf8)) == LoadAverage(one: 0.52, five: 1.25, fifteen: 2.0))
        #expect(LoadAverage.parse(Array("0.52".utf8)) == nil)
        #expect(Uptime.parse(Array("3725.50 7000.00\n".utf8)) == Uptime(seconds: 3725.5, idleSeconds: 7000))
        #expect(Uptime.parse(Array("x".utf8)) == nil)
    }
}
