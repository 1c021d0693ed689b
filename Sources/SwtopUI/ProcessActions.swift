import ProcFS
import ProcessControl
import ProcessModel

/// Carries out the screen's requests through ProcessControl (the only code that signals or
/// changes a process) and puts every result, refusal and error in the status line. Never
/// blocks: a graceful stop is moved on by `step`, from the refresh loop, with no waiting.
public final class ProcessActions {
    public let procRoot: String
    private let stop: GracefulStop
    /// Names of the processes being stopped, for the outcome messages.
    private var names: [ProcessTarget: String] = [:]

    public init(grace: Double, procRoot: String = "/proc") {
        self.procRoot = procRoot
        stop = GracefulStop(grace: grace)
    }

    /// Told each signal a graceful stop sends (SIGTERM 15, SIGKILL 9), by process: the lifecycle
    /// monitor's noteSent.
    public var noteSent: ((Int32, ProcessKey) -> Void)?

    /// How a stopped process ended, in the words the list and the E view use (the lifecycle
    /// monitor's); nil until the kernel has told.
    public var describeEnd: ((ProcessKey) -> String?)?
    /// Stops whose process has gone, waiting (two seconds at most) for the kernel to tell how it
    /// ended: then the status line says it in the same words as the list and the E view.
    private var awaiting: [(label: String, key: ProcessKey, fallback: String, until: Double)] = []

    /// A graceful stop is running: the screen should wake often to show its countdown.
    public var isBusy: Bool { !stop.isFinished || !awaiting.isEmpty }

    public func perform(_ request: ControlRequest, on state: inout ViewState) {
        switch request {
        case .gracefulStop(let targets):
            for t in targets {
                names[t.target] = t.name
                // Before the signal: a process that exits at once has no progress to see.
                if let key = t.target.key { noteSent?(15, key) }
            }
            stop.start(targets.map(\.target), procRoot: procRoot)
            // Targets that could not be signalled have their outcome already.
            step(&state)
            if isBusy, state.message?.isError != true {
                state.say("Sent SIGTERM to \(Self.describe(targets)); SIGKILL after \(secondsText(stop.grace)) if still running")
            }
        case .signal(let signal, let targets):
            var results: [(ControlTarget, Result<Void, ControlError>)] = []
            for t in targets {
                switch ProcessHandle.open(t.target, procRoot: procRoot) {
                case .failure(let e): results.append((t, .failure(e)))
                case .success(let handle): results.append((t, handle.send(signal)))
                }
            }
            report(results.map { ($0.0, $0.1.map { "sent \(signal.name)" }) }, into: &state)
        case .renice(let changes):
            let results = changes.map { change in
                (change.target, Renice.apply(change.nice, to: change.target.target, procRoot: procRoot).map(\.description))
            }
            report(results, into: &state)
        case .reniceBy(let delta, let targets):
            let results = targets.map { t in
                (t, Renice.adjust(by: delta, t.target, procRoot: procRoot).map(\.description))
            }
            report(results, into: &state)
        case .readLimits(let target):
            switch ResourceLimits.read(target.target, procRoot: procRoot) {
            case .success(let read): state.setLimits(read.limits, error: nil)
            case .failure(let e): state.setLimits(nil, error: e.description)
            }
        case .setLimit(let change, let target):
            switch ResourceLimits.apply(change, to: target.target, procRoot: procRoot) {
            case .success(let limit):
                state.say("\(target.label): \(limit.resource) soft \(limit.soft) hard \(limit.hard)")
            case .failure(let e):
                state.say("\(target.label): \(e.description)", error: true)
            }
            perform(.readLimits(target), on: &state)
        }
    }

    /// Moves the graceful stops on without waiting: countdowns into the rows, outcomes into
    /// the status line (they stay until the next message).
    public func step(_ state: inout ViewState) {
        let outcomes = stop.step(waiting: 0)
        for o in outcomes {
            if case .killed = o.outcome, let key = o.target.key { noteSent?(9, key) }
        }
        var texts: [String] = []
        let now = Clock.monotonic()
        for o in outcomes {
            let name = names[o.target] ?? o.name.map(DisplayText.escaped) ?? "?"
            names[o.target] = nil
            let label = "\(o.target.pid) (\(name))"
            if o.outcome.isGone, let key = o.target.key, describeEnd != nil {
                awaiting.append((label, key, o.outcome.description, now + 2))
            } else {
                texts.append(label + ": " + o.outcome.description)
            }
        }
        awaiting.removeAll { waiting in
            if let words = describeEnd?(waiting.key) {
                texts.append(waiting.label + ": " + DisplayText.escaped(words))
            } else if now >= waiting.until {
                texts.append(waiting.label + ": " + waiting.fallback)
            } else {
                return false
            }
            return true
        }
        if !texts.isEmpty {
            state.say(texts.joined(separator: "; "), error: outcomes.contains { $0.outcome.isFailure }, sticky: true)
        }
        var markers: [ProcessKey: String] = [:]
        for p in stop.progress {
            // The screen's targets are always pinned to their start time.
            guard let key = p.target.key else { continue }
            noteSent?(p.phase == .kill ? 9 : 15, key)
            switch p.phase {
            case .term:
                let left = max(0, stop.grace - p.elapsed)
                markers[key] = "TERM \(Int(left.rounded(.up)))s"
            case .kill:
                markers[key] = "KILL"
            }
        }
        if markers != state.stopMarkers { state.setStopMarkers(markers) }
    }

    private static func describe(_ targets: [ControlTarget]) -> String {
        targets.count == 1 ? targets[0].label : "\(targets.count) processes"
    }

    /// One message for all targets: each "1234 (nginx): what happened", joined.
    private func report(_ results: [(ControlTarget, Result<String, ControlError>)], into state: inout ViewState) {
        guard !results.isEmpty else { return }
        var failed = false
        let texts = results.map { (target, result) -> String in
            switch result {
            case .success(let text): return "\(target.label): \(text)"
            case .failure(let e):
                failed = true
                return "\(target.label): \(e.description)"
            }
        }
        state.say(texts.joined(separator: "; "), error: failed)
    }
}
