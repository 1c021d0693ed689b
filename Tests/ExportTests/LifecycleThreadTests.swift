import Foundation
import Lifecycle
import ProcFS
@testable import PrometheusExport
import Testing
import TestSupport

/// The exporter drains the kernel's lifecycle reports on a thread of its own: a process that
/// forks, execs and exits between two scrapes (or two textfile writes) is counted under its
/// own name, and the thread sleeps in the kernel while nothing happens.
@Suite(.serialized) struct LifecycleThreadTests {
    /// The proc connector names what exec'd: root, in the initial namespaces.
    static let hasConnector = LifecycleMonitor.connectorUsable

    /// A copy of /bin/sleep named `swtopshortlived`, in a directory of the test's own.
    static func shortLivedProgram() throws -> String {
        let path = Paths.temporaryDirectory("short-lived") + "/swtopshortlived"
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: "/bin/sleep", toPath: path)
        return path
    }

    /// 20 processes of 300 ms each, all started and reaped by one shell, which returns when
    /// they have all ended.
    static func runTwentyShortLived(_ program: String) throws {
        let shell = try Shell("for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do '\(program)' 0.3 & done; wait")
        #expect(shell.wait() == 0)
    }

    static let shortLivedExits = #"swtop_exits_total{group="swtopshortlived",outcome="exited"}"#

    /// 20 processes of 300 ms that started after one scrape and ended before the next are all
    /// counted under their own name. Each end is counted once, so exactly 20 here means none
    /// of them went to `[unknown]` (other processes of this shared machine may well: a compiler
    /// child of a millisecond). Before the thread, /proc was read at each scrape only, when
    /// these were gone, and all 20 were `[unknown]`.
    @Test(.enabled(if: hasConnector, "needs root in the initial namespaces (the proc connector)"))
    func shortLivedProcessesBetweenScrapesAreNamed() throws {
        let program = try Self.shortLivedProgram()
        let port = try freePort()
        // `swtop export --listen` execs swtop-exporter in its place: this is the exporter's pid.
        let server = try Server(Paths.swtop, ["export", "--listen", "127.0.0.1:\(port)", "--group-by", "name"], label: "short-lived")
        defer { server.stop() }
        try server.waitReady(port: port, path: "/metrics")
        let before = try httpGet(port: port, "/metrics").body
        #expect(sampleValue(before, Self.shortLivedExits) == nil)
        try Self.runTwentyShortLived(program)
        var text = ""
        // The scrape right after may come before the thread has taken the last exits.
        #expect(waitUntil(10) {
            text = (try? httpGet(port: port, "/metrics").body) ?? ""
            return (sampleValue(text, Self.shortLivedExits) ?? 0) >= 20
        }, "\(series(text, "swtop_exits_total"))")
        #expect(sampleValue(text, Self.shortLivedExits) == 20)
        #expect(series(text, "swtop_exits_total").filter { $0.contains("swtopshortlived") }.count == 1)
        #expect(duplicateSeries(text).isEmpty)
    }

    /// The textfile's writer runs the same exporter: with a write every 5 s, 20 processes of
    /// 300 ms started right after one write are all in the next, under their own name.
    @Test(.enabled(if: hasConnector, "needs root in the initial namespaces (the proc connector)"))
    func shortLivedProcessesBetweenTextfileWritesAreNamed() throws {
        let program = try Self.shortLivedProgram()
        let directory = Paths.temporaryDirectory("short-lived-textfile")
        let file = directory + "/swtop.prom"
        let writer = try Server(Paths.swtop, ["export", "--textfile", file, "--every", "5", "--group-by", "name"], label: "short-lived-textfile")
        defer { writer.stop() }
        func written() -> Date? { (try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date }
        #expect(waitUntil(30) { written() != nil }, "no textfile: \(writer.output)")
        let first = try #require(written())
        // Right after a write: the next is about 5 s away, long after these have ended.
        #expect(waitUntil(15) { (written() ?? first) > first })
        let tick = try #require(written())
        try Self.runTwentyShortLived(program)
        #expect(waitUntil(15) { (written() ?? tick) > tick })
        var text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        if sampleValue(text, Self.shortLivedExits) == nil {
            // The write under way as they ended may have been read just before the last exit.
            let next = written() ?? tick
            #expect(waitUntil(15) { (written() ?? next) > next })
            text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        }
        #expect(sampleValue(text, Self.shortLivedExits) == 20, "\(series(text, "swtop_exits_total"))")
        #expect(duplicateSeries(text).isEmpty)
    }

    /// An idle exporter sleeps in the kernel: its lifecycle thread wakes only when the kernel
    /// reports something. Measured over 5 s windows in which this shared machine started at
    /// most 3 processes or threads (the last pid given out, in /proc/loadavg): the whole exporter
    /// then uses at most 2 clock ticks and its thread wakes at most 16 times. A loop that polled
    /// every 100 ms would wake 50 times; one that spun would use 500 ticks. On a machine too
    /// busy to find such a window in a minute, the bounds grow with what it started (each process
    /// is a fork, an exec and an exit to read), up to half a CPU.
    @Test(.enabled(if: isRoot, "needs root: the exporter's own /proc/PID/task files"))
    func idleExporterSleepsInTheKernel() throws {
        let port = try freePort()
        let server = try Server(exporterPath, ["--listen", "127.0.0.1:\(port)"], label: "idle")
        defer { server.stop() }
        try server.waitReady(port: port, path: "/metrics")
        _ = try httpGet(port: port, "/metrics")
        let pid = server.process.processIdentifier
        let drain = try #require(Self.thread(of: pid, named: "swtop-lifecycle"), "no swtop-lifecycle thread in \(pid)")
        var windows: [(ticks: UInt64, wakes: Int, started: Int)] = []
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            // Exits too: under the suite's parallel tests, processes started before the window
            // are killed in it, and each exit is the kernel reporting something. Counted by the
            // exporter itself, scraped before and after the window.
            let exitsBefore = try Self.exits(port: port)
            let pidBefore = Self.lastPID()
            let (ticksBefore, wakesBefore) = (try cpuTicks(pid), Self.contextSwitches(pid, drain))
            // A window of time, not a wait for a condition: idleness is measured over it.
            Thread.sleep(forTimeInterval: 5)
            let (ticksAfter, wakesAfter) = (try cpuTicks(pid), Self.contextSwitches(pid, drain))
            let started = Self.startedSince(pidBefore) + max(0, try Self.exits(port: port) - exitsBefore)
            windows.append((ticksAfter - ticksBefore, wakesAfter - wakesBefore, started))
            if started <= 3 { break }
        }
        let window = try #require(windows.last)
        print("idle exporter, 5 s windows (ticks, wakes, processes started and exited): \(windows)")
        if window.started <= 3 {
            #expect(window.ticks <= 2, "\(windows)")
            #expect(window.wakes <= 16, "\(windows)")
        } else {
            // Busy machine: every started process may cost the thread its three reports, a read
            // of the process at its fork and exec (up to 0.8 ms each in a debug build on this
            // loaded machine, 2.6 ms in all measured under CI's parallel tests), and the
            // follow-up wakes after them: 5 ms a process allowed; never half a CPU (250 ticks in
            // 5 s), which a loop that spun would use twice over.
            #expect(window.ticks <= min(2 + UInt64(window.started / 2), 250), "\(windows)")
            #expect(window.wakes <= 16 + 8 * window.started, "\(windows)")
        }
    }

    /// The exits the exporter has counted (every group and outcome of swtop_exits_total).
    static func exits(port: Int) throws -> Int {
        try httpGet(port: port, "/metrics").body.split(separator: "\n")
            .filter { $0.hasPrefix("swtop_exits_total{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0) { $0 + Int($1) }
    }

    /// The task id of `pid`'s thread named `name`.
    static func thread(of pid: Int32, named name: String) -> Int32? {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.compactMap { Int32($0) }.first { tid in
            fileBytes("/proc/\(pid)/task/\(tid)/comm").map { String(decoding: $0, as: UTF8.self) } == name + "\n"
        }
    }

    /// Times the thread was switched out, waiting or preempted.
    static func contextSwitches(_ pid: Int32, _ tid: Int32) -> Int {
        let status = String(decoding: fileBytes("/proc/\(pid)/task/\(tid)/status") ?? [], as: UTF8.self)
        return status.split(separator: "\n").filter { $0.contains("ctxt_switches:") }
            .compactMap { Int($0.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") }.reduce(0, +)
    }

    /// The last pid the kernel gave out (a process or a thread).
    static func lastPID() -> Int {
        let loadavg = String(decoding: fileBytes("/proc/loadavg") ?? [], as: UTF8.self)
        return loadavg.split(separator: " ").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
    }

    /// Processes and threads started since `before` was the last pid (pids wrap at pid_max).
    static func startedSince(_ before: Int) -> Int {
        let now = lastPID()
        if now >= before { return now - before }
        let max = Int(String(decoding: fileBytes("/proc/sys/kernel/pid_max") ?? [], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 4_194_304
        return max - before + now
    }
}

/// The exporter's memory of crash loops is bounded: the group of a loop is kept only while it
/// loops, and each loop's group is one of at most --max-groups (the rest `other`).
@Suite struct LoopGroupBoundsTests {
    func loopEvent(_ n: Int) -> LifecycleEvent {
        let process = ProcessFacts(key: ProcessKey(id: Int32(1000 + n), startTicks: 1), name: "job\(n)", cmdline: ["job\(n)"], ppid: 1, uid: 0, user: "root", startTime: nil)
        let loop = CrashLoop(restarts: 3, window: 60, lastOutcome: .exited(code: 1), pids: [Int32(1000 + n)], command: "job\(n)", parent: 1)
        return LifecycleEvent(time: 1, process: process, kind: .crashLoop(loop))
    }

    @Test func loopGroupsAreForgottenWhenTheLoopsEndAndBoundedByMaxGroups() {
        var counters = LifecycleCounters(maxGroups: 5)
        counters.take((0..<1000).map(loopEvent)) { $0.name }
        #expect(counters.loopGroups.count == 1000)
        #expect(Set(counters.loopGroups.values) == Set(["job0", "job1", "job2", "job3", "job4", "other"]))
        counters.keepLoops(["job3", "job999"])
        #expect(counters.loopGroups == ["job3": "job3", "job999": "other"])
        counters.keepLoops([])
        #expect(counters.loopGroups.isEmpty)
    }

    /// Each exposition forgets the loops the monitor no longer reports (here: none, a recorded
    /// tree has no kernel reports), however many were counted.
    @Test func anExpositionForgetsTheGroupsOfEndedLoops() throws {
        let tracking = try LifecycleTracking(root: Paths.fixture("zombies"), groupBy: .name, maxGroups: 5)
        let events = (0..<1000).map(loopEvent)
        tracking.thread.state.withLock { $0.ends.take(events) { $0.name } }
        #expect(tracking.thread.state.withLock { $0.ends.loopGroups.count } == 1000)
        let (counters, loops) = tracking.ends(now: 1000, groups: [:])
        #expect(loops.isEmpty)
        #expect(counters.loopGroups.isEmpty)
        #expect(tracking.thread.state.withLock { $0.ends.loopGroups.count } == 0)
    }
}
