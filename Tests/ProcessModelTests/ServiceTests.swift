import Testing
import TestSupport
@testable import ProcFS
@testable import ProcessModel
@testable import Sampling

/// Issue 10 in the model: membership, zombie children, reaping, I/O rates, the unit and
/// container filters and the grouping by cgroup, on Fixtures/proc/containers.
@Suite struct ServiceTests {
    static let docker = "3f4e8a1c2b9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f"

    func containers() throws -> Snapshot {
        try Sampler(root: Paths.fixture("containers")).sample(SampleOptions(files: Column.files(for: Column.all)))
    }

    func pids(_ listing: ProcessListing, _ s: Snapshot) -> [Int32] { listing.rows(of: s.processes).map(\.entry.pid) }

    /// Processes of one cgroup share one Membership.
    @Test func membershipIsSharedPerCgroup() throws {
        let s = try containers()
        let node = try #require(s.processes.first { $0.pid == 11 })
        let worker = try #require(s.processes.first { $0.pid == 20 })
        #expect(node.membership === worker.membership)
        #expect(node.container?.id == Self.docker)
        #expect(node.membership?.containerLabel == "3f4e8a1c2b9d")
        // A replayed tree's containers are not this machine's: no name is looked up.
        #expect(node.container?.name == nil)
    }

    @Test func zombieChildrenCounted() throws {
        let s = try containers()
        #expect(s.processes.first { $0.pid == 11 }?.zombieChildren == 1)
        #expect(s.processes.filter { $0.pid != 11 }.allSatisfy { $0.zombieChildren == 0 })
    }

    @Test func namespaceInitFromStatus() throws {
        let s = try containers()
        #expect(s.processes.filter(\.isNamespaceInit).map(\.pid) == [11, 12, 13, 14])
        #expect(s.processes.first { $0.pid == 15 }?.nsPID == 230)
    }

    @Test func unitFilter() throws {
        let s = try containers()
        #expect(pids(ProcessListing(filter: ProcessFilter(unit: "nginx")), s) == [10])
        #expect(pids(ProcessListing(filter: ProcessFilter(unit: "nginx.service")), s) == [10])
        // A slice or a parent unit takes everything under it.
        #expect(pids(ProcessListing(filter: ProcessFilter(unit: "user@1000.service")), s) == [17])
        #expect(pids(ProcessListing(filter: ProcessFilter(unit: "user.slice")), s) == [17, 18])
        #expect(pids(ProcessListing(filter: ProcessFilter(unit: "nosuch")), s) == [])
    }

    @Test func containerFilterByIdPrefixOrName() throws {
        let s = try containers()
        #expect(pids(ProcessListing(filter: ProcessFilter(container: "3f4e8a1c2b9d")), s) == [11, 20, 30, 31, 32])
        #expect(pids(ProcessListing(filter: ProcessFilter(container: "3F4E8A1C2B9D0E7F6A5B4C3D2E1F0A9B8C7D6E5F4A3B2C1D0E9F8A7B6C5D4E3F")), s) == [11, 20, 31, 32])
        #expect(pids(ProcessListing(filter: ProcessFilter(container: "web01")), s) == [15])
        #expect(pids(ProcessListing(filter: ProcessFilter(container: "db-test")), s) == [16])
    }

    /// The text filter (-F, F4) matches a unit, a container id or name, and a runtime.
    @Test func textFilterMatchesUnitAndContainer() throws {
        let s = try containers()
        #expect(pids(ProcessListing(filter: ProcessFilter(text: "pipewire.service")), s) == [17])
        #expect(pids(ProcessListing(filter: ProcessFilter(text: "systemd-nspawn")), s) == [16])
        #expect(pids(ProcessListing(filter: ProcessFilter(text: "FEDCBA98")), s) == [14])
    }

    /// Grouped as systemd-cgls: by path component, a unit's processes together; depth is the
    /// path's number of components; no cgroup last.
    @Test func groupedByCgroup() throws {
        let s = try containers()
        let rows = ProcessListing(byCgroup: true).rows(of: s.processes)
        #expect(shape(rows) == "37:0 31:2 32:2 1:1 33:4 14:4 13:4 35:2 15:3 12:3 16:5 11:2 20:2 30:2 19:2 10:2 34:2 36:3 18:3 17:5 21:0 22:0")
    }

    @Test func reapingVerdicts() {
        // Not long enough, or unknown: no mark but the namespace's PID 1.
        #expect(ReapingCheck.judge(isNamespaceInit: true, initName: "node", oldestZombieChildAge: nil) == ReapingVerdict(mark: .namespaceInit, advice: nil))
        #expect(ReapingCheck.judge(isNamespaceInit: false, initName: "node", oldestZombieChildAge: 4.9) == ReapingVerdict(mark: .none, advice: nil))
        // A container's PID 1 that is no init: the advice in words.
        #expect(ReapingCheck.judge(isNamespaceInit: true, initName: "node", oldestZombieChildAge: 6) == ReapingVerdict(mark: .notReaping, advice: "PID 1 of its container and does not reap: run it under an init (docker run --init)"))
        // An init that holds a zombie is still not reaping, but running it under an init is no advice.
        #expect(ReapingCheck.judge(isNamespaceInit: true, initName: "tini", oldestZombieChildAge: 6) == ReapingVerdict(mark: .notReaping, advice: "does not reap: a zombie child unreaped for 6 s"))
        #expect(ReapingCheck.judge(isNamespaceInit: false, initName: "bash", oldestZombieChildAge: 12.5) == ReapingVerdict(mark: .notReaping, advice: "does not reap: a zombie child unreaped for 12 s"))
    }

    /// A zombie's age is counted from when it was first seen; reaped ones are forgotten.
    @Test func zombieAgesFromSnapshots() {
        func zombie(_ pid: Int32, parent: Int32, start: UInt64 = 1) -> ProcessEntry {
            entry(pid: pid, ppid: parent, state: "Z", start: start)
        }
        var watch = ZombieAges()
        var first = [entry(pid: 10), zombie(11, parent: 10)]
        watch.update(&first, now: 100)
        #expect(first[0].oldestZombieChildAge == 0)
        var later = [entry(pid: 10), zombie(11, parent: 10), zombie(12, parent: 10)]
        watch.update(&later, now: 107)
        #expect(later[0].oldestZombieChildAge == 7)
        // 11 was there at the first snapshot: it died before swtop watched, its age a lower bound.
        #expect(watch.age(of: later[1].key, now: 107) == ZombieAge(seconds: 7, isLowerBound: true))
        #expect(watch.age(of: later[2].key, now: 107) == ZombieAge(seconds: 0, isLowerBound: false))
        #expect(watch.diedBeforeWatching(later[1].key) && !watch.diedBeforeWatching(later[2].key))
        #expect(ReapingCheck.judge(later[0]).mark == .notReaping)
        // 11 reaped; 12 first seen at 107.
        var reaped = [entry(pid: 10), zombie(12, parent: 10)]
        watch.update(&reaped, now: 108)
        #expect(reaped[0].oldestZombieChildAge == 1)
        // A new process on pid 11 (another start time) that is a zombie starts at zero.
        var reused = [entry(pid: 10), zombie(11, parent: 10, start: 99)]
        watch.update(&reused, now: 109)
        #expect(reused[0].oldestZombieChildAge == 0)
        // A death the kernel reported after the snapshot was read counts from the death.
        let dying = entry(pid: 13, ppid: 10, start: 5)
        watch.died(dying.key, at: 109.5)
        var before = [entry(pid: 10), dying]
        watch.update(&before, now: 109)
        #expect(watch.age(of: dying.key, now: 111) == ZombieAge(seconds: 1.5, isLowerBound: false))
        var none = [entry(pid: 10)]
        watch.update(&none, now: 110)
        #expect(none[0].oldestZombieChildAge == nil)
    }

    /// Rates from two samples of `io`; unknown on either side stays unknown, never 0.
    @Test func ioRates() {
        let system = SystemInfo(hostname: "h", uptime: nil, load: nil, cpuTimes: nil, memory: nil, cpus: 1)
        func p(_ pid: Int32, _ io: ProcIO?) -> ProcessEntry { entry(pid: pid, io: io) }
        let before = Snapshot(time: 0, monotonic: 10, system: system, processes: [p(1, ProcIO(readBytes: 0, writeBytes: 1000)), p(2, nil), p(3, ProcIO(readBytes: 5, writeBytes: 5))], clockTicksPerSecond: 100)
        var after = Snapshot(time: 2, monotonic: 12, system: system, processes: [p(1, ProcIO(readBytes: 4096, writeBytes: 3000)), p(2, ProcIO(readBytes: 10, writeBytes: 10)), p(3, nil), p(4, ProcIO(readBytes: 1, writeBytes: 1))], clockTicksPerSecond: 100)
        after.computeCPU(since: before)
        #expect(after.processes.map(\.ioReadRate) == [2048, nil, nil, nil])
        #expect(after.processes.map(\.ioWriteRate) == [1000, nil, nil, nil])
        #expect(after.processes.map(\.ioRate) == [3048, nil, nil, nil])
        #expect(Column.ioRate.text(after.processes[0]) == "2K/s")
        #expect(Column.ioWriteRate.text(after.processes[0]) == "1000B/s")
        #expect(Column.ioReadRate.text(after.processes[1]) == "-")
    }
}
