import Lifecycle
import ProcFS
import ProcessControl
import ProcessModel

/// A journal line read back into what the live stream has: the process's facts, how it ended,
/// and for the kinds this swtop knows, the `LifecycleEvent` itself, so `EventLine` words it as
/// live and `EventSelection` filters it as live. A kind from a newer swtop keeps its facts (it
/// is filtered by pid, name and user) and is printed in JSON as recorded.
public struct RecordedEvent {
    public var time: Double
    /// The `event` field: exit, zombie, orphan, crash_loop, signal, recording, lost, or a newer kind.
    public var kind: String
    public var process: ProcessFacts?
    /// How it ended, for an exit or a zombie; the last run's ending for a crash loop.
    public var outcome: Outcome?
    /// The event as the monitor made it; nil for the journal's own lines and unknown kinds.
    public var event: LifecycleEvent?

    /// nil when the line lacks a time or an event kind.
    public init?(_ line: FlatJSONLine) {
        guard let timeText = line.rawString("time"), let time = CalendarDay.parseRFC3339(timeText) else { return nil }
        self.init(line, time: time)
    }

    /// What of a process's facts to read besides what every event is told with.
    public struct Parts: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// `cmdline`: for -F, and to show or print it (the words do not).
        public static let commandLine = Parts(rawValue: 1)
        /// `cgroup`, `unit` and `container`, as the process's membership: for --unit and --container.
        public static let cgroup = Parts(rawValue: 2)
        public static let all: Parts = [.commandLine, .cgroup]
    }

    /// The line whose `time` the reader has read already (JournalReader hands it over).
    /// - Parameter parts: what to read of the process beyond its pid, name, parent and user; a
    ///   part left out is empty (no command line) or nil (no membership). A reader of a million
    ///   lines in words saves an array and an object a line.
    public init?(_ line: FlatJSONLine, time: Double, reading parts: Parts = .all) {
        guard let kind = line.string("event") else { return nil }
        self.time = time
        self.kind = kind
        guard let pid = line.integer("pid").flatMap(Int32.init(exactly:)), kind != "recording" else { return }
        let lifetime = Self.seconds(line, "lifetime_s")
        // The start is worked back from the recorded lifetime, so the words say the same
        // "after 3.2 s" as they did live.
        let facts = ProcessFacts(
            key: ProcessKey(id: pid, startTicks: 0), name: line.string("name") ?? "", cmdline: parts.contains(.commandLine) ? line.strings("cmdline") ?? [] : [],
            ppid: line.integer("ppid").flatMap(Int32.init(exactly:)) ?? 0, uid: line.integer("uid").flatMap(UInt32.init(exactly:)),
            user: line.string("user"), startTime: lifetime.map { time - $0 }, membership: parts.contains(.cgroup) ? Self.membership(line) : nil)
        process = facts
        switch kind {
        case "exit":
            let ending = Self.outcome(line, "outcome", "exit_code", "signal")
            outcome = ending
            let record = ExitRecord(
                process: facts, outcome: ending, source: line.string("source").flatMap(ExitSource.init(rawValue:)) ?? .vanished,
                time: time, parentName: line.string("parent_name"),
                stoppedBySwtop: line.string("stopped_by_swtop").flatMap(StopKind.init(rawValue:)))
            var told = record
            told.sentBy = line.object("sent_by").flatMap(Self.sender)
            if let stop = line.object("stop"), let by = stop.object("requested_by").flatMap(Self.sender),
                let kind = stop.string("kind").flatMap(StopEnding.Kind.init(rawValue:)), let signal = Self.signal(stop, "signal")
            {
                told.stop = StopEnding(kind: kind, signal: signal, after: Self.seconds(stop, "after_s") ?? 0, requestedBy: by)
            }
            event = LifecycleEvent(time: time, process: facts, kind: .exit(told))
        case "zombie":
            let ending = Self.outcome(line, "outcome", "exit_code", "signal")
            outcome = ending
            event = LifecycleEvent(
                time: time, process: facts,
                kind: .zombie(outcome: ending, parentName: line.string("parent_name"), unreaped: ZombieAge(seconds: Self.seconds(line, "unreaped_s") ?? 0, isLowerBound: line.bool("unreaped_at_least") ?? false)))
        case "orphan":
            event = LifecycleEvent(
                time: time, process: facts,
                kind: .orphan(
                    formerParent: line.integer("former_ppid").flatMap(Int32.init(exactly:)) ?? 0,
                    formerParentName: line.string("former_parent_name")))
        case "crash_loop":
            let last = Self.outcome(line, "last_outcome", "last_exit_code", "last_signal")
            outcome = last
            let loop = CrashLoop(
                restarts: line.integer("restarts").flatMap(Int.init(exactly:)) ?? 0, window: Self.seconds(line, "window_s") ?? 0,
                lastOutcome: last, pids: (line.integers("pids") ?? []).compactMap(Int32.init(exactly:)),
                command: facts.command, parent: facts.ppid, supervisor: line.object("supervisor").flatMap(Self.supervisor))
            event = LifecycleEvent(time: time, process: facts, kind: .crashLoop(loop))
        case "signal":
            if let signal = Self.signal(line, "signal"), let sender = line.object("sent_by").flatMap(Self.sender) {
                event = LifecycleEvent(time: time, process: facts, kind: .signal(signal: signal, sender: sender))
            }
        default:
            break
        }
    }

    /// `cgroup`, `unit` and `container` as EventJSON.writeMembership wrote them; nil where all
    /// three are null (or the line is older than they are).
    public static func membership(_ line: FlatJSONLine) -> Membership? {
        let path = line.string("cgroup")
        let unit = line.string("unit")
        let container = line.object("container").flatMap { c -> CgroupContainer? in
            guard let runtime = c.string("runtime"), let id = c.string("id") else { return nil }
            return CgroupContainer(runtime: runtime, id: id, pod: c.string("pod"), name: c.string("name"))
        }
        if path == nil, unit == nil, container == nil { return nil }
        return Membership(ProcCgroup(path: path ?? "", unit: unit, container: container))
    }

    /// A signal's number from its name ("SIGTERM"); short names only, see `outcome`.
    static func signal(_ line: FlatJSONLine, _ key: StaticString) -> Int32? {
        line.string(key).flatMap { $0.utf8.count <= 12 ? Signal(parsing: $0)?.number : nil }
    }

    /// `sent_by` or `requested_by` as EventJSON.writeSender wrote it.
    static func sender(_ object: FlatJSONLine) -> SignalSender? {
        guard let kernel = object.bool("kernel") else { return nil }
        if kernel { return .theKernel }
        return SignalSender(
            pid: object.integer("pid").flatMap(Int32.init(exactly:)), name: object.string("name"),
            uid: object.integer("uid").flatMap(UInt32.init(exactly:)), user: object.string("user"), kernel: false)
    }

    /// A crash loop's `supervisor` as EventJSON wrote it.
    static func supervisor(_ object: FlatJSONLine) -> CrashLoop.Supervisor? {
        guard let pid = object.integer("pid").flatMap(Int32.init(exactly:)), let attempt = object.integer("attempt").flatMap(Int.init(exactly:)),
            let backoff = seconds(object, "backoff_s")
        else { return nil }
        return CrashLoop.Supervisor(pid: pid, attempt: attempt, backoff: backoff)
    }

    /// A duration from the journal, within what the words can tell (LifecycleEvent.duration
    /// and the crash loop's window turn seconds into an Int): a line saying 1e300 is not trusted.
    static func seconds(_ line: FlatJSONLine, _ key: StaticString) -> Double? {
        guard let value = line.number(key) else { return nil }
        return value.isFinite ? min(max(value, 0), 1e9) : nil
    }

    /// An ending from its three fields, as EventJSON.writeOutcome wrote them.
    static func outcome(_ line: FlatJSONLine, _ name: StaticString, _ code: StaticString, _ signal: StaticString) -> Outcome {
        // Short names only: Signal(parsing:) adds "RTMIN+N" without an overflow check.
        let number = Self.signal(line, signal)
        switch line.string(name) {
        case "exited": return line.integer(code).flatMap(Int32.init(exactly:)).map { .exited(code: $0) } ?? .unknown
        case "killed": return number.map { .killed(signal: $0) } ?? .unknown
        case "core_dumped": return number.map { .coreDumped(signal: $0) } ?? .unknown
        case "oom_killed": return .oomKilled
        default: return .unknown
        }
    }
}
