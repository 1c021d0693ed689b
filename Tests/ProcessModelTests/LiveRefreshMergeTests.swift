import Foundation
import Testing
import TestSupport
@testable import ProcFS
@testable import ProcessModel
@testable import Sampling

extension LiveSampling {
    /// The live refresh merges its rows in place (LiveRefresh): the last refresh's rows behind a
    /// gap, the new ones written in front of them. Here, on a recorded tree grown to hundreds of
    /// processes, more processes come at once, at lower pids than all that stay, than the gap has
    /// room for, others go and others run: every refresh must show what a one-shot reading of the
    /// same tree shows, row for row.
    @Suite struct LiveRefreshMergeTests {
        /// A copy of the `hardcases` recording, to add processes to and take them from.
        final class Tree {
            let root = Paths.temporaryDirectory("merge")

            init() throws {
                try? FileManager.default.removeItem(atPath: root)
                try FileManager.default.copyItem(atPath: Paths.fixture("hardcases"), toPath: root)
            }

            deinit { try? FileManager.default.removeItem(atPath: root) }

            /// A sleeping process of one thread named `name`, child of init, started at `start`
            /// ticks, that has run `ran` nanoseconds.
            func add(_ pid: Int32, name: String, start: Int = 0, ran: Int = 1000, utime: Int = 1) throws {
                let dir = "\(root)/\(pid)"
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try put(dir + "/stat", "\(pid) (\(name)) S 1 \(pid) \(pid) 0 -1 4194304 11 0 0 0 \(utime) 0 0 0 20 0 1 0 \(start == 0 ? Int(pid) : start) 4096000 250 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n")
                try put(dir + "/statm", "1000 250 100 1 0 200 0\n")
                try put(dir + "/status", "Name:\t\(name)\nUid:\t1000\t1000\t1000\t1000\n")
                try put(dir + "/cmdline", "/usr/bin/\(name)\0--pid\0\(pid)\0")
                try put(dir + "/schedstat", "\(ran) 0 1\n")
            }

            /// `pid` ran (its `schedstat` changed in place, where a kept fd reads it) and is now
            /// named `name`.
            func ran(_ pid: Int32, name: String) throws {
                try add(pid, name: name, ran: 5000, utime: 7)
            }

            func remove(_ pid: Int32) throws { try FileManager.default.removeItem(atPath: "\(root)/\(pid)") }

            private func put(_ path: String, _ text: String) throws {
                // In place, not renamed over: a kept fd must read what was written.
                let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
                defer { close(fd) }
                let bytes = Array(text.utf8)
                guard write(fd, bytes, bytes.count) == bytes.count else { throw CocoaError(.fileWriteUnknown) }
            }
        }

        func rows(_ s: Snapshot) -> [String] {
            s.processes.map { p in
                "\(p.pid)/\(p.tid ?? 0) \(p.name) \(p.state.letter) ppid=\(p.ppid) start=\(p.startTicks) utime=\(p.utimeTicks) rss=\(p.rssKB.map(String.init) ?? "-") cmd=\(p.cmdline ?? [])"
            }
        }

        func oneShot(_ tree: Tree) throws -> [String] { rows(try Sampler(root: tree.root).sample()) }

        @Test func manyNewProcessesBeforeAllThatStayAreMergedRowForRow() throws {
            let tree = try Tree()
            for pid: Int32 in 1000..<1300 { try tree.add(pid, name: "w\(pid)") }
            let live = try Sampler(root: tree.root, keepFilesOpen: true)
            let first = try live.sample()
            #expect(first.processes.count == 322)
            #expect(rows(first) == (try oneShot(tree)))

            // 200 new processes before every one that stays (more than the gap's 64 plus the 50
            // the count grows by), 150 gone from the end, 50 new after all, 10 that ran.
            for pid: Int32 in 200..<400 { try tree.add(pid, name: "new\(pid)") }
            for pid: Int32 in 1150..<1300 { try tree.remove(pid) }
            for pid: Int32 in 5000..<5050 { try tree.add(pid, name: "late\(pid)") }
            for pid: Int32 in 1000..<1010 { try tree.ran(pid, name: "ran\(pid)") }
            let second = try live.sample(since: first)
            let expected = try oneShot(tree)
            #expect(second.processes.count == 422)
            #expect(rows(second) == expected)
            #expect(rows(second).contains("1005/0 ran1005 S ppid=1 start=1005 utime=7 rss=1000 cmd=[\"/usr/bin/ran1005\", \"--pid\", \"1005\"]"))
            #expect(rows(second).contains("250/0 new250 S ppid=1 start=250 utime=1 rss=1000 cmd=[\"/usr/bin/new250\", \"--pid\", \"250\"]"))
            // The processes that did not run were kept, not read: only the new, the ones that
            // ran and those due in turn were.
            let read = Set(live.lastFullReads)
            #expect(read.isSuperset(of: Set(200..<400).union(5000..<5050).union(1000..<1010)))
            #expect(read.count < 322)

            // Nothing changed: every row is kept where it is.
            let third = try live.sample(since: second)
            #expect(rows(third) == expected)
            // And everything goes but init: the rows close up.
            for pid: Int32 in 200..<400 { try tree.remove(pid) }
            for pid: Int32 in 1000..<1150 { try tree.remove(pid) }
            for pid: Int32 in 5000..<5050 { try tree.remove(pid) }
            let fourth = try live.sample(since: third)
            #expect(rows(fourth) == (try oneShot(tree)))
            #expect(fourth.processes.count == 22)
        }
    }
}
