import Foundation
import Testing
import TestSupport
@testable import ProcFS
@testable import ProcessModel
@testable import Sampling

extension LiveSampling {
    /// The screen reads a process's cgroup when it first sees it and again after it ran, not at
    /// every refresh (issue 10, point 6): a sleeper moved to another cgroup keeps the row's old
    /// cgroup until it runs, and shows the new one at the refresh after it ran.
    @Suite struct LiveCgroupTests {
        static let hierarchy = "/sys/fs/cgroup/systemd"

        @Test(.enabled(if: isRoot && FileManager.default.isWritableFile(atPath: hierarchy + "/cgroup.procs"), "needs root and a writable name=systemd hierarchy"))
        func cgroupReadAgainOnlyAfterItRan() throws {
            let cgroup = Self.hierarchy + "/swtop-live-\(getpid()).service"
            guard mkdir(cgroup, 0o755) == 0 else { throw TestFailure("mkdir \(cgroup): errno \(errno)") }
            let children = Children()
            defer {
                children.stopAll()
                _ = waitUntil(10) { rmdir(cgroup) == 0 || errno == ENOENT }
            }
            let pid = try children.sleeper(named: "cgroup-sleeper").processIdentifier
            #expect(waitUntil {
                fileBytes("/proc/\(pid)/comm") == Array("cgroup-sleeper\n".utf8)
                    && String(decoding: fileBytes("/proc/\(pid)/wchan") ?? [], as: UTF8.self).contains("nanosleep")
            })
            let sampler = try Sampler(keepFilesOpen: true)
            let options = SampleOptions(files: ProcessFiles.standard.union(.cgroup), shown: [pid])
            let first = try #require(try sampler.sample(options).processes.first { $0.pid == pid })
            let before = try #require(first.cgroup)
            #expect(before != "/swtop-live-\(getpid()).service")

            let schedstat = fileBytes("/proc/\(pid)/schedstat")
            try String(pid).write(toFile: cgroup + "/cgroup.procs", atomically: false, encoding: .utf8)
            let kept = try #require(try sampler.sample(options).processes.first { $0.pid == pid })
            // Moved, but it did not run (its scheduler account is as it was): the row keeps its cgroup.
            if fileBytes("/proc/\(pid)/schedstat") == schedstat {
                #expect(kept.cgroup == before)
            }

            // It runs (stopped and continued), and the next refresh reads its cgroup again.
            kill(pid, SIGSTOP)
            #expect(waitUntil { fileBytes("/proc/\(pid)/stat").map { String(decoding: $0, as: UTF8.self).contains(") T ") } ?? false })
            kill(pid, SIGCONT)
            #expect(waitUntil { fileBytes("/proc/\(pid)/schedstat") != schedstat })
            let after = try #require(try sampler.sample(options).processes.first { $0.pid == pid })
            #expect(after.cgroup == "/swtop-live-\(getpid()).service")
            #expect(after.unit == "swtop-live-\(getpid()).service")
        }
    
        /// `--once` reads the cgroups by one walk of the hierarchy (on two threads, as it reads
        /// the processes): each process comes out as it does from its own file.
        @Test(.enabled(if: FileManager.default.fileExists(atPath: "/sys/fs/cgroup/systemd/cgroup.procs") || FileManager.default.fileExists(atPath: "/sys/fs/cgroup/cgroup.procs"), "no cgroup hierarchy to walk"))
        func onceReadsCgroupsByTheWalkAsEachFileSays() throws {
            let reader = try ProcReader()
            let helper = try ProcReader()
            // The walk answers on this machine (else the comparison below would compare files).
            _ = try #require(reader.walkCgroups())
            let pids = try reader.pids().sorted()
            let options = SampleOptions(files: [.cgroup])
            let walked = ParallelRead.read(pids, main: reader, helper: helper, options: options, walkCgroups: true)
            let own = Dictionary(ParallelRead.read(pids, main: reader, helper: helper, options: options, walkCgroups: false).map { ($0.pid, $0.cgroup) }) { a, _ in a }
            var compared = 0
            for raw in walked {
                // A process that ended between the two readings has no file left to say it
                // (the walk read it while it ran): only those both readings saw are compared.
                guard let read = own[raw.pid], let mine = read else { continue }
                #expect(raw.cgroup == mine, "pid \(raw.pid)")
                compared += 1
            }
            #expect(compared > 0)
        }
}
}
