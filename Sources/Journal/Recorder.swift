#if canImport(Glibc)
import Glibc
#endif
import Lifecycle
import OutputFormats
import ProcFS

/// `swtop events --record`: what goes into the journal, and when old days go out of it.
/// Every event reported is written as its `--json` line, between a `recording started` and a
/// `recording stopped` line, with `lost` lines where events could not be seen or written.
public final class Recorder {
    public struct Options: Sendable {
        public var retention = Retention()
        /// Record clean exits of short-lived processes too (`--journal-all`).
        public var everything = false
        /// A clean exit of a process that lived less than this is left out (shell pipelines and
        /// cron jobs would flood the journal).
        public var shortLived = 10.0

        public init(retention: Retention = Retention(), everything: Bool = false) {
            self.retention = retention
            self.everything = everything
        }
    }

    public let writer: JournalWriter
    let options: Options
    private var retainedDay: Int?

    /// Opens (creating) the directory, applies retention and writes the `started` line.
    public init(directory: String, options: Options, sources: [String], report: @escaping (String) -> Void) {
        writer = JournalWriter(directory: directory, report: report)
        self.options = options
        let now = Clock.now()
        retainIfDue(now: now)
        writer.append(RecordingMarker.recording(started: true, time: now, pid: getpid(), sources: sources), time: now)
    }

    /// Whether an event goes into the journal: all but the clean exits of short-lived processes
    /// that nobody asked to stop (neither swtop nor another process), unless everything is
    /// recorded.
    public func keeps(_ event: LifecycleEvent) -> Bool {
        guard !options.everything, case .exit(let record) = event.kind else { return true }
        guard record.isClean, let lifetime = record.lifetime else { return true }
        return lifetime >= options.shortLived
    }

    public func record(_ event: LifecycleEvent) {
        guard keeps(event) else { return }
        writer.append(EventJSON.render(event), time: event.time)
    }

    /// Events the kernel dropped before the monitor saw them (the proc connector's ENOBUFS).
    public func recordKernelLoss(_ count: Int) {
        guard count > 0 else { return }
        let now = Clock.now()
        writer.append(RecordingMarker.lost(count: count, cause: .kernel, time: now), time: now)
    }

    /// Called as the monitor's loop turns: the once-a-second fdatasync, and retention once a day.
    public func tick() {
        writer.syncIfDue(now: Clock.monotonic())
        retainIfDue(now: Clock.now())
    }

    /// Writes the `stopped` line and closes the file (synced).
    public func stop() {
        let now = Clock.now()
        writer.append(RecordingMarker.recording(started: false, time: now, pid: getpid()), time: now)
        writer.close()
    }

    private func retainIfDue(now: Double) {
        guard let today = CalendarDay.day(of: now), today != retainedDay, let directory = writer.openDirectory() else { return }
        retainedDay = today
        options.retention.apply(to: directory, today: today)
    }
}
