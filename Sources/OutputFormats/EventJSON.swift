import Lifecycle
import ProcessModel

/// One event of `swtop events --json` as a JSON Lines object (schema "swtop-event/1"; the
/// README lists every field).
public enum EventJSON {
    public static let schema = "swtop-event/1"

    public static func render(_ event: LifecycleEvent) -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        let p = event.process
        w.beginObject()
        writeCommonFields(&w, time: event.time, event: event.name, process: p)
        writeMembership(&w, p.membership)
        switch event.kind {
        case .exit(let record):
            writeExit(&w, record)
        case .zombie(let outcome, let parentName, let unreaped):
            writeOutcome(&w, outcome)
            w.field("parent_name", parentName)
            w.field("unreaped_s", unreaped.seconds, decimals: 3)
            w.field("unreaped_at_least", unreaped.isLowerBound)
        case .orphan(let former, let formerName):
            w.field("former_ppid", former)
            w.field("former_parent_name", formerName)
        case .crashLoop(let loop):
            w.field("restarts", loop.restarts)
            w.field("window_s", loop.window, decimals: 0)
            w.field("last_outcome", loop.lastOutcome.name)
            w.field("last_exit_code", loop.lastOutcome.exitCode)
            w.field("last_signal", loop.lastOutcome.signalName)
            w.key("pids")
            w.beginArray()
            for pid in loop.pids { w.number(pid) }
            w.endArray()
            w.object("supervisor", loop.supervisor) { w, run in
                w.field("pid", run.pid)
                w.field("attempt", run.attempt)
                w.field("backoff_s", run.backoff, decimals: 3)
            }
        case .signal(let signal, let sender):
            w.field("signal", Outcome.signalName(signal))
            writeSender(&w, "sent_by", sender)
        }
        w.endObject()
        return w.bytes + [UInt8(ascii: "\n")]
    }

    /// The fields every swtop event has, `swtop events`' and `swtop run`'s: the heading, then the
    /// process: pid, name, cmdline, ppid, uid, user.
    public static func writeCommonFields(_ w: inout JSONWriter, time: Double, event: String, process p: ProcessFacts) {
        writeHeading(&w, time: time, event: event)
        w.field("pid", p.pid)
        w.field("name", p.name)
        w.field("cmdline", p.cmdline)
        w.field("ppid", p.ppid)
        w.field("uid", p.uid)
        w.field("user", p.user)
    }

    /// The fields every line of the event stream starts with, the journal's own lines too:
    /// schema, time (RFC 3339 UTC, milliseconds), event.
    public static func writeHeading(_ w: inout JSONWriter, time: Double, event: String) {
        w.field("schema", schema)
        w.field("time", Format.rfc3339(time, fractionDigits: 3))
        w.field("event", event)
    }

    /// An exit's fields after the common ones: `swtop events`' and `swtop run --events`' alike,
    /// so the two contracts cannot drift.
    public static func writeExit(_ w: inout JSONWriter, _ record: ExitRecord) {
        writeOutcome(&w, record.outcome)
        w.field("start_time", record.process.startTime.map { Format.rfc3339($0, fractionDigits: 3) })
        w.field("lifetime_s", record.lifetime, decimals: 3)
        w.field("source", record.source.rawValue)
        w.field("parent_name", record.parentName)
        w.field("stopped_by_swtop", record.stoppedBySwtop?.rawValue)
        writeSender(&w, "sent_by", record.sentBy)
        w.object("stop", record.stop) { w, stop in
            w.field("kind", stop.kind.rawValue)
            w.field("signal", Outcome.signalName(stop.signal))
            w.field("after_s", stop.after, decimals: 3)
            writeSender(&w, "requested_by", stop.requestedBy)
        }
    }

    /// `cgroup`, `unit` and `container`, named and shaped as `--once --json` has them (null
    /// where unknown, or outside a unit or container), so `--unit` and `--container` can choose
    /// recorded events as they choose live processes.
    public static func writeMembership(_ w: inout JSONWriter, _ m: Membership?) {
        w.field("cgroup", m?.cgroup)
        w.field("unit", m?.unit)
        w.object("container", m?.container) { w, c in
            w.field("runtime", c.runtime)
            w.field("id", c.id)
            w.field("pod", c.pod)
            w.field("name", c.name)
        }
    }

    /// `outcome`, `exit_code` (for `exited`, else null) and `signal` (for the three signal
    /// outcomes, else null).
    public static func writeOutcome(_ w: inout JSONWriter, _ outcome: Outcome) {
        w.field("outcome", outcome.name)
        w.field("exit_code", outcome.exitCode)
        w.field("signal", outcome.signalName)
    }

    /// `{"pid", "name", "uid", "user", "kernel"}` of who sent a signal (all null but `kernel`
    /// for the kernel), or null when nobody is known to have.
    public static func writeSender(_ w: inout JSONWriter, _ key: String, _ sender: SignalSender?) {
        w.object(key, sender) { w, sender in
            w.field("pid", sender.pid)
            w.field("name", sender.name)
            w.field("uid", sender.uid)
            w.field("user", sender.user)
            w.field("kernel", sender.kernel)
        }
    }

    /// The first line: which sources are in use, and why a missing one is missing.
    public static func header(sources: [String], notes: [String]) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.beginObject()
        w.field("schema", schema)
        w.field("event", "start")
        w.field("sources", sources)
        w.field("notes", notes)
        w.endObject()
        return w.bytes + [UInt8(ascii: "\n")]
    }
}

/// One event of `swtop events` as a line in words:
/// `12:03:04 4242 worker: killed by SIGKILL after 3.2 s (OOM kill)`.
public enum EventLine {
    public static func render(_ event: LifecycleEvent) -> String {
        var bytes: [UInt8] = []
        append(event, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The line's bytes appended to `out`, without its newline: a reader of the journal words a
    /// million lines into one buffer.
    public static func append(_ event: LifecycleEvent, to out: inout [UInt8]) {
        let p = event.process
        out.append(contentsOf: Format.clock(event.time).utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: String(p.pid).utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: p.name.isEmpty ? "?".utf8 : DisplayText.escaped(p.name).utf8)
        out.append(contentsOf: ": ".utf8)
        out.append(contentsOf: DisplayText.escaped(event.words).utf8)
    }
}
