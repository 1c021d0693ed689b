#if canImport(Glibc)
import Glibc
#endif
import Lifecycle
import ProcFS
import ProcessModel
import Sampling
import Synchronization

/// The exporter's lifecycle monitor, drained on a thread of its own as the kernel reports: a
/// process that forks, execs and exits between two scrapes is named from what was read of it at
/// its exec, while it ran, instead of from what the connector's socket still holds at the next
/// scrape (by then it is gone, and it was counted under `[unknown]`).
///
/// The thread sleeps in `poll` on the monitor's descriptors (and a wake-up descriptor to stop
/// it): idle, it uses no CPU. It wakes again shortly after activity only for what the monitor
/// does a moment later (a forked child read again after 50 ms, a zombie's report after 5 s),
/// then sleeps until the kernel has something to say.
///
/// The monitor and the counters are behind one lock: the drain holds it while it reads a burst
/// of reports, a scrape while it adds its snapshot and reads the counters.
final class LifecycleThread: Sendable {
    let state: Mutex<LifecycleState>
    /// Held while a snapshot is read and added to the monitor, so that snapshots reach it in
    /// the order they were read (taken before `state`, never after).
    private let snapshots = Mutex<Void>(())
    /// A pipe whose read end the thread polls: written to wake it (to stop, or to take a new
    /// set of descriptors).
    private let wakeFD: Int32
    private let wakeWriteFD: Int32
    private let stopping = Atomic<Bool>(false)
    private let thread: Mutex<pthread_t?> = Mutex(nil)

    init(_ state: sending LifecycleState) {
        self.state = Mutex(state)
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            _ = fcntl(ends[0], F_SETFL, O_NONBLOCK)
        }
        (wakeFD, wakeWriteFD) = (ends[0], ends[1])
    }

    /// Starts the drain; false where no thread could be started (the scrapes then drain it, as
    /// each adds its snapshot).
    @discardableResult
    func start() -> Bool {
        guard wakeFD >= 0 else { return false }
        guard let created = TwoThreads.start({ self.drain() }) else { return false }
        thread.withLock { $0 = created }
        return true
    }

    /// Stops the drain and waits for it (the exporter's owner going away, in tests).
    func stop() {
        guard let running = thread.withLock({ value -> pthread_t? in
            defer { value = nil }
            return value
        }) else { return }
        stopping.store(true, ordering: .sequentiallyConsistent)
        wake()
        pthread_join(running, nil)
    }

    private func wake() {
        var one: UInt8 = 1
        _ = write(wakeWriteFD, &one, 1)
    }

    deinit {
        if wakeFD >= 0 {
            close(wakeFD)
            close(wakeWriteFD)
        }
    }

    /// Reads a snapshot with `read` (outside the state's lock: the drain goes on meanwhile) and
    /// adds it to the monitor.
    func snapshot(_ read: () throws(ProcRootError) -> Snapshot) throws(ProcRootError) -> Snapshot {
        let (snapshot, sourcesChanged) = try snapshots.withLock { _ throws(ProcRootError) -> (Snapshot, Bool) in
            let snapshot = try read()
            let changed = state.withLock { state -> Bool in
                let before = state.monitor.pollFDs
                state.update(with: snapshot)
                return state.monitor.pollFDs != before
            }
            return (snapshot, changed)
        }
        // The monitor gave up the proc connector (a container ignores it) for pidfds: the
        // thread waits on the new descriptors from now on.
        if sourcesChanged { wake() }
        return snapshot
    }

    /// Seconds after the last activity during which the monitor may have work of its own due:
    /// re-reads and orphan checks 50 ms after a fork or exit, a zombie's report after its wait.
    static let shortWait = 0.06

    private func drain() {
        // Named, so it can be told from the others in /proc/PID/task (top -H, the tests).
        let comm = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        if comm >= 0 {
            _ = "swtop-lifecycle".withCString { write(comm, $0, 15) }
            close(comm)
        }
        var lastActivity = -Double.infinity
        var zombieWait = 5.0
        while true {
            let fds = state.withLock { state -> [Int32] in
                zombieWait = state.monitor.options.zombieAfter
                return state.monitor.pollFDs
            }
            let now = Clock.monotonic()
            let timeout: Int32
            if now - lastActivity < 0.2 {
                timeout = Int32(Self.shortWait * 1000)
            } else if now - lastActivity < zombieWait + 0.5 {
                timeout = Int32((lastActivity + zombieWait + 0.5 - now) * 1000) + 1
            } else {
                timeout = -1
            }
            var woken = Self.wait(fds + [wakeFD], timeout: timeout)
            if woken.contains(wakeFD) {
                if stopping.load(ordering: .sequentiallyConsistent) { return }
                var bytes = [UInt8](repeating: 0, count: 64)
                while bytes.withUnsafeMutableBytes({ read(wakeFD, $0.baseAddress, $0.count) }) > 0 {}
                woken.removeAll { $0 == wakeFD }
            }
            let (told, wantsSnapshot) = state.withLock { state -> (Int, Bool) in
                let events = state.monitor.pollSources()
                state.count(events)
                if !woken.isEmpty { state.reportedSinceSnapshot = true }
                return (events.count, state.wantsOwnSnapshot(now: Clock.monotonic()))
            }
            if !woken.isEmpty { lastActivity = Clock.monotonic() }
            if wantsSnapshot {
                // Unless a scrape is reading one now (it adds it when done).
                _ = snapshots.withLockIfAvailable { _ in
                    state.withLock { state in
                        if let snapshot = try? state.sampler.sample(SampleOptions(files: [.status, .cmdline])) { state.update(with: snapshot) }
                    }
                }
            }
            // Readable again already: more came while this was read. A storm (hundreds of
            // ends) is taken in batches of 20 ms rather than one wake-up per event; otherwise
            // 2 ms, so a program is still read at its exec while it runs, and a source that
            // stays readable with nothing to read cannot make this loop spin.
            if !woken.isEmpty, !Self.wait(fds, timeout: 0).isEmpty { Clock.sleep(seconds: told >= 32 ? 0.02 : 0.002) }
        }
    }

    /// The descriptors of `fds` that are readable, after waiting up to `timeout` ms (-1: for
    /// ever); a signal's interruption returns none.
    private static func wait(_ fds: [Int32], timeout: Int32) -> [Int32] {
        var polls = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let n = polls.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), timeout) }
        guard n > 0 else { return [] }
        return polls.filter { $0.revents != 0 }.map(\.fd)
    }
}

/// What the drain thread and the scrapes share, behind the thread's lock.
struct LifecycleState {
    let monitor: LifecycleMonitor
    /// The monitor's own sampler (its `entry` names what the kernel reports), for the snapshots
    /// the drain takes itself when nobody scrapes.
    let sampler: Sampler
    var ends: LifecycleCounters
    /// Each process's group at the last reading: an ended process is counted in the group it
    /// was in (its cgroup can no longer be read).
    var lastGroups: [ProcessKey: String] = [:]
    /// The drain thread's own grouping (its user names are not shared with the scrapes').
    let grouping: Grouping
    /// When the monitor last had a snapshot, and whether the kernel reported anything since.
    var lastSnapshot = Clock.monotonic()
    var reportedSinceSnapshot = false

    init(monitor: LifecycleMonitor, sampler: Sampler, groupBy: GroupBy, maxGroups: Int) {
        self.monitor = monitor
        self.sampler = sampler
        grouping = Grouping(by: groupBy)
        ends = LifecycleCounters(maxGroups: maxGroups)
    }

    /// Counts what the monitor reported.
    mutating func count(_ events: [LifecycleEvent]) {
        guard !events.isEmpty else { return }
        let before = lastGroups
        let grouping = self.grouping
        // An end the kernel reported before anything of the process could be read has no name.
        ends.take(events) {
            before[$0.key] ?? ($0.name.isEmpty ? Grouping.unknownGroup : grouping.group(name: $0.name, uid: $0.uid, unit: nil, container: nil))
        }
    }

    /// Adds a snapshot to the monitor and counts what it made of it.
    mutating func update(with snapshot: Snapshot) {
        count(monitor.update(with: snapshot))
        lastSnapshot = Clock.monotonic()
        reportedSinceSnapshot = false
    }

    /// Whether the drain should take a snapshot itself: what only a snapshot lets go of has
    /// grown (thousands of processes came and went), or a minute has passed since the last
    /// one with reports in between. An idle machine's exporter that nobody scrapes reads
    /// nothing.
    func wantsOwnSnapshot(now: Double) -> Bool {
        monitor.heldUntilSnapshot >= Self.heldLimit || (reportedSinceSnapshot && now - lastSnapshot >= Self.snapshotAfter)
    }

    static let heldLimit = 5_000
    static let snapshotAfter = 60.0
}
