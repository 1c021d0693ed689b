import Foundation
import Testing
import TestSupport
@testable import ProcFS
@testable import ProcessModel
@testable import Sampling

extension LiveSampling {
    /// The screen's sampler (kept files, status and cmdline once per process) must show what the
    /// one-shot sampler shows.
    @Suite struct LiveSamplerTests {
        func summary(_ s: Snapshot) -> [String] {
            s.processes.map { p in
                "\(p.pid)/\(p.tid ?? 0) \(p.name) \(p.state.letter) ppid=\(p.ppid) uid=\(p.uid.map(String.init) ?? "-") rss=\(p.rssKB.map(String.init) ?? "-") vsz=\(p.vszKB.map(String.init) ?? "-") nice=\(p.nice) cmd=\(p.cmdline ?? [])"
            }
        }

        @Test func agreesWithTheOneShotSamplerOnTheHardCases() throws {
            let root = Paths.fixture("hardcases")
            let once = try Sampler(root: root).sample()
            let live = try Sampler(root: root, keepFilesOpen: true)
            let first = try live.sample()
            let second = try live.sample()
            let expected = summary(once)
            #expect(summary(first) == expected)
            #expect(summary(second) == expected)
            let threads = try live.sample(SampleOptions(threads: true))
            let oneShotThreads = summary(try Sampler(root: root).sample(SampleOptions(threads: true)))
            #expect(summary(threads) == oneShotThreads)
            // And what both show is what the recording holds.
            #expect(expected.first == "1/0 init S ppid=0 uid=0 rss=400 vsz=8192 nice=0 cmd=[\"/sbin/init\", \"splash\"]")
            #expect(oneShotThreads.contains { $0.hasPrefix("121/122 worker-1 R ") && $0.contains(" uid=1000 ") && $0.contains(" nice=5 ") })
        }

        @Test func keptFilesFollowProcessesThatComeAndGo() throws {
            let children = Children()
            defer { children.stopAll() }
            let live = try Sampler(keepFilesOpen: true)
            let stays = try children.sleeper(named: "kept-two")
            let child = try children.sleeper(named: "kept-one")
            let pid = child.processIdentifier
            #expect(waitUntil { fileBytes("/proc/\(pid)/comm") == Array("kept-one\n".utf8) })
            #expect(waitUntil { fileBytes("/proc/\(stays.processIdentifier)/comm") == Array("kept-two\n".utf8) })
            let before = try live.sample()
            let row = try #require(before.processes.first { $0.pid == pid })
            #expect(row.name == "kept-one")
            #expect(row.cmdline == [children.linkPath("kept-one"), "300"])
            kill(pid, SIGKILL)
            child.waitUntilExit()
            let after = try live.sample()
            #expect(after.processes.contains { $0.pid == pid } == false)
            // The live sampler agrees with ps on the processes that stayed.
            let ps = try run("/bin/ps", ["-o", "rss=,vsz=", "-p", "\(stays.processIdentifier)"])
            let fields = ps.stdoutText.split(separator: " ").compactMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            let row2 = try #require(after.processes.first { $0.pid == stays.processIdentifier })
            #expect([row2.rssKB, row2.vszKB].compactMap { $0 } == fields)
            #expect(fields.count == 2)
        }

        /// A process whose main thread has exited (its leader a zombie) lives on in its other
        /// threads; their rows keep the command line, which only their own task files still have.
        @Test func threadsOfAZombieLeaderKeepTheCommandLine() throws {
            let children = Children()
            defer { children.stopAll() }
            let pid = try children.testee(["lone-thread"]).processIdentifier
            #expect(waitUntil { fileBytes("/proc/\(pid)/stat").map { String(decoding: $0, as: UTF8.self).contains(") Z ") } ?? false })
            #expect(fileBytes("/proc/\(pid)/cmdline") == [])
            for keep in [false, true] {
                let rows = try Sampler(keepFilesOpen: keep).sample(SampleOptions(threads: true)).processes.filter { $0.pid == pid && $0.tid != pid }
                #expect(rows.count == 1)
                #expect(rows.first?.cmdline == [Paths.testee, "lone-thread"], "keepFilesOpen: \(keep)")
            }
        }
    }
}
