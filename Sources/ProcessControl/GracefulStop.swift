#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// SIGTERM, wait for the process to exit for up to a grace period, then SIGKILL and wait for it
/// to be gone: `docker stop`'s escalation, over pidfds. Several targets are stopped at once.
///
/// Driven by `step`, so the screen can keep refreshing (and show "TERM 7s") while a stop runs;
/// `run` drives it to the end for the command line.
public final class GracefulStop {
    public typealias Phase = StopEscalation.Phase

    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        /// Exited this many seconds after SIGTERM.
        case exitedAfterTerm(Double)
        /// Ignored SIGTERM for the whole grace; gone this many seconds after SIGKILL.
        case killed(grace: Double, goneAfter: Double)
        /// Still there this long after SIGKILL (e.g. stuck in disk sleep).
        case survivedKill(grace: Double, waited: Double)
        case failed(ControlError)

        public var description: String {
            switch self {
            case .exitedAfterTerm(let s): return "exited \(seconds(s)) after SIGTERM"
            case .killed(let grace, let gone): return "still running after \(seconds(grace)): sent SIGKILL; gone \(seconds(gone)) later"
            case .survivedKill(let grace, let waited):
                return "still running after \(seconds(grace)): sent SIGKILL; still there \(seconds(waited)) later (uninterruptible?)"
            case .failed(let error): return error.description
            }
        }

        /// The process is gone (at SIGTERM or after SIGKILL).
        public var isGone: Bool {
            switch self {
            case .exitedAfterTerm, .killed: return true
            default: return false
            }
        }

        /// Needed SIGKILL (exit status 3 of `swtop stop`).
        public var neededKill: Bool {
            switch self {
            case .killed, .survivedKill: return true
            default: return false
            }
        }

        public var isFailure: Bool {
            switch self {
            case .failed, .survivedKill: return true
            default: return false
            }
        }
    }

    /// A target still being stopped.
    public struct Progress: Sendable, Equatable {
        public var target: ProcessTarget
        public var phase: Phase
        /// Seconds since the phase's signal was sent.
        public var elapsed: Double
    }

    public let grace: Double
    /// How long to wait for a process to go after SIGKILL before saying it did not.
    public let killWait: Double

    private struct Running {
        var target: ProcessTarget
        var handle: ProcessHandle
        var escalation: StopEscalation
    }

    private var running: [Running] = []
    public private(set) var outcomes: [(target: ProcessTarget, name: String?, outcome: Outcome)] = []

    public init(grace: Double = 10, killWait: Double = 5) {
        self.grace = grace
        self.killWait = killWait
    }

    public var isFinished: Bool { running.isEmpty }

    public var progress: [Progress] {
        let now = Clock.monotonic()
        return running.map { Progress(target: $0.target, phase: $0.escalation.phase, elapsed: now - $0.escalation.since) }
    }

    /// Opens each target and sends SIGTERM. A target that cannot be opened or signalled gets its
    /// outcome at once.
    public func start(_ targets: [ProcessTarget], procRoot: String = "/proc") {
        for target in targets {
            switch ProcessHandle.open(target, procRoot: procRoot) {
            case .failure(let error):
                outcomes.append((target, nil, .failed(error)))
            case .success(let handle):
                switch handle.send(.term) {
                case .failure(let error): outcomes.append((target, handle.name, .failed(error)))
                case .success: running.append(Running(
                    target: target, handle: handle, escalation: StopEscalation(grace: grace, killWait: killWait, startedAt: Clock.monotonic())))
                }
            }
        }
    }

    /// Waits up to `seconds` for something to happen, then moves every target on: records exits,
    /// sends SIGKILL to those past the grace. Returns the outcomes that arrived.
    @discardableResult
    public func step(waiting seconds: Double) -> [(target: ProcessTarget, name: String?, outcome: Outcome)] {
        guard !running.isEmpty else { return [] }
        let now = Clock.monotonic()
        let nextDeadline = running.map(\.escalation.deadline).min() ?? now
        let wait = max(0, min(seconds, nextDeadline - now))
        let fds = running.map(\.handle.pidfd)
        if fds.allSatisfy({ $0 >= 0 }) {
            _ = Kernel.readable(fds, milliseconds: Int32(wait * 1000))
        } else if wait > 0 {
            usleep(UInt32(min(wait, 1) * 1_000_000))
        }
        let before = outcomes.count
        let at = Clock.monotonic()
        var still: [Running] = []
        for var r in running {
            if r.handle.hasExited {
                outcomes.append((r.target, r.handle.name, r.escalation.outcome(endedAt: at)))
                continue
            }
            switch r.escalation.due(at: at) {
            case .wait:
                still.append(r)
            case .kill:
                switch r.handle.send(.kill) {
                case .success:
                    r.escalation.killSent(at: Clock.monotonic())
                    still.append(r)
                case .failure(.alreadyGone):
                    outcomes.append((r.target, r.handle.name, r.escalation.outcome(endedAt: at)))
                case .failure(let error):
                    outcomes.append((r.target, r.handle.name, .failed(error)))
                }
            case .survivedKill(let waited):
                outcomes.append((r.target, r.handle.name, .survivedKill(grace: grace, waited: waited)))
            }
        }
        running = still
        return Array(outcomes[before...])
    }

    /// Runs to the end: the whole escalation for every target.
    public func run(_ targets: [ProcessTarget], procRoot: String = "/proc") -> [(target: ProcessTarget, name: String?, outcome: Outcome)] {
        start(targets, procRoot: procRoot)
        while !isFinished { step(waiting: 1) }
        return outcomes
    }
}

/// "1.2 s", "0.04 s", "0.003 s", "10 s".
func seconds(_ s: Double) -> String {
    if s == s.rounded() && s >= 1 { return "\(Int(s)) s" }
    let decimals = s < 0.01 ? 3 : (s < 0.1 ? 2 : 1)
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let n = Int((s * scale).rounded())
    let whole = n / Int(scale)
    var frac = String(n % Int(scale))
    while frac.count < decimals { frac = "0" + frac }
    return "\(whole).\(frac) s"
}
