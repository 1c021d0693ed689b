import ProcFS
import ProcessControl
import ProcessModel

/// The keys that act on processes (F9 k, F7 ], F8 [, r, L): they record requests that ScreenLoop
/// carries out through ProcessActions, the one place in SwtopUI that acts.
extension ViewState {
    /// Why a process-control key does nothing here, or nil when it may act.
    func controlRefusal(_ name: String) -> String? {
        if readonly { return name + ": swtop is read-only (--readonly)" }
        if replaySource != nil { return name + ": this is a replay of recorded files, not live processes" }
        return nil
    }

    /// The processes an action is for: every tagged one, else the selected one. A thread row
    /// stands for its process. nil (with a message said) when there is none.
    mutating func controlTargets(_ name: String, selectedOnly: Bool = false) -> [ControlTarget]? {
        var entries: [ProcessEntry] = []
        if !tagged.isEmpty, !selectedOnly {
            var byKey: [ProcessKey: ProcessEntry] = [:]
            for p in snapshot?.processes ?? [] where tagged.contains(p.key) { byKey[p.key] = p }
            for (key, ghost) in ghosts where tagged.contains(key) && byKey[key] == nil { byKey[key] = ghost.entry }
            entries = byKey.values.sorted { ($0.pid, $0.id) < ($1.pid, $1.id) }
        } else if let row = selectedRow {
            entries = [row.entry]
        }
        guard !entries.isEmpty else {
            say(name + ": no process selected", error: true)
            return nil
        }
        var targets: [ControlTarget] = []
        var seen = Set<Int32>()
        for entry in entries {
            var process = entry
            if entry.isSecondaryThread {
                guard let main = snapshot?.processes.first(where: { $0.pid == entry.pid && !$0.isSecondaryThread }) else {
                    say(name + ": thread \(entry.id): its process \(entry.pid) is not in the list", error: true)
                    return nil
                }
                process = main
            }
            guard seen.insert(process.pid).inserted else { continue }
            targets.append(ControlTarget(
                target: ProcessTarget(process.key),
                name: DisplayText.escaped(process.name), nice: process.nice))
        }
        return targets
    }

    static func describe(_ targets: [ControlTarget]) -> String {
        targets.count == 1 ? targets[0].label : "\(targets.count) tagged processes"
    }

    mutating func openSignalMenu() {
        if let refusal = controlRefusal("Kill") { return say(refusal, error: true) }
        guard let targets = controlTargets("Kill") else { return }
        let items = [gracefulStopLabel(grace: grace)] + Signal.menu.map(Self.signalItem)
        mode = .picker(Picker(kind: .signal(targets: targets, signals: Signal.menu), title: "Send to " + Self.describe(targets), items: items, selected: 0))
    }

    /// "15 SIGTERM", " 1 SIGHUP".
    static func signalItem(_ signal: Signal) -> String {
        let n = String(signal.number)
        return String(repeating: " ", count: max(0, 2 - n.count)) + n + " " + signal.name
    }

    mutating func renice(by delta: Int32, name: String) {
        if let refusal = controlRefusal(name) { return say(refusal, error: true) }
        guard let targets = controlTargets(name) else { return }
        requests.append(.reniceBy(delta, targets))
    }

    mutating func openNicePrompt() {
        if let refusal = controlRefusal("Nice") { return say(refusal, error: true) }
        guard let targets = controlTargets("Nice") else { return }
        let now = targets.count == 1 ? " (now \(targets[0].nice))" : ""
        mode = .prompt(Prompt(kind: .nice(targets), label: "Nice of \(Self.describe(targets))\(now), -20 to 19: "))
    }

    /// Viewing is allowed read-only (--readonly refuses only Enter's change), not in a replay:
    /// a recording's limits are not the live process's.
    mutating func openLimits() {
        if replaySource != nil, let refusal = controlRefusal("Limits") { return say(refusal, error: true) }
        guard let target = controlTargets("Limits", selectedOnly: true)?.first else { return }
        limitsView = LimitsView(target: target)
        mode = .limits
        clearMessage()
        requests.append(.readLimits(target))
    }

    mutating func handlePromptKey(_ key: Key, _ prompt: Prompt) -> Effects {
        var p = prompt
        if LineEditor.edit(&p.text, with: key) {
            mode = .prompt(p)
            return []
        }
        switch key {
        case .escape:
            closePrompt(p)
            return []
        case .enter:
            closePrompt(p)
            submit(p)
            return []
        default: break
        }
        mode = .prompt(p)
        return []
    }

    mutating func closePrompt(_ p: Prompt) {
        if case .limit = p.kind, limitsView != nil { mode = .limits } else { mode = .list }
    }

    mutating func submit(_ p: Prompt) {
        let text = TextLayout.trimmed(p.text)
        switch p.kind {
        case .nice(let targets):
            // One message for text and for a number out of range, as `swtop renice` says it.
            guard let nice = Int32(text), Renice.range.contains(nice) else {
                return say("Nice: invalid nice '\(DisplayText.escaped(text))': expected an integer from -20 to 19", error: true)
            }
            requests.append(.renice(targets.map { ($0, nice) }))
        case .limit(let resource, let target):
            switch ResourceLimits.Change.parse(resource + "=" + text) {
            case .success(let change): requests.append(.setLimit(change, target))
            case .failure(let error): say("\(target.label): \(error.description)", error: true)
            }
        }
    }

    mutating func handleLimitsKey(_ key: Key) -> Effects {
        guard var view = limitsView else {
            mode = .list
            return []
        }
        if let moved = cursor(view.selected, movedBy: key, count: view.limits.count) {
            view.selected = moved
            limitsView = view
            return []
        }
        switch key {
        case .escape, .character("q"):
            limitsView = nil
            mode = .list
            return []
        case .enter:
            if let refusal = controlRefusal("Limits") {
                say(refusal, error: true)
                return []
            }
            guard let limit = view.selectedLimit else {
                say("Limits: nothing to change yet", error: true)
                return []
            }
            let label = "\(limit.resource) of \(view.target.label) (now \(limit.soft):\(limit.hard)), SOFT[:HARD]: "
            mode = .prompt(Prompt(kind: .limit(resource: limit.resource, view.target), label: label))
        case .function(10): return requestQuit()
        case .control("l"): return .redraw
        default: break
        }
        limitsView = view
        return []
    }

    /// Hands over the requests made since the last call.
    public mutating func takeRequests() -> [ControlRequest] {
        defer { requests.removeAll() }
        return requests
    }

    /// A fresh read of the limits view's process (nil limits: `error` says why).
    public mutating func setLimits(_ limits: ProcLimits?, error: String?) {
        guard var view = limitsView else { return }
        if let limits {
            view.limits = limits.limits
            view.selected = min(max(0, view.selected), max(0, limits.limits.count - 1))
        }
        if let error, error != view.error { say("Limits of \(view.target.label): \(error)", error: true) }
        view.error = error
        limitsView = view
    }

    /// The graceful stops still running: "TERM 7s" for each process.
    public mutating func setStopMarkers(_ markers: [ProcessKey: String]) { stopMarkers = markers }

    /// Quits, unless a graceful stop is still waiting to send SIGKILL: quitting abandons it, so
    /// the first q says so and only a second q in a row quits.
    mutating func requestQuit() -> Effects {
        if stopMarkers.isEmpty || quitWarned { return .quit }
        quitWarned = true
        let n = stopMarkers.count
        say(n == 1
            ? "A graceful stop is in progress: q again quits and its SIGKILL is never sent"
            : "\(n) graceful stops are in progress: q again quits and their SIGKILL is never sent", error: true)
        return []
    }
}
