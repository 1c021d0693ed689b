import Foundation
import Testing
import TestSupport
@testable import ProcFS
@testable import ProcessModel
@testable import Sampling

extension LiveSampling {
    /// The screen's refresh keeps the rows of processes that did not run (see LiveRefresh). These
    /// tests start real processes and change them in the ways a process changes: by running, by
    /// being stopped, by exec, by exiting into a zombie, by losing its parent, by a renice from
    /// outside. After each, the next refresh must show exactly what /proc shows.
    @Suite struct LiveRefreshTests {
        /// The state letter and ppid of /proc/PID/stat, read directly.
        func kernelView(_ pid: Int32) -> (state: Character, ppid: Int32)? {
            guard let bytes = fileBytes("/proc/\(pid)/stat"), let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
            let fields = String(decoding: bytes[(close + 2)...], as: UTF8.self).split(separator: " ")
            guard fields.count > 2, let state = fields[0].first, let ppid = Int32(fields[1]) else { return nil }
            return (state, ppid)
        }

        func sleeping(_ pid: Int32) -> Bool { kernelView(pid)?.state == "S" }

        /// Asleep in nanosleep, past exec and the dynamic loader: it will not run again by itself.
        func inNanosleep(_ pid: Int32) -> Bool {
            sleeping(pid) && String(decoding: fileBytes("/proc/\(pid)/wchan") ?? [], as: UTF8.self).contains("nanosleep")
        }

        /// The first child the kernel lists for a process.
        func firstChild(of pid: Int32) -> Int32? {
            guard let list = fileBytes("/proc/\(pid)/task/\(pid)/children"),
                let first = String(decoding: list, as: UTF8.self).split(separator: " ").first
            else { return nil }
            return Int32(first)
        }

        /// A sleeper in nanosleep does not run: of 40, over one rotation of refreshes the one on
        /// screen is read every time and each other exactly once (at its turn).
        @Test func onlyProcessesThatRanOrAreDueAreReadAgain() throws {
            let children = Children()
            defer { children.stopAll() }
            let pids = try (0..<40).map { _ in try children.sleeper(named: "idle-sleeper").processIdentifier }
            for pid in pids {
                #expect(waitUntil { fileBytes("/proc/\(pid)/comm") == Array("idle-sleeper\n".utf8) && inNanosleep(pid) })
            }
            let sampler = try Sampler(keepFilesOpen: true)
            _ = try sampler.sample()
            #expect(Set(pids).isSubset(of: Set(sampler.lastFullReads)))
            let onScreen = pids[0]
            var reads: [Int32: Int] = [:]
            // What the kernel counted for each, before and after: a sleeper that did run (woken by
            // something outside the test) is rightly read again, and is told apart here.
            let before = pids.map { fileBytes("/proc/\($0)/schedstat") }
            for _ in 0..<LiveRefresh.rotation {
                _ = try sampler.sample(SampleOptions(shown: [onScreen]))
                for pid in Set(sampler.lastFullReads).intersection(pids) { reads[pid, default: 0] += 1 }
            }
            let ran = Set(zip(pids, before).filter { fileBytes("/proc/\($0.0)/schedstat") != $0.1 }.map(\.0))
            #expect(reads[onScreen] == LiveRefresh.rotation)
            let quiet = pids.dropFirst().filter { !ran.contains($0) }
            #expect(quiet.count >= 30, "most sleepers stay asleep: \(ran.count) ran")
            #expect(quiet.filter { reads[$0] != 1 }.map { "\($0): \(reads[$0] ?? 0)" } == [])
        }

        @Test func aProcessStoppedAndContinuedOffScreenShowsItAtOnce() throws {
            let children = Children()
            defer { children.stopAll() }
            let pid = try children.sleeper(named: "stop-me").processIdentifier
            #expect(waitUntil { fileBytes("/proc/\(pid)/comm") == Array("stop-me\n".utf8) && sleeping(pid) })
            let sampler = try Sampler(keepFilesOpen: true)
            #expect(try sampler.sample().processes.first { $0.pid == pid }?.state.letter == "S")
            kill(pid, SIGSTOP)
            #expect(waitUntil { kernelView(pid)?.state == "T" })
            #expect(try sampler.sample().processes.first { $0.pid == pid }?.state.letter == "T")
            kill(pid, SIGCONT)
            #expect(waitUntil { sleeping(pid) })
            #expect(try sampler.sample().processes.first { $0.pid == pid }?.state.letter == "S")
        }

        /// `sh` forks a sleep and execs another, which never reaps the first: killed, it is a
        /// zombie whose parent is the other sleep.
        @Test func aChildThatExitsShowsAsAZombieOfItsParent() throws {
            let children = Children()
            defer { children.stopAll() }
            let parent = try children.start("/bin/sh", ["-c", "/bin/sleep 300 & exec /bin/sleep 301"]).processIdentifier
            var child: Int32 = 0
            #expect(waitUntil {
                guard let pid = firstChild(of: parent) else { return false }
                child = pid
                return kernelView(parent).map { $0.state == "S" } == true && fileBytes("/proc/\(parent)/comm") == Array("sleep\n".utf8)
                    && fileBytes("/proc/\(pid)/comm") == Array("sleep\n".utf8) && inNanosleep(pid)
            })
            let sampler = try Sampler(keepFilesOpen: true)
            #expect(try sampler.sample().processes.first { $0.pid == child }?.state.letter == "S")
            // It exits when the test says so, after the first refresh, not after a time.
            #expect(kill(child, SIGKILL) == 0)
            #expect(waitUntil { kernelView(child)?.state == "Z" })
            let zombie = try #require(try sampler.sample().processes.first { $0.pid == child })
            #expect(zombie.state.letter == "Z")
            #expect(zombie.ppid == parent)
            #expect(zombie.cmdline == [])
            #expect(zombie.commandLine == "[sleep]")
        }

        /// When a parent exits, the kernel gives its children a new parent; they do not run for it.
        @Test func anOrphanShowsItsNewParentAtOnce() throws {
            let children = Children()
            defer { children.stopAll() }
            let shell = try children.start("/bin/sh", ["-c", "/bin/sleep 300 & wait"])
            let parent = shell.processIdentifier
            var orphan: Int32 = 0
            #expect(waitUntil {
                guard let pid = firstChild(of: parent) else { return false }
                orphan = pid
                return fileBytes("/proc/\(pid)/comm") == Array("sleep\n".utf8) && inNanosleep(pid)
            })
            defer { kill(orphan, SIGKILL) }
            let sampler = try Sampler(keepFilesOpen: true)
            var refreshes = 1
            #expect(try sampler.sample().processes.first { $0.pid == orphan }?.ppid == parent)
            // Not on the orphan's rotation turn, which would read it anyway.
            while LiveRefresh.isRotationTurn(pid: orphan, refresh: refreshes + 1) {
                _ = try sampler.sample()
                refreshes += 1
            }
            // (Foundation's waitUntilExit would wait for the orphan too: it ends first, by the defer.)
            kill(parent, SIGKILL)
            #expect(waitUntil { kernelView(orphan).map { $0.ppid != parent } == true })
            let adopter = try #require(kernelView(orphan)?.ppid)
            let row = try #require(try sampler.sample().processes.first { $0.pid == orphan })
            #expect(row.ppid == adopter)
            #expect(sampler.lastFullReads.contains(orphan))
        }

        /// exec changes the name and the command line without changing the pid or start time.
        @Test func anExecShowsTheNewCommandLine() throws {
            let children = Children()
            defer { children.stopAll() }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "read line; exec /bin/sleep 300"]
            let input = Pipe()
            process.standardInput = input
            try process.run()
            let pid = process.processIdentifier
            defer {
                kill(pid, SIGKILL)
                process.waitUntilExit()
            }
            #expect(waitUntil { sleeping(pid) })
            let sampler = try Sampler(keepFilesOpen: true)
            let before = try #require(try sampler.sample().processes.first { $0.pid == pid })
            #expect(before.cmdline == ["/bin/sh", "-c", "read line; exec /bin/sleep 300"])
            input.fileHandleForWriting.write(Data("go\n".utf8))
            #expect(waitUntil { fileBytes("/proc/\(pid)/comm") == Array("sleep\n".utf8) })
            let after = try #require(try sampler.sample().processes.first { $0.pid == pid })
            #expect(after.name == "sleep")
            #expect(after.cmdline == ["/bin/sleep", "300"])
            #expect(after.startTicks == before.startTicks)
        }

        /// A renice from another process does not make the target run: the row on screen shows it at
        /// the next refresh, a row off screen at its rotation turn.
        @Test(.enabled(if: runnerNice() < 19, "needs room to raise a nice value: the runner is at 19"))
        func aReniceFromOutsideIsShownOnScreenAtOnceAndOffScreenInTurn() throws {
            let children = Children()
            defer { children.stopAll() }
            let a = try children.sleeper(named: "renice-on").processIdentifier
            let b = try children.sleeper(named: "renice-off").processIdentifier
            #expect(waitUntil { inNanosleep(a) && inNanosleep(b) && fileBytes("/proc/\(b)/comm") == Array("renice-off\n".utf8) })
            let sampler = try Sampler(keepFilesOpen: true)
            _ = try sampler.sample()
            // Raised from the runner's nice (it may be niced): no privilege needed.
            let niced = runnerNice(plus: 7)
            #expect(setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(a), niced) == 0)
            #expect(setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(b), niced) == 0)
            var snapshot = try sampler.sample(SampleOptions(shown: [a]))
            #expect(snapshot.processes.first { $0.pid == a }?.nice == niced)
            // Off screen: within one rotation of refreshes, at the one that reads it in full.
            var refreshes = 1
            while snapshot.processes.first(where: { $0.pid == b })?.nice != niced && refreshes < LiveRefresh.rotation {
                snapshot = try sampler.sample()
                refreshes += 1
            }
            #expect(snapshot.processes.first { $0.pid == b }?.nice == niced)
            #expect(sampler.lastFullReads.contains(b))
        }

        /// Kept files stay within their fd budget (the rest are read the ordinary way, with the same
        /// result), and every kept fd is closed when its process exits.
        @Test func keptFilesStayWithinTheirBudgetAndCloseWithTheirProcess() throws {
            // Counts this process's fds open on the children's /proc files. Other tests run in
            // parallel and open fds of their own, so a count of all fds would race with them.
            func fdsOnChildren(_ pids: [Int32]) -> Int {
                let prefixes = pids.map { "/proc/\($0)/" }
                let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
                return fds.filter { fd in
                    guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)") else { return false }
                    return prefixes.contains { target.hasPrefix($0) }
                }.count
            }
            let children = Children()
            defer { children.stopAll() }
            let pids = try (0..<20).map { _ in try children.sleeper(named: "fd-budget").processIdentifier }
            for pid in pids {
                #expect(waitUntil { fileBytes("/proc/\(pid)/comm") == Array("fd-budget\n".utf8) && sleeping(pid) })
            }
            let reader = try ProcReader()
            #expect(fdsOnChildren(pids) == 0)
            let live = LiveRefresh(reader: reader, fdBudget: 10) { ProcessEntry(raw: $0, pageSizeKB: 4) }
            // Only these 20: the first 10 keep their one file (schedstat), the other 10 read it by path.
            let rows = live.refresh(pids.sorted(), SampleOptions())
            live.keep(rows)
            #expect(live.keptFileCount == 10)
            #expect(fdsOnChildren(pids) == 10)
            #expect(rows.map(\.pid) == pids.sorted())
            #expect(rows.map(\.name) == Array(repeating: "fd-budget", count: 20))
            #expect(rows.allSatisfy { $0.state == .sleeping && $0.rssKB != nil && $0.cmdline == [children.linkPath("fd-budget"), "300"] })
            children.stopAll()
            #expect(live.refresh(pids.sorted(), SampleOptions()).isEmpty)
            #expect(live.keptFileCount == 0)
            #expect(fdsOnChildren(pids) == 0)
        }

        /// Beyond the fd budget a process keeps no file, and its schedstat, read by path, still
        /// tells that it did not run: over one rotation each idle sleeper is read in full exactly
        /// once (at its turn), not at every refresh.
        @Test func processesBeyondTheFdBudgetAreReadOnlyWhenDue() throws {
            let children = Children()
            defer { children.stopAll() }
            let pids = try (0..<20).map { _ in try children.sleeper(named: "no-fd-left").processIdentifier }.sorted()
            for pid in pids {
                #expect(waitUntil { fileBytes("/proc/\(pid)/comm") == Array("no-fd-left\n".utf8) && inNanosleep(pid) })
            }
            let live = LiveRefresh(reader: try ProcReader(), fdBudget: 0) { ProcessEntry(raw: $0, pageSizeKB: 4) }
            let first = live.refresh(pids, SampleOptions())
            live.keep(first)
            #expect(live.keptFileCount == 0)
            #expect(live.lastFullReads == pids)
            var reads: [Int32: Int] = [:]
            for _ in 0..<LiveRefresh.rotation {
                let rows = live.refresh(pids, SampleOptions())
                live.keep(rows)
                #expect(rows.map(\.pid) == pids)
                #expect(rows.map(\.startTicks) == first.map(\.startTicks))
                for pid in live.lastFullReads { reads[pid, default: 0] += 1 }
            }
            #expect(pids.filter { reads[$0] != 1 } == [])
        }

        /// With taskstats (CAP_NET_ADMIN), processes beyond the fd budget have their schedstat from
        /// it, all in one go: an idle sleeper is still read in full exactly once a rotation, and a
        /// process that runs is read in full at every refresh, with its CPU time as /proc has it.
        @Test(.enabled(if: hasNetAdmin, "needs CAP_NET_ADMIN (root): the taskstats family answers no one else"))
        func processesBeyondTheFdBudgetAskTaskstats() throws {
            let children = Children()
            defer { children.stopAll() }
            let pids = try (0..<20).map { _ in try children.sleeper(named: "ts-no-fd").processIdentifier }.sorted()
            for pid in pids {
                #expect(waitUntil { fileBytes("/proc/\(pid)/comm") == Array("ts-no-fd\n".utf8) && inNanosleep(pid) })
            }
            let runner = try children.start("/bin/sh", ["-c", "while :; do :; done"]).processIdentifier
            let all = (pids + [runner]).sorted()
            let live = LiveRefresh(reader: try ProcReader(), fdBudget: 0, accounts: { TaskAccounts.open() }) { ProcessEntry(raw: $0, pageSizeKB: 4) }
            live.keep(live.refresh(all, SampleOptions()))
            #expect(live.keptFileCount == 0)
            func runTime() -> UInt64 { fileBytes("/proc/\(runner)/schedstat").flatMap(ProcSchedstat.parse)?.runNanoseconds ?? 0 }
            var reads: [Int32: Int] = [:]
            var seen = runTime()
            for _ in 0..<LiveRefresh.rotation {
                // It ran since the last refresh read its account (run time only grows).
                #expect(waitUntil { runTime() > seen })
                let before = try cpuTicks(runner)
                let rows = live.refresh(all, SampleOptions())
                live.keep(rows)
                let after = try cpuTicks(runner)
                seen = runTime()
                #expect(live.lastAccountsAnswered == all.count)
                #expect(rows.map(\.pid) == all)
                let ticks = try #require(rows.first { $0.pid == runner }).cpuTicks
                #expect(before <= ticks && ticks <= after)
                for pid in live.lastFullReads { reads[pid, default: 0] += 1 }
            }
            #expect(pids.filter { reads[$0] != 1 } == [])
            #expect(reads[runner] == LiveRefresh.rotation)
        }

        /// Between full listings the screen lists /proc only above the last pid given out: a
        /// process started in between is there at the next refresh, one that exited is gone.
        @Test func processesThatComeAndGoBetweenFullListingsAreShown() throws {
            let children = Children()
            defer { children.stopAll() }
            let sampler = try Sampler(keepFilesOpen: true)
            _ = try sampler.sample()
            #expect(sampler.lastListingWasFull)
            let child = try children.sleeper(named: "came-later")
            let pid = child.processIdentifier
            #expect(waitUntil { fileBytes("/proc/\(pid)/comm") == Array("came-later\n".utf8) })
            let after = try sampler.sample()
            #expect(!sampler.lastListingWasFull)
            #expect(after.processes.first { $0.pid == pid }?.name == "came-later")
            kill(pid, SIGKILL)
            child.waitUntilExit()
            let listed = try ProcReader().pids()
            let gone = try sampler.sample()
            #expect(!sampler.lastListingWasFull)
            #expect(!gone.processes.contains { $0.pid == pid })
            // Every process a full listing showed just before, and still there, is shown.
            let shown = Set(gone.processes.map(\.pid))
            #expect(listed.filter { !shown.contains($0) && fileBytes("/proc/\($0)/stat") != nil } == [])
        }

        @Test func mergedListsHoldEachPidOnceInOrder() {
            #expect(PIDListing.merge([1, 5, 9], [5, 7, 12]) == [1, 5, 7, 9, 12])
            #expect(PIDListing.merge([], [3]) == [3])
            #expect(PIDListing.merge([2], []) == [2])
        }

        /// The thread view keeps the rows of a process none of whose threads ran, and reads all of
        /// them once the process is stopped (each thread runs to stop): T on every thread row at once.
        @Test func theThreadViewKeepsAProcessWhoseThreadsDidNotRunAndShowsItsStop() throws {
            let children = Children()
            defer { children.stopAll() }
            let pid = try children.testee(["threads", "3"]).processIdentifier
            func tasks() -> [String] {
                (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            }
            func allPaused() -> Bool {
                let list = tasks()
                return list.count == 3 && list.allSatisfy {
                    String(decoding: fileBytes("/proc/\(pid)/task/\($0)/wchan") ?? [], as: UTF8.self).contains("pause")
                }
            }
            #expect(waitUntil { allPaused() })
            let sampler = try Sampler(keepFilesOpen: true)
            let options = SampleOptions(threads: true)
            _ = try sampler.sample(options)
            #expect(sampler.lastFullReads.filter { $0 == pid }.count == 3)
            var refresh = 2
            while LiveRefresh.isRotationTurn(pid: pid, refresh: refresh) {
                _ = try sampler.sample(options)
                refresh += 1
            }
            let quiet = try sampler.sample(options).processes.filter { $0.pid == pid }
            #expect(!sampler.lastFullReads.contains(pid))
            #expect(quiet.count == 3 && quiet.allSatisfy { $0.state == .sleeping && $0.threads == 3 })

            #expect(kill(pid, SIGSTOP) == 0)
            defer { kill(pid, SIGCONT) }
            #expect(waitUntil { tasks().allSatisfy { fileBytes("/proc/\(pid)/task/\($0)/stat").map { String(decoding: $0, as: UTF8.self).contains(") T ") } ?? false } })
            let stopped = try sampler.sample(options).processes.filter { $0.pid == pid }
            #expect(sampler.lastFullReads.filter { $0 == pid }.count == 3)
            #expect(stopped.compactMap(\.tid).sorted() == tasks().compactMap { Int32($0) }.sorted())
            #expect(stopped.allSatisfy { $0.state == .stopped })
        }
    }
}
