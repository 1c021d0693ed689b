import Lifecycle
import ProcessModel

/// Which events `swtop events` shows, live and read back alike: -p, -u and -F (a ProcessFilter),
/// --name, --outcome and --failures. The journal's own lines (recording, lost) always pass: they
/// say where the record has gaps, whatever is being looked for.
public struct EventSelection: Sendable {
    public var process: ProcessFilter
    /// The process's name, exactly (as `name` in the JSON).
    public var name: String?
    /// An outcome's JSON name: exited, killed, core_dumped, oom_killed, unknown.
    public var outcome: String?
    /// Only failures: exits and zombies that did not exit 0, and crash loops.
    public var failuresOnly: Bool

    public static let outcomeNames = ["exited", "killed", "core_dumped", "oom_killed", "unknown"]

    public init(process: ProcessFilter = ProcessFilter(), name: String? = nil, outcome: String? = nil, failuresOnly: Bool = false) {
        self.process = process
        self.name = name
        self.outcome = outcome
        self.failuresOnly = failuresOnly
    }

    public var isEmpty: Bool { process.isEmpty && name == nil && outcome == nil && !failuresOnly }

    public func matches(_ event: LifecycleEvent) -> Bool {
        var ending: Outcome?
        switch event.kind {
        case .exit(let record): ending = record.outcome
        case .zombie(let outcome, _, _): ending = outcome
        case .crashLoop(let loop): ending = loop.lastOutcome
        case .orphan: ending = nil
        }
        if case .crashLoop = event.kind { return matches(event.process, ending, failed: true) }
        return matches(event.process, ending, failed: ending?.isFailure ?? false)
    }

    public func matches(_ recorded: RecordedEvent) -> Bool {
        if isEmpty || recorded.kind == "recording" || recorded.kind == "lost" { return true }
        if let event = recorded.event { return matches(event) }
        guard let process = recorded.process else { return false }
        return matches(process, recorded.outcome, failed: recorded.outcome?.isFailure ?? false)
    }

    func matches(_ p: ProcessFacts, _ ending: Outcome?, failed: Bool) -> Bool {
        if failuresOnly, !failed { return false }
        if let outcome, ending?.name != outcome { return false }
        if let name, p.name != name { return false }
        return process.isEmpty || process.matches(pid: p.pid, uid: p.uid, name: p.name, command: p.cmdline.joined(separator: " "))
    }
}
