import Lifecycle
import ProcFS
import ProcessModel
import Sampling

/// The long-running exporter's readings when it also follows how processes end (issue 9's
/// lifecycle model): the sampler that keeps a file per process open (as the screen and
/// `swtop events` do), and the lifecycle monitor fed by each of its snapshots. One snapshot per
/// exposition, as without it.
final class LifecycleTracking {
    let sampler: Sampler
    let monitor: LifecycleMonitor
    private var first = true

    init(root: String) throws(ProcRootError) {
        // Without the proc connector (root), exits are seen through a pidfd per process: half
        // the fds for them.
        sampler = try Sampler(root: root, keepFilesOpen: true, shareFDs: LifecycleMonitor.connectorUsable ? 0 : 0.5)
        monitor = LifecycleMonitor(
            reader: sampler.reader, options: LifecycleMonitor.Options(pidfdBudget: sampler.sharedFDs), build: sampler.entry)
    }

    /// One snapshot: the processes' figures and what the lifecycle monitor made of it.
    func read(cgroups: Bool) throws(ProcRootError) -> (reading: ProcessReading, events: [LifecycleEvent]) {
        let started = Clock.monotonic()
        let snapshot = try sampler.sample(SampleOptions(files: cgroups ? [.status, .cmdline, .cgroup, .io] : [.status, .cmdline, .io]))
        let events = monitor.update(with: snapshot)
        first = false
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
        let reading = ProcessReading(processes: processes, time: snapshot.time, duration: Clock.monotonic() - started, ticksPerSecond: ticks)
        return (reading, events)
    }
}

/// Counters of how processes ended, per group, kept for as long as the exporter runs (they
/// never go backwards), and the crash loops going on.
struct LifecycleCounters {
    /// group -> outcome name -> exits.
    var exits: [String: [String: Int]] = [:]
    var oomKills: [String: Int] = [:]
    /// group -> graceful or forced -> stops that another process asked for (root: the signal
    /// tracepoint).
    var stops: [String: [String: Int]] = [:]
    /// command -> group, for the loops the monitor reports.
    var loopGroups: [String: String] = [:]

    mutating func take(_ events: [LifecycleEvent], group: (ProcessFacts) -> String) {
        for event in events {
            switch event.kind {
            case .exit(let record):
                let name = group(record.process)
                exits[name, default: [:]][record.outcome.name, default: 0] += 1
                if record.outcome == .oomKilled { oomKills[name, default: 0] += 1 }
                if let stop = record.stop { stops[name, default: [:]][stop.kind.rawValue, default: 0] += 1 }
            case .crashLoop(let loop):
                loopGroups[loop.command] = group(event.process)
            case .zombie, .orphan, .signal:
                break
            }
        }
    }
}
