import Lifecycle
import ProcFS
import ProcessModel
import Sampling
import Synchronization

/// The long-running exporter's readings when it also follows how processes end (issue 9's
/// lifecycle model): the sampler that keeps a file per process open (as the screen and
/// `swtop events` do), and the lifecycle monitor, drained as the kernel reports on a thread of
/// its own (`LifecycleThread`) and fed each snapshot. One snapshot per exposition, as without it.
final class LifecycleTracking {
    /// The scrapes' sampler, used only by the thread that builds expositions.
    let sampler: Sampler
    let thread: LifecycleThread

    init(root: String, groupBy: GroupBy, maxGroups: Int) throws(ProcRootError) {
        // Without the proc connector (root), exits are seen through a pidfd per process: half
        // the fds for them.
        sampler = try Sampler(root: root, keepFilesOpen: true, shareFDs: LifecycleMonitor.connectorUsable ? 0 : 0.5)
        // The monitor reads each process as the kernel reports it, on the drain thread: with a
        // reader, user names and cgroup table of its own, never the scrapes'.
        let own = try Sampler(root: root)
        own.readBootTime()
        let monitor = LifecycleMonitor(reader: own.reader, options: LifecycleMonitor.Options(pidfdBudget: sampler.sharedFDs), build: own.entry)
        thread = LifecycleThread(LifecycleState(monitor: monitor, sampler: own, groupBy: groupBy, maxGroups: maxGroups))
        thread.start()
    }

    deinit { thread.stop() }

    /// One snapshot, added to the lifecycle monitor: the processes' figures.
    func read(cgroups: Bool) throws(ProcRootError) -> ProcessReading {
        let started = Clock.monotonic()
        let options = SampleOptions(files: cgroups ? [.status, .cmdline, .cgroup, .io] : [.status, .cmdline, .io])
        let snapshot = try thread.snapshot { () throws(ProcRootError) in try sampler.sample(options) }
        let ticks = snapshot.clockTicksPerSecond
        var processes: [ProcessFigures] = []
        processes.reserveCapacity(snapshot.processes.count)
        for entry in snapshot.processes where !entry.isSecondaryThread {
            processes.append(ProcessFigures(
                key: entry.key, ppid: entry.ppid, name: entry.name, state: entry.state, isKernelThread: entry.isKernelThread,
                userTicks: entry.utimeTicks, systemTicks: entry.stimeTicks, ticksPerSecond: ticks,
                residentBytes: (entry.rssKB ?? 0) &* 1024, virtualBytes: (entry.vszKB ?? 0) &* 1024, threads: entry.threads,
                openFiles: entry.isKernelThread ? nil : sampler.reader.openFileCount(entry.pid),
                startTime: entry.startTime, uid: entry.uid, unit: entry.membership?.unit,
                container: entry.membership?.containerLabel, ioReadBytes: entry.ioReadBytes, ioWriteBytes: entry.ioWriteBytes))
        }
        return ProcessReading(processes: processes, time: snapshot.time, duration: Clock.monotonic() - started, ticksPerSecond: ticks)
    }

    /// What an exposition shows of how processes ended: the counters, and the loops going on
    /// (the groups of loops that ended are forgotten here). `groups` are the processes' groups
    /// at this reading, for the ends counted until the next one.
    func ends(now: Double, groups: [ProcessKey: String]) -> (counters: LifecycleCounters, loops: [CrashLoop]) {
        thread.state.withLock { state in
            state.lastGroups = groups
            let loops = state.monitor.crashLoopsNow(now: now)
            state.ends.keepLoops(Set(loops.map(\.command)))
            return (state.ends, loops)
        }
    }
}
