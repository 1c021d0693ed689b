import Testing
import TestSupport
@testable import ProcFS
@testable import ProcessModel
@testable import Sampling

/// A process as the model builds it from /proc, with the fields a test cares about.
func entry(
    pid: Int32, ppid: Int32 = 1, name: String = "p", state: Character = "S", start: UInt64 = 1, utime: UInt64 = 0, rss: UInt64? = nil,
    tid: Int32? = nil, threads: Int32 = 1, cmdline: [[UInt8]]? = nil, io: ProcIO? = nil
) -> ProcessEntry {
    let stat = ProcStat(pid: tid ?? pid, comm: Array(name.utf8), state: UInt8(ascii: state.unicodeScalars.first ?? "S"), ppid: ppid, pgrp: pid, session: pid, ttyNr: 0, flags: 0, utime: utime, stime: 0, priority: 20, nice: 0, numThreads: threads, startTime: start, vsize: 0, rss: 0)
    var raw = RawProcess(stat: stat, pid: pid, tid: tid, statm: rss.map { ProcStatm(size: $0, resident: $0, shared: 0) }, cmdline: cmdline)
    raw.io = io
    return ProcessEntry(raw: raw, pageSizeKB: 4)
}

func shape(_ rows: [ProcessListing.Row]) -> String {
    rows.map { "\($0.entry.id):\($0.depth ?? -1)" }.joined(separator: " ")
}

@Suite struct ProcessTreeTests {
    @Test func hardcasesForest() throws {
        let s = try hardcases()
        let rows = ProcessListing(tree: true).rows(of: s.processes)
        #expect(shape(rows) == "1:0 100:1 101:1 102:1 103:1 104:1 105:1 106:1 107:1 110:1 109:2 113:1 114:1 115:1 116:1 117:1 118:1 121:1 2:0 108:1 119:0 120:1")
    }

    @Test func recordedZombiesForest() throws {
        let s = try Sampler(root: Paths.fixture("zombies")).sample()
        let rows = ProcessListing(tree: true).rows(of: s.processes)
        let kernel = (3...40).map { "\($0):1" } + (42...55).map { "\($0):1" } + ["58:1", "76:1", "78:1", "87:1", "15592:1"]
        let expected = ["1:0", "1296:1", "1297:2", "15609:3", "15610:4", "15615:5", "15619:5", "15620:5", "14462:1", "14463:2", "15614:1", "15617:2", "15618:2", "2:0"] + kernel
        #expect(shape(rows) == expected.joined(separator: " "))
        // The zombies, and whose children they are.
        let zombies = s.processes.filter { $0.state == .zombie }
        #expect(zombies.map(\.pid) == [15617, 15618])
        #expect(zombies.map(\.ppid) == [15614, 15614])
        #expect(s.process(15614)?.cmdline == ["sleep", "600"])
        #expect(s.processes.filter { $0.state == .stopped }.map(\.pid) == [15615])
        #expect(s.tasks.zombie == 2)
        #expect(s.tasks.stopped == 1)
    }

    @Test func recordedThreadsFixtureHasOneProcessWithFortyOneThreads() throws {
        let s = try Sampler(root: Paths.fixture("threads")).sample(SampleOptions(threads: true))
        let python = s.processes.filter { $0.name == "python3" }
        #expect(python.count == 41)
        #expect(Set(python.map(\.pid)).count == 1)
        #expect(python.allSatisfy { $0.threads == 41 })
        let rows = ProcessListing(tree: true).rows(of: s.processes)
        let depths = rows.filter { $0.entry.name == "python3" }.map { $0.depth ?? -1 }
        #expect(depths.count == 41)
        #expect(Set(depths.dropFirst()) == [depths[0] + 1])
    }

    @Test func cyclesAndSelfParentsAppearOnce() {
        let list = [entry(pid: 5, ppid: 6), entry(pid: 6, ppid: 7), entry(pid: 7, ppid: 5), entry(pid: 8, ppid: 8), entry(pid: 9, ppid: 0)]
        let tree = ProcessTree(list)
        #expect(tree.rows.map { list[$0.index].pid }.sorted() == [5, 6, 7, 8, 9])
        #expect(tree.rows.map { "\(list[$0.index].pid):\($0.depth)" } == ["8:0", "9:0", "5:0", "7:1", "6:2"])
    }

    @Test func orphansAreRoots() {
        let list = [entry(pid: 10, ppid: 1), entry(pid: 11, ppid: 10), entry(pid: 12, ppid: 999)]
        #expect(ProcessTree(list).rows.map { "\(list[$0.index].pid):\($0.depth)" } == ["10:0", "11:1", "12:0"])
    }

    @Test func aDeepChainDoesNotOverflowTheStack() {
        let list = (1...20000).map { entry(pid: Int32($0), ppid: Int32($0 - 1)) }
        let tree = ProcessTree(list)
        #expect(tree.rows.count == 20000)
        #expect(tree.rows.last?.depth == 19999)
    }

    @Test func collapsedBranchesHideTheirChildren() throws {
        let s = try hardcases()
        let rows = ProcessListing(tree: true, collapsed: [110, 2]).rows(of: s.processes)
        #expect(shape(rows) == "1:0 100:1 101:1 102:1 103:1 104:1 105:1 106:1 107:1 110:1 113:1 114:1 115:1 116:1 117:1 118:1 121:1 2:0 119:0 120:1")
        #expect(rows.first { $0.entry.pid == 2 }?.tree?.childCount == 1)
    }

    @Test func siblingsFollowTheSortKey() throws {
        let list = [entry(pid: 1, ppid: 0), entry(pid: 2, ppid: 1, rss: 10), entry(pid: 3, ppid: 1, rss: 30), entry(pid: 4, ppid: 3, rss: 5), entry(pid: 5, ppid: 1, rss: 20)]
        let rows = ProcessListing(sortKey: .rss, tree: true).rows(of: list)
        #expect(shape(rows) == "1:0 3:1 4:2 5:1 2:1")
    }
}
