import OutputFormats
import ProcFS
import ProcessModel

/// The journal's own lines, swtop-event/1 like every event: when recording started and stopped
/// (so a reader sees when nobody was recording), and how many events were lost and why.
public enum RecordingMarker {
    /// Why events were lost.
    public enum Cause: String, Sendable {
        /// The kernel's proc connector buffer overflowed (ENOBUFS): the monitor never saw them.
        case kernel
        /// The journal could not be written (a full disk, a read-only or unwritable directory).
        case journal
    }

    /// `{"schema":"swtop-event/1","time":...,"event":"recording","state":"started","pid":...,
    /// "sources":[...]}`; "stopped" without sources.
    public static func recording(started: Bool, time: Double, pid: Int32, sources: [String] = []) -> [UInt8] {
        var w = begin("recording", time: time)
        w.field("state", started ? "started" : "stopped")
        w.field("pid", pid)
        if started { w.field("sources", sources) }
        w.endObject()
        return w.bytes + [UInt8(ascii: "\n")]
    }

    /// `{"schema":"swtop-event/1","time":...,"event":"lost","count":N,"cause":"kernel"}`.
    public static func lost(count: Int, cause: Cause, time: Double) -> [UInt8] {
        var w = begin("lost", time: time)
        w.field("count", count)
        w.field("cause", cause.rawValue)
        w.endObject()
        return w.bytes + [UInt8(ascii: "\n")]
    }

    static func begin(_ event: String, time: Double) -> JSONWriter {
        var w = JSONWriter(capacity: 160)
        w.beginObject()
        EventJSON.writeHeading(&w, time: time, event: event)
        return w
    }

    /// The words `swtop events --since` prints for one of these lines: "recording started (pid
    /// 812: proc connector, ...)", "recording stopped", "3 events lost: the journal could not be
    /// written". nil when the line is not one of them.
    public static func words(_ line: FlatJSONLine) -> String? {
        switch line.string("event") {
        case "recording":
            let pid = line.integer("pid").map { "pid \($0)" } ?? "pid ?"
            guard line.string("state") == "started" else { return "recording stopped (\(pid))" }
            let sources = line.strings("sources") ?? []
            return "recording started (\(pid)" + (sources.isEmpty ? "" : ": " + sources.joined(separator: ", ")) + ")"
        case "lost":
            let count = line.integer("count") ?? 0
            let why = line.string("cause") == Cause.kernel.rawValue
                ? "the kernel's proc connector buffer overflowed" : "the journal could not be written"
            return "\(count) event\(count == 1 ? "" : "s") lost: \(why)"
        default:
            return nil
        }
    }
}
