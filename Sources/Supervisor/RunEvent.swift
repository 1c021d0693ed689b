import Lifecycle
import OutputFormats
import ProcessControl
import ProcessModel

/// One transition of a supervised child, as `--events` writes it (swtop-event/1, with the common
/// fields every swtop event has) and as the log line says it.
public struct RunEvent: Sendable {
    public enum Kind: Sendable {
        case start(attempt: Int)
        /// Told as `swtop events` tells an exit (the same record, written by the same code).
        case exit(ExitRecord, attempt: Int)
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
        // The contract's cgroup, unit and container: null, as swtop run does not read them.
        EventJSON.writeMembership(&w, child.membership)
        switch kind {
        case .start(let attempt):
            w.field("attempt", attempt)
        case .exit(let record, let attempt):
            EventJSON.writeExit(&w, record)
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
}
