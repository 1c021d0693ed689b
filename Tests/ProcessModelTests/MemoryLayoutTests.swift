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
        // status (4).
        #expect(MemoryLayout<ProcessEntry.Fields>.size == 216)
        #expect(MemoryLayout<ProcessEntry.Fields>.stride == 216)
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
        p.rssKB = nil
        p.vszKB = nil
        #expect(p.rssKB == nil && p.vszKB == nil)
        p.tid = 8
        p.uid = 0
        p.rssKB = 0
        p.vszKB = 12
        p.startTime = 0
        #expect(p.tid == 8 && p.uid == 0 && p.rssKB == 0 && p.vszKB == 12 && p.startTime == 0)
        p.tid = nil
        p.uid = nil
        p.rssKB = nil
        #expect(p.tid == nil && p.uid == nil && p.rssKB == nil)
    }
}
