import ProcFS
import ProcessModel

/// What the screen asks of the lifecycle monitor between snapshots: rows, zombie ages, crash
/// loops, draining processes and how ghosts ended.
extension LifecycleMonitor {
    /// The process row of `pid` in the last snapshot.
    public func snapshotProcess(_ pid: Int32) -> ProcessEntry? { table.snapshotProcess(pid) }

    /// How long a zombie has been unreaped (since its death, or since swtop first saw it as a
    /// zombie; at least as long as swtop has watched for one that was there before); nil for
    /// anything else.
    public func unreaped(_ key: ProcessKey, now: Double) -> ZombieAge? { zombieAges.age(of: key, now: now) }

    /// What is told of a process (see `LifecycleReport.facts`).
    public func facts(_ entry: ProcessEntry) -> ProcessFacts { told.facts(entry) }

    /// Ends within the last `window` seconds: how many, how many failed, how many OOM kills.
    public func endingsSummary(now: Double, window: Double = 300) -> (ended: Int, failed: Int, oomKilled: Int) {
        told.endingsSummary(now: now, window: window)
    }

    /// Whether this process is a run of a command in a crash loop under its parent.
    public func isCrashLooping(_ entry: ProcessEntry, now: Double) -> Bool {
        told.crashLoops.isLooping(pid: entry.pid, now: now)
    }

    public func crashLoopsNow(now: Double) -> [CrashLoop] { told.crashLoops.loops(now: now) }

    /// The swtop runs' state files (nil for a replay): what each supervised child's row says.
    public var supervisedRuns: SupervisedRuns? { told.runs }

    /// The stop request a living process got from another process, if any: it is draining.
    public func draining(_ pid: Int32) -> StopRequest? { senders.draining(pid) }

    /// Every process that got a stop request and has not ended yet (few: a deploy's worth).
    public var drainingNow: [(pid: Int32, request: StopRequest)] { senders.drainingNow }

    /// How the process with this key ended, when swtop saw it end: while it is a zombie (or not
    /// yet gone from /proc), else among the recent events.
    public func ending(of key: ProcessKey) -> ExitRecord? { dead[key]?.record ?? told.ending(of: key) }
}
