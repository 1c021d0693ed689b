import Lifecycle
import OutputFormats
import ProcessControl
import ProcessModel

/// Who sent a signal, as signalfd tells it (or swtop run itself).
public struct SignalOrigin: Sendable, Equatable {
    public var pid: Int32
    public var name: String?
    public var uid: UInt32
    public var user: String?
    /// The kernel sent it (a terminal's ^C, a fault), not a process.
    public var kernel: Bool
}

/// How swtop run stopped a child: the signal it sent first, how long ago, and at whose request.
public struct StopFacts: Sendable, Equatable {
    public var kind: StopKind
    public var signal: Int32
    public var after: Double
    public var requestedBy: SignalOrigin
}

/// One transition of a supervised child, as `--events` writes it (swtop-event/1, with the common
/// fields every swtop event has) and as the log line says it.
public struct RunEvent: Sendable {
    public enum Kind: Sendable {
        case start(attempt: Int)
        case exit(outcome: Outcome, lifetime: Double, sentBy: SignalOrigin?, stop: StopFacts?, attempt: Int)
        case restart(delay: Double, reason: RestartReason, attempt: Int)
        case health(ok: Bool, detail: String)
        case ready
        case unhealthy(failures: Int)
        case gaveUp(restarts: Int, lastExit: Int32)
    }

    public enum RestartReason: String, Sendable {
        case exit, unhealthy
    }

    /// Seconds since the epoch.
    public var time: Double
    /// The child it is about (for `restart` and `gave_up`, the one that ended).
    public var child: ProcessFacts
    public var kind: Kind

    public var name: String {
        switch kind {
        case .start: return "start"
        case .exit: return "exit"
        case .restart: return "restart"
        case .health: return "health"
        case .ready: return "ready"
        case .unhealthy: return "unhealthy"
        case .gaveUp: return "gave_up"
        }
    }

    /// The JSON line, newline included.
    public var json: [UInt8] {
        var w = JSONWriter(capacity: 512)
        w.beginObject()
        EventJSON.writeCommonFields(&w, time: time, event: name, process: child)
        switch kind {
        case .start(let attempt):
            w.field("attempt", attempt)
        case .exit(let outcome, let lifetime, let sentBy, let stop, let attempt):
            EventJSON.writeOutcome(&w, outcome)
            w.field("lifetime_s", lifetime, decimals: 3)
            w.key("sent_by")
            Self.write(&w, sentBy)
            w.key("stop")
            if let stop {
                w.beginObject()
                w.field("kind", stop.kind.rawValue)
                w.field("signal", Signal(number: stop.signal)?.name)
                w.field("after_s", stop.after, decimals: 3)
                w.key("requested_by")
                Self.write(&w, stop.requestedBy)
                w.endObject()
            } else {
                w.null()
            }
            w.field("attempt", attempt)
        case .restart(let delay, let reason, let attempt):
            w.field("delay_s", delay, decimals: 3)
            w.field("reason", reason.rawValue)
            w.field("attempt", attempt)
        case .health(let ok, let detail):
            w.field("ok", ok)
            w.field("detail", detail)
        case .ready:
            break
        case .unhealthy(let failures):
            w.field("failures", failures)
        case .gaveUp(let restarts, let lastExit):
            w.field("restarts", restarts)
            w.field("last_exit", lastExit)
        }
        w.endObject()
        return w.bytes + [UInt8(ascii: "\n")]
    }

    private static func write(_ w: inout JSONWriter, _ sender: SignalOrigin?) {
        guard let sender else {
            w.null()
            return
        }
        w.beginObject()
        w.field("pid", sender.pid)
        w.field("name", sender.name)
        w.field("uid", sender.uid)
        w.field("user", sender.user)
        w.field("kernel", sender.kernel)
        w.endObject()
    }
}
