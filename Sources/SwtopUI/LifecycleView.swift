import Lifecycle
import ProcFS
import ProcessModel

/// What the screen shows of the lifecycle monitor, taken at each refresh (ScreenLifecycle): the
/// events (E), how each ghost row ended, the marks of rows (zombies, parents holding them, crash
/// loops) and the header's count of exits. Plain data, so rendering stays a pure function of
/// the view state.
public struct LifecycleView: Sendable {
    /// The monitor's recent events, oldest first (the view lists them newest first).
    public var events: [LifecycleEvent] = []
    /// Ends within the last `window` seconds.
    public var ended = 0, failed = 0, oomKilled = 0
    /// How ghost rows (exited processes still on screen) ended, where the monitor knows, in
    /// the words every place uses (`Outcome.described`).
    public var endings: [ProcessKey: String] = [:]
    /// A short tag before a row's command: "zombie 12.0 s, exited 3", "3 zombies", "crash loop",
    /// "draining 12s".
    public var marks: [ProcessKey: String] = [:]
    /// The stop request each draining process got (another process asked it to stop, and it
    /// has not ended yet).
    public var draining: [ProcessKey: StopRequest] = [:]
    /// The children a swtop run supervises, and what its state file says of them.
    public var supervised: [ProcessKey: SupervisorState] = [:]

    /// The header's window: five minutes.
    public static let window = 300.0

    public init() {}

    /// The header line's text after its label: "12, 3 failed", "12, 3 failed, 1 OOM-killed"
    /// (OOM kills named only when there were some).
    public var exitsText: String {
        "\(ended), \(failed) failed" + (oomKilled > 0 ? ", \(oomKilled) OOM-killed" : "")
    }

    /// The mark of a row: a ghost says how it ended; a live row its lifecycle marks.
    /// - Parameter reapingShown: the row says itself whether it reaps (the service view's
    ///   "[main, not reaping]"): a namespace's PID 1 is not called out twice.
    public func mark(for key: ProcessKey, exited: Bool, reapingShown: Bool = false) -> String? {
        if exited { return endings[key] }
        guard reapingShown, let mark = marks[key], mark.hasPrefix(ReapingCheck.notReapingInitWords) else { return marks[key] }
        return String(mark.dropFirst(ReapingCheck.notReapingInitWords.count))
    }

    /// The events about processes the filter passes (the screen's -p, -u and F4, as the list
    /// has them), newest first.
    public func events(matching filter: ProcessFilter) -> [LifecycleEvent] {
        Self.matching(events, filter).reversed()
    }

    /// The events about processes the filter passes, in their order.
    public static func matching(_ events: [LifecycleEvent], _ filter: ProcessFilter) -> [LifecycleEvent] {
        if filter.isEmpty { return events }
        return events.filter { event in
            let p = event.process
            return filter.matches(pid: p.pid, uid: p.uid, name: p.name, command: p.cmdline.joined(separator: " "))
        }
    }

    // MARK: - Lines

    public static let titleLine = "    TIME     PID NAME            WHAT HAPPENED"

    /// One line of the events view: time, pid, name (escaped, 15 columns), then the words.
    public static func line(_ event: LifecycleEvent) -> String {
        line(time: event.time, process: event.process, words: event.words)
    }

    /// A line in the same columns; without a process (events lost), its columns stay blank.
    static func line(time: Double, process p: ProcessFacts?, words: String) -> String {
        let name = p.map { $0.name.isEmpty ? "?" : DisplayText.escaped($0.name) } ?? ""
        let pid = p.map { String($0.pid) } ?? ""
        let pidText = String(repeating: " ", count: max(0, 7 - pid.count)) + pid
        let padded = name + String(repeating: " ", count: max(0, 15 - CellWidth.of(name)))
        return Format.clock(time) + " " + pidText + " " + padded + " " + DisplayText.escaped(words)
    }

    /// The mark of a zombie row: how long it has been unreaped ("≥12s" for one that was there
    /// before swtop watched), and how it ended where known, in the words every place uses.
    public static func zombieMark(unreaped: ZombieAge?, ending: String?) -> String {
        var text = "zombie"
        if let unreaped { text += " " + (unreaped.isLowerBound ? "≥" : "") + shortDuration(unreaped.seconds) }
        if let ending { text += ", " + ending }
        return text
    }

    /// The mark of a parent holding zombies: "1 zombie", "3 zombies".
    public static func parentMark(zombies: Int) -> String {
        ReapingCheck.parentMark(zombies: zombies, namespaceInitNotReaping: false)
    }

    public static let crashLoopMark = "crash loop"

    /// A process that was asked to stop and has not yet: "draining 12s".
    public static func drainingMark(since seconds: Double) -> String { "draining " + shortDuration(seconds) }

    /// A child of swtop run: "run: attempt 3, back-off 4s, ready" (", unhealthy", ", stopping";
    /// no back-off with `--restart no`).
    public static func supervisedMark(_ run: SupervisorState) -> String {
        var text = "run: attempt \(run.attempt)"
        if run.restartsChild { text += ", back-off " + shortDuration(run.backoff) }
        if let health = run.healthWords { text += ", " + health }
        if run.phase == "stopping" { text += ", stopping" }
        return text
    }

    /// swtop run's own row while it waits to restart (its child has no row then):
    /// "run: attempt 3 ended, restart in 3s".
    public static func waitingMark(_ run: SupervisorState, now: Double) -> String? {
        guard run.phase == "waiting" else { return nil }
        let due = run.restartAt.map { ", restart in " + shortDuration(max(0, $0 - now).rounded(.up)) } ?? ""
        return "run: attempt \(run.attempt) ended" + due
    }

    /// "SIGTERM from deployer (pid 812, root) 12 s ago".
    public static func stopRequestWords(_ request: StopRequest, now: Double) -> String {
        Outcome.signalName(request.signal) + " from " + request.sender.words + " " + LifecycleEvent.duration(max(0, now - request.time)) + " ago"
    }

    /// A duration in a row's mark, where the command needs the room: "8s", "2m10s", "3h5m", "2d4h".
    public static func shortDuration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(s % 60)s" }
        if s < 86400 { return "\(s / 3600)h\(s % 3600 / 60)m" }
        return "\(s / 86400)d\(s % 86400 / 3600)h"
    }
}

extension ViewState {
    /// The events view's lines: the events of the processes the list's filters pass, newest
    /// first; without `a`, only those that need attention (clean exits left out).
    public var shownEvents: [LifecycleEvent] { eventsOnScreen.shown }

    /// The events view's lines, and how many clean exits `a` would add.
    public var eventsOnScreen: (shown: [LifecycleEvent], hiddenCleanExits: Int) {
        let events = lifecycle?.events(matching: listing.filter) ?? []
        if eventsShowAll { return (events, 0) }
        let attention = LifecycleEvent.needingAttention(events)
        return (attention.shown, attention.cleanExits)
    }

    /// The events view's status line: "Events: 3, newest first · 412 clean exits hidden ·
    /// a: show all  Esc back".
    /// With a journal read: "Events: 3 live, 12 recorded, newest first ..." (where it shows
    /// some), the clean exits hidden counted among both.
    var eventsStatus: String {
        let (shown, liveHidden) = eventsOnScreen
        var counts = String(shown.count)
        var hidden = liveHidden
        if let recorded, recorded.state == .read {
            let past = recordedEvents(recorded)
            if !past.shown.isEmpty { counts = "\(shown.count) live, \(past.shown.count) recorded" }
            hidden += past.cleanExits
        }
        let filtered = listing.filter.isEmpty ? "" : " (filtered as the list)"
        let clean = eventsShowAll ? " · a: hide clean exits" : hidden == 0 ? "" : " · \(hidden) clean exit\(hidden == 1 ? "" : "s") hidden · a: show all"
        return "Events: \(counts)\(filtered), newest first\(clean)  Esc back"
    }

    /// The recorded events the list's filters pass, and without `a` only those that need
    /// attention, with how many clean exits that left out.
    func recordedEvents(_ recorded: RecordedHistory) -> (shown: [LifecycleEvent], cleanExits: Int) {
        let events = LifecycleView.matching(recorded.events, listing.filter)
        return eventsShowAll ? (events, 0) : LifecycleEvent.needingAttention(events)
    }
}

extension ScreenRenderer {
    /// E: the lifecycle events, newest first, one a line, from `state.eventsTop`, then the
    /// recorded ones (EventRows).
    func drawEvents(_ state: ViewState, layout: ScreenLayout, into grid: inout ScreenGrid) {
        grid.fill(y: layout.titleRow, role: .columnHeader)
        grid.put(LifecycleView.titleLine, x: 0, y: layout.titleRow, role: .columnHeader)
        guard layout.listHeight > 0 else { return }
        guard state.lifecycle != nil else {
            grid.put("No events: a replay of a recorded tree shows none.", x: 1, y: layout.listTop, role: .dim)
            return
        }
        let rows = state.eventRows
        let (events, hidden) = state.eventsOnScreen
        if events.isEmpty, state.recorded?.state != .read {
            let text =
                hidden > 0 ? "Only clean exits so far (a shows them): failures, stops"
                : state.listing.filter.isEmpty ? "Nothing has happened yet: exits" : "Nothing has happened yet to the processes the filter shows: exits"
            // Below the lines about the journal, where there are some.
            for (i, row) in rows.enumerated() where i < layout.listHeight {
                if case .text(let words, let role) = row { grid.put(words, x: 0, y: layout.listTop + i, role: role) }
            }
            let y = layout.listTop + rows.count
            if y < layout.listTop + layout.listHeight {
                grid.put(text + ", zombies, orphans and crash loops appear here.", x: 1, y: y, role: .dim)
            }
            return
        }
        for line in 0..<layout.listHeight {
            let i = state.eventsTop + line
            guard i < rows.count else { break }
            let event: LifecycleEvent
            switch rows[i] {
            case .text(let words, let role):
                grid.put(words, x: 0, y: layout.listTop + line, role: role)
                continue
            case .event(let shown):
                event = shown
            }
            let role: Role
            switch event.kind {
            case .exit(let record): role = record.outcome.isFailure ? .taskWarning : .normal
            case .crashLoop, .zombie: role = .taskWarning
            case .orphan: role = .normal
            case .signal(let signal, _): role = signal == SignalSenders.kill ? .taskWarning : .normal
            }
            grid.put(LifecycleView.line(event), x: 0, y: layout.listTop + line, role: role)
        }
    }
}
