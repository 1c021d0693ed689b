import Lifecycle
import ProcFS
import ProcessModel

/// Which events `swtop events` shows, live and read back alike: -p, -u, -F, --unit and
/// --container (a ProcessFilter), --name, --outcome and --failures, and whether clean exits are
/// left out (the human stream's default, `LifecycleEvent.needsAttention`). The journal's own
/// lines (recording, lost) always pass: they say where the record has gaps, whatever is being
/// looked for.
public struct EventSelection: Sendable {
    public var process: ProcessFilter
    /// The process's name, exactly (as `name` in the JSON).
    public var name: String?
    /// An outcome's JSON name: exited, killed, core_dumped, oom_killed, unknown.
    public var outcome: String?
    /// Only failures: exits and zombies that did not exit 0, and crash loops.
    public var failuresOnly: Bool
    /// Leaves out clean exits (exit 0, nobody asked it to stop): what the human `swtop events`
    /// does without --all.
    public var hidesCleanExits: Bool

    public static let outcomeNames = ["exited", "killed", "core_dumped", "oom_killed", "unknown"]

    public init(process: ProcessFilter = ProcessFilter(), name: String? = nil, outcome: String? = nil, failuresOnly: Bool = false, hidesCleanExits: Bool = false) {
        self.process = process
        self.name = name
        self.outcome = outcome
        self.failuresOnly = failuresOnly
        self.hidesCleanExits = hidesCleanExits
    }

    public var isEmpty: Bool { process.isEmpty && name == nil && outcome == nil && !failuresOnly && !hidesCleanExits }

    /// What of a recorded line `matches` looks at beyond pid, name, user and outcome: the
    /// command line for -F, the cgroup for --unit and --container.
    public var partsNeeded: RecordedEvent.Parts {
        var parts: RecordedEvent.Parts = []
        if !process.matcher.isEmpty { parts.insert(.commandLine) }
        if process.unit != nil || process.container != nil { parts.insert(.cgroup) }
        return parts
    }

    public func matches(_ event: LifecycleEvent) -> Bool {
        if hidesCleanExits, !event.needsAttention { return false }
        var ending: Outcome?
        switch event.kind {
        case .exit(let record): ending = record.outcome
        case .zombie(let outcome, _, _): ending = outcome
        case .crashLoop(let loop): ending = loop.lastOutcome
        case .orphan, .signal: ending = nil
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

    /// Whether `recorded` would be chosen with clean exits shown (`--all`): to count those hidden.
    public func matchesAll(_ recorded: RecordedEvent) -> Bool {
        var all = self
        all.hidesCleanExits = false
        return all.matches(recorded)
    }

    /// A look at a recorded line's raw fields before it is read into an event: false when it
    /// cannot match (most lines, for a narrow filter), so only the others pay for `matches`.
    public func mayMatch(_ line: FlatJSONLine) -> Bool {
        guard let kind = line.rawString("event") else { return true }
        if kind.elementsEqual("recording".utf8) || kind.elementsEqual("lost".utf8) { return true }
        if let outcome {
            // A crash loop is told by its last run's ending.
            guard let raw = line.rawString("outcome") ?? line.rawString("last_outcome"), raw.elementsEqual(outcome.utf8) else { return false }
        }
        if let pids = process.pids, let pid = line.integer("pid"), !pids.contains(Int32(truncatingIfNeeded: pid)) { return false }
        // An escaped name is left to `matches`, which decodes it.
        if let name, let raw = line.rawString("name"), !raw.contains(UInt8(ascii: "\\")), !raw.elementsEqual(name.utf8) { return false }
        if let unit = process.unit, Self.inUnit(line, unit) == false { return false }
        // Outside any container (or recorded before events said): not the one asked.
        if process.container != nil, line.kind("container") != .object { return false }
        return true
    }

    /// Whether the line's raw fields say it is of the --unit asked for (so the rest of the
    /// selection decides, without reading its cgroup).
    public func unitMatches(_ line: FlatJSONLine) -> Bool {
        process.unit.map { Self.inUnit(line, $0) == true } ?? false
    }

    /// ProcessFilter.inUnit on a recorded line's raw `unit` and `cgroup`, without decoding them
    /// (a reader of a million lines for one unit passes over the others at the cost of a
    /// comparison); nil where they hold escapes, for `matches` to decide.
    static func inUnit(_ line: FlatJSONLine, _ unit: String) -> Bool? {
        let rawUnit = line.rawString("unit")
        let rawPath = line.rawString("cgroup")
        let backslash = UInt8(ascii: "\\")
        if rawUnit?.contains(backslash) == true || rawPath?.contains(backslash) == true { return nil }
        func named(_ part: ArraySlice<UInt8>) -> Bool {
            let n = unit.utf8.count
            if part.count == n { return part.elementsEqual(unit.utf8) }
            return part.count == n + 8 && part.prefix(n).elementsEqual(unit.utf8) && part.suffix(8).elementsEqual(".service".utf8)
        }
        if let rawUnit, named(rawUnit) { return true }
        guard let rawPath else { return false }
        // Each component of the path, without an array of them.
        var start = rawPath.startIndex
        while start < rawPath.endIndex {
            let end = rawPath[start...].firstIndex(of: UInt8(ascii: "/")) ?? rawPath.endIndex
            if named(rawPath[start..<end]) { return true }
            start = end + 1
        }
        return false
    }

    /// The verdict from the line's fields alone, without reading it into an event, where they
    /// settle it (what `matches` would say); nil where they do not: a -u or -F filter, a kind
    /// from a newer swtop, a line without a pid. For the --json reader of a large journal.
    public func quickVerdict(_ line: FlatJSONLine) -> Bool? {
        guard mayMatch(line) else { return false }
        guard process.matcher.isEmpty, process.uid == nil, let kind = line.string("event") else { return nil }
        switch kind {
        case "recording", "lost": return true
        case "exit", "zombie", "orphan", "crash_loop", "signal": break
        default: return nil
        }
        guard let pid = line.integer("pid").flatMap(Int32.init(exactly:)) else { return nil }
        if let pids = process.pids, !pids.contains(pid) { return false }
        if let name, line.string("name") ?? "" != name { return false }
        // The unit settled by the raw fields (mayMatch) needs no membership read.
        let unitSettled = process.unit == nil || unitMatches(line)
        if !unitSettled || process.container != nil {
            let membership = RecordedEvent.membership(line)
            if !unitSettled, let unit = process.unit, !ProcessFilter.inUnit(membership, unit) { return false }
            if let container = process.container, !ProcessFilter.inContainer(membership, container) { return false }
        }
        // Clean or not is told by several fields (outcome, stop, sent_by): the event says it.
        if hidesCleanExits, kind == "exit" { return nil }
        guard outcome != nil || failuresOnly else { return true }
        let ending: Outcome? =
            switch kind {
            case "orphan", "signal": nil
            case "crash_loop": RecordedEvent.outcome(line, "last_outcome", "last_exit_code", "last_signal")
            default: RecordedEvent.outcome(line, "outcome", "exit_code", "signal")
            }
        if let outcome, ending?.name != outcome { return false }
        if failuresOnly, kind != "crash_loop", !(ending?.isFailure ?? false) { return false }
        return true
    }

    func matches(_ p: ProcessFacts, _ ending: Outcome?, failed: Bool) -> Bool {
        if failuresOnly, !failed { return false }
        if let outcome, ending?.name != outcome { return false }
        if let name, p.name != name { return false }
        return process.isEmpty
            || process.matches(pid: p.pid, uid: p.uid, name: p.name, command: p.cmdline.joined(separator: " "), membership: p.membership)
    }
}
