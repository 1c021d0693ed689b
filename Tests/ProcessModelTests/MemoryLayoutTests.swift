import Testing
@testable import ProcFS
@testable import ProcessModel

/// The screen keeps several of these per process; at 50,000 processes each byte is 50 KB of
/// peak RSS. These sizes are what the memory figures in docs/performance.md were measured with.
@Suite struct MemoryLayoutTests {
    @Test func perProcessSizes() {
        // 147 bytes of fields since the unused last-CPU field went; issue 10 added 65 (the
        // membership pointer, I/O bytes and rates, the oldest zombie child's age, OOM score and
        // adjustment, namespace pid, zombie children, namespace init), issue 9 a zombie's wait
        // status (4): 216. Issue 18 moved what only some processes have (limits, I/O, the
        // oldest zombie child's age, OOM score) behind one pointer: 168, so a box with its
        // object header is 184 bytes and malloc gives it 192 instead of 240.
        #expect(MemoryLayout<ProcessEntry.Fields>.size == 168)
        #expect(MemoryLayout<ProcessEntry.Fields>.stride == 168)
        #expect(MemoryLayout<ProcessEntry>.stride == 24)
        #expect(MemoryLayout<ProcessListing.Row>.stride == 40)
        #expect(MemoryLayout<ProcessTree.Row>.stride == 16)
    }

    /// Unknown values are stored as sentinels; what comes out is still nil.
    @Test func unknownValuesStayUnknown() {
        var p = entry(pid: 7)
        #expect(p.tid == nil && p.uid == nil && p.startTime == nil && p.cpuPercent == nil && p.memPercent == nil)
        // Memory is stat's own (0 pages here) when statm and status were not read.
        #expect(p.rssKB == 0 && p.vszKB == 0)
        #expect(p.ioReadBytes == nil && p.ioReadRate == nil && p.oomScore == nil && p.nsPID == nil && p.waitStatus == nil)
        // Nor stat's resident count known (negative): unknown.
        let stat = ProcStat(
            pid: 8, comm: [], state: UInt8(ascii: "S"), ppid: 1, pgrp: 7, session: 7, ttyNr: 0, flags: 0, utime: 0, stime: 0,
            priority: 20, nice: 0, numThreads: 1, startTime: 1, vsize: 12 * 1024, rss: -1)
        #expect(ProcessEntry(raw: RawProcess(stat: stat, pid: 7, tid: 8), pageSizeKB: 4).rssKB == nil)
        // Known values next to the sentinels (0, uid 0) are known.
        var known = ProcessEntry(raw: RawProcess(stat: stat, pid: 7, tid: 8, statm: ProcStatm(size: 3, resident: 0, shared: 0), status: ProcStatus(uids: [0])), pageSizeKB: 4)
        known.startTime = 0
        known.setIORates(read: 0, write: 0)
        #expect(known.tid == 8 && known.uid == 0 && known.rssKB == 0 && known.vszKB == 12 && known.startTime == 0 && known.ioRate == 0)
        known.startTime = nil
        known.setOwner(uid: nil, user: nil)
        known.setIORates(read: nil, write: 0)
        #expect(known.uid == nil && known.startTime == nil && known.ioReadRate == nil && known.ioWriteRate == 0 && known.ioRate == nil)
        p.startTime = 0
        #expect(p.startTime == 0)
    }
}
