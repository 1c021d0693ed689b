import Lifecycle

/// Whether and when the child is started again: the restart policy, the exponential back-off
/// and the limit on restarts within a window. Pure: it is given each end and the time.
public struct RestartPlan: Sendable {
    public enum Decision: Sendable, Equatable {
        /// The policy does not restart this end.
        case stop
        /// `--max-restarts` restarts already happened within `--restart-window`.
        case giveUp(restarts: Int)
        case restart(after: Double, quickCrash: Bool)
    }

    public let options: RunOptions
    /// The wait before the next restart.
    public private(set) var nextDelay: Double
    /// When each restart within the window was decided (monotonic seconds).
    private var recent: [Double] = []

    public init(_ options: RunOptions) {
        self.options = options
        nextDelay = options.backoffMin
    }

    /// The decision for a run that lived `lifetime` seconds and ended as `outcome` at `now`;
    /// `unhealthy` when swtop run stopped it for failing its health checks (restarted by any
    /// policy but `no`).
    public mutating func decide(_ outcome: Outcome, lifetime: Double, unhealthy: Bool, now: Double) -> Decision {
        switch options.restart {
        case .no: return .stop
        case .onFailure where !unhealthy && outcome == .exited(code: 0): return .stop
        default: break
        }
        recent.removeAll { now - $0 >= options.restartWindow }
        if let max = options.maxRestarts, recent.count >= max { return .giveUp(restarts: recent.count) }
        recent.append(now)
        // A stable run starts the back-off again; a quick crash doubles the wait after this one.
        if lifetime >= options.stableAfter { nextDelay = options.backoffMin }
        let delay = nextDelay
        let quick = lifetime < options.quickCrash
        if quick { nextDelay = min(max(nextDelay * 2, 0), options.backoffMax) }
        return .restart(after: delay, quickCrash: quick)
    }
}
