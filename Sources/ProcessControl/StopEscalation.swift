/// The escalation of one graceful stop, without the waiting: when SIGKILL is due, when to stop
/// waiting after it, and how the stop ended. `GracefulStop` drives it with its own poll over
/// pidfds; `swtop run` drives it from its event loop (signalfd, one poll for everything), so the
/// timing rules live here once.
public struct StopEscalation: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        case term, kill
    }

    /// What is due now for a process that has not ended yet.
    public enum Due: Sendable, Equatable {
        /// Nothing before `deadline`.
        case wait
        /// The grace is over: send SIGKILL, then call `killSent(at:)`.
        case kill
        /// Still there `killWait` seconds after SIGKILL (e.g. stuck in disk sleep).
        case survivedKill(waited: Double)
    }

    public let grace: Double
    /// How long to wait for a process to go after SIGKILL before saying it did not.
    public let killWait: Double
    public private(set) var phase: Phase = .term
    /// When the phase's signal was sent (monotonic seconds).
    public private(set) var since: Double
    /// When the first signal was sent (monotonic seconds).
    public let started: Double

    /// The first signal (SIGTERM, or the one being passed on) was sent at `now`.
    public init(grace: Double, killWait: Double, startedAt now: Double) {
        self.grace = grace
        self.killWait = killWait
        since = now
        started = now
    }

    /// When something is next due, unless the process ends first.
    public var deadline: Double { since + (phase == .term ? grace : killWait) }

    public func due(at now: Double) -> Due {
        let elapsed = now - since
        switch phase {
        case .term: return elapsed >= grace ? .kill : .wait
        case .kill: return elapsed >= killWait ? .survivedKill(waited: elapsed) : .wait
        }
    }

    public mutating func killSent(at now: Double) {
        phase = .kill
        since = now
    }

    /// How the stop ended, for a process seen gone at `now`.
    public func outcome(endedAt now: Double) -> GracefulStop.Outcome {
        phase == .term ? .exitedAfterTerm(now - since) : .killed(grace: grace, goneAfter: now - since)
    }
}
