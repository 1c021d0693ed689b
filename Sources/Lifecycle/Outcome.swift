#if canImport(Glibc)
import Glibc
#endif
import ProcessControl
import ProcessModel

/// How a process ended, as a user asks it: "did it exit with a code, crash on a signal, dump
/// core, get OOM-killed?"
public enum Outcome: Sendable, Equatable, Hashable {
    /// exit(code); 0 is success.
    case exited(code: Int32)
    /// Killed by this signal, no core written.
    case killed(signal: Int32)
    /// Killed by this signal, core written (the wait status's 0x80 bit).
    case coreDumped(signal: Int32)
    /// Killed by the kernel's OOM killer (SIGKILL).
    case oomKilled
    /// No source could say.
    case unknown

    /// Decodes a wait status as waitpid(2) gives it (and the proc connector, pidfd info and a
    /// zombie's `stat` carry): the low 7 bits are the signal (0: exited, then the code is bits
    /// 8-15), bit 7 says a core was written.
    public init(waitStatus status: Int32) {
        let signal = status & 0x7f
        if signal == 0 {
            self = .exited(code: (status >> 8) & 0xff)
        } else if signal == 0x7f {
            // A stopped (not ended) child's status: never an end.
            self = .unknown
        } else if status & 0x80 != 0 {
            self = .coreDumped(signal: signal)
        } else {
            self = .killed(signal: signal)
        }
    }

    /// The JSON name: exited, killed, core_dumped, oom_killed, unknown.
    public var name: String {
        switch self {
        case .exited: return "exited"
        case .killed: return "killed"
        case .coreDumped: return "core_dumped"
        case .oomKilled: return "oom_killed"
        case .unknown: return "unknown"
        }
    }

    public var exitCode: Int32? {
        if case .exited(let code) = self { return code }
        return nil
    }

    /// The fatal signal's number; SIGKILL for an OOM kill.
    public var signal: Int32? {
        switch self {
        case .killed(let s), .coreDumped(let s): return s
        case .oomKilled: return 9
        default: return nil
        }
    }

    /// "SIGKILL", or nil when no signal ended it.
    public var signalName: String? { signal.map(Self.signalName) }

    /// Exited with a non-zero code or ended by a signal (what counts toward a crash loop).
    public var isFailure: Bool {
        switch self {
        case .exited(let code): return code != 0
        case .killed, .coreDumped, .oomKilled: return true
        case .unknown: return false
        }
    }

    /// In words, as the screen and `swtop events` say it: "exited 0", "killed by SIGKILL",
    /// "SIGSEGV, core dumped", "OOM-killed", "ended, how is unknown".
    public var words: String {
        switch self {
        case .exited(let code): return "exited \(code)"
        case .killed(let s): return "killed by \(Self.signalName(s))"
        case .coreDumped(let s): return "\(Self.signalName(s)), core dumped"
        case .oomKilled: return "OOM-killed"
        case .unknown: return "ended (how is unknown)"
        }
    }

    /// The one description of an ending, wherever swtop tells it (the status line after a
    /// stop, a row's tag, the E view, `swtop events`, the detail page's history): how it ended,
    /// who sent the signal that ended it, how a stop something asked for went, after how long it
    /// ran where that is known, and how swtop's own stop went. "killed by SIGTERM after 40.8 s
    /// (stopped by swtop: SIGTERM was enough)", "killed by SIGKILL from kubelet (pid 812) after
    /// 3.2 s", "stopped gracefully in 2.0 s after SIGTERM from systemd (pid 1)".
    public func described(lifetime: Double? = nil, stoppedBySwtop stop: StopKind? = nil,
                          sentBy: SignalSender? = nil, requested: StopEnding? = nil, of pid: Int32? = nil) -> String {
        var text = words
        // swtop's own stop is told as such; who sent its signals (swtop) goes unsaid.
        let sender = stop == nil ? sentBy.map { $0.pid != nil && $0.pid == pid ? " from itself" : " from " + $0.shortWords } ?? "" : ""
        if let requested, stop == nil {
            let request = Self.signalName(requested.signal) + " from " + requested.requestedBy.shortWords
            switch requested.kind {
            case .graceful:
                // Killed by the signal the requester sent: it is said once.
                let same = sentBy != nil && sentBy == requested.requestedBy
                let end = self == .exited(code: 0) ? "" : " (" + text + (same ? "" : sender) + ")"
                text = "stopped gracefully in " + LifecycleEvent.duration(requested.after) + " after " + request + end
            case .forced:
                text += sender + ", forced " + LifecycleEvent.duration(requested.after) + " after " + request
            }
        } else {
            text += sender
            if let lifetime { text += " after " + LifecycleEvent.duration(lifetime) }
        }
        switch stop {
        case .graceful: text += " (stopped by swtop: SIGTERM was enough)"
        case .forced: text += " (stopped by swtop: needed SIGKILL)"
        case nil: break
        }
        return text
    }

    public static func signalName(_ number: Int32) -> String {
        Signal(number: number)?.name ?? "signal \(number)"
    }

    /// How a zombie ended, from the wait status in its `stat`. The kernel writes the real status
    /// only for a reader allowed to ptrace the process (root, or its own user); to anyone else
    /// it writes 0, which would read as "exited 0": then the outcome is unknown.
    public static func ofZombie(_ entry: ProcessEntry) -> Outcome {
        guard entry.state == .zombie, let status = entry.waitStatus, canReadWaitStatus(of: entry.uid) else { return .unknown }
        return Outcome(waitStatus: status)
    }

    /// Whether a zombie's `stat` shows this reader its real wait status.
    public static func canReadWaitStatus(of uid: UInt32?) -> Bool {
        geteuid() == 0 || (uid != nil && uid == getuid())
    }
}
