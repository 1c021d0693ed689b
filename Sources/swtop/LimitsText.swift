import ProcFS
import OutputFormats
import ProcessModel

/// The limits of one process as a table or as JSON (the same object as the snapshot's `limits`).
enum LimitsText {
    static func table(_ limits: ProcLimits) -> String {
        var lines = ["RESOURCE    DESCRIPTION               SOFT                 HARD                 UNIT"]
        for l in limits.limits {
            lines.append(pad(l.resource, 11) + " " + pad(l.name, 25) + " " + pad(l.soft.description, 20) + " " + pad(l.hard.description, 20) + " " + (l.unit ?? ""))
        }
        return lines.map { trimTrailing($0) }.joined(separator: "\n")
    }

    static func json(pid: Int32, name: String, limits: ProcLimits) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("pid", pid)
        w.field("name", name)
        w.key("limits")
        SnapshotJSON.writeLimits(&w, limits)
        w.endObject()
        return w.bytes + [0x0A]
    }

    private static func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : s + String(repeating: " ", count: n - s.count)
    }

    private static func trimTrailing(_ s: String) -> String {
        var s = Substring(s)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
