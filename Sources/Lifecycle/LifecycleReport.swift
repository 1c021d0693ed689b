#if canImport(Glibc)
import Glibc
#endif
import ProcFS
import ProcessModel

/// What the lifecycle monitor has told: the recent events (the screen's E view), the ends of
/// the last ten minutes (the header's count), and the crash loops found among the exits.
struct LifecycleReport {
    /// The most recent events, oldest first (at most `LifecycleMonitor.recentLimit`).
    private(set) var recent: [LifecycleEvent] = []
    /// The ends of the last ten minutes, for the header.
    private var endings: [(time: Double, outcome: Outcome)] = []
    private(set) var crashLoops = CrashLoopDetector()

    /// Seconds since the epoch at boot, from the clocks (see `facts`).
    private let bootTime = Clock.now() - Clock.sinceBoot()
    private let ticksPerSecond: Double = {
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        return ticks > 0 ? Double(ticks) : 100
    }()
    private let isLive: Bool
    /// The swtop runs' state files, to say which crash loops one of them restarts (live only).
    let runs: SupervisedRuns?

    init(isLive: Bool) {
        self.isLive = isLive
        runs = isLive ? SupervisedRuns() : nil
    }

    /// An exit: its event (and the end of a run, for the crash loops).
    mutating func report(_ record: ExitRecord, into events: inout [LifecycleEvent]) {
        add(LifecycleEvent(time: record.time, process: record.process, kind: .exit(record)), into: &events)
        endings.append((record.time, record.outcome))
        crashLoops.ended(record)
    }

    /// A run of a command started (see `CrashLoopDetector`): a crash loop's event when this
    /// restart starts one.
    mutating func started(_ entry: ProcessEntry, as identity: CrashLoopDetector.Identity?, time: Double, into events: inout [LifecycleEvent]) {
        guard var loop = crashLoops.started(pid: entry.pid, as: identity, time: time) else { return }
        if let runs {
            runs.refresh()
            loop.supervisor = runs.supervisor(of: entry.pid, parent: entry.ppid).map {
                CrashLoop.Supervisor(pid: $0.pid, attempt: $0.attempt, backoff: $0.backoff)
            }
        }
        add(LifecycleEvent(time: time, process: facts(entry), kind: .crashLoop(loop)), into: &events)
    }

    /// Any other event: returned, and kept among the recent ones.
    mutating func add(_ event: LifecycleEvent, into events: inout [LifecycleEvent]) {
        events.append(event)
        recent.append(event)
        if recent.count > LifecycleMonitor.recentLimit { LifecycleEvent.trim(&recent, to: LifecycleMonitor.recentLimit) }
    }

    mutating func expire(now: Double) {
        crashLoops.expire(now: now)
        endings.removeAll { now - $0.time > 600 }
    }

    /// What is told of a process. Its start time is worked out from the clocks, to the clock
    /// tick: /proc/stat's btime (which the snapshots use, as ps does) is cut to the second, and
    /// would make a process of 5 ms look up to a second old.
    func facts(_ entry: ProcessEntry) -> ProcessFacts {
        let start = entry.startTicks == 0 || !isLive ? entry.startTime : bootTime + Double(entry.startTicks) / ticksPerSecond
        return ProcessFacts(
            key: entry.key, name: entry.name, cmdline: entry.cmdline ?? [], ppid: entry.ppid, uid: entry.uid,
            user: entry.user, startTime: start, membership: entry.membership)
    }

    /// Ends within the last `window` seconds: how many, how many failed, how many OOM kills.
    func endingsSummary(now: Double, window: Double) -> (ended: Int, failed: Int, oomKilled: Int) {
        var ended = 0, failed = 0, oom = 0
        for e in endings where now - e.time <= window {
            ended += 1
            if e.outcome.isFailure { failed += 1 }
            if e.outcome == .oomKilled { oom += 1 }
        }
        return (ended, failed, oom)
    }

    /// How the process with this key ended, when swtop saw it end.
    func ending(of key: ProcessKey) -> ExitRecord? {
        for event in recent.reversed() {
            if case .exit(let record) = event.kind, record.process.key == key { return record }
        }
        return nil
    }
}
