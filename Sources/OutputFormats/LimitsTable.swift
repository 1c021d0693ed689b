import ProcFS
import ProcessModel

/// A process's resource limits as a table, in prlimit(1)'s order of columns: `swtop limits PID`
/// prints it and the screen's L view shows it, so the two read the same.
public enum LimitsTable {
    public static let title = line(resource: "RESOURCE", description: "DESCRIPTION", soft: "SOFT", hard: "HARD", unit: "UNIT")

    /// "nofile      Max open files                1024       524288  files".
    public static func line(_ limit: ProcLimits.Limit) -> String {
        line(resource: limit.resource, description: limit.name, soft: limit.soft.description, hard: limit.hard.description, unit: limit.unit ?? "")
    }

    /// The title and a line per resource.
    public static func render(_ limits: ProcLimits) -> String {
        ([title] + limits.limits.map(line)).joined(separator: "\n")
    }

    private static func line(resource: String, description: String, soft: String, hard: String, unit: String) -> String {
        TextLayout.trimmedTrailing(
            TextLayout.padRight(resource, 11) + " " + TextLayout.padRight(description, 22) + " "
                + TextLayout.padLeft(soft, 12) + " " + TextLayout.padLeft(hard, 12) + "  " + unit)
    }

    /// `swtop limits PID --json`: {pid, name, limits}, the limits as in the snapshot's JSON.
    public static func json(pid: Int32, name: String, limits: ProcLimits) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field("pid", pid)
        w.field("name", name)
        SnapshotJSON.writeLimits(&w, limits)
        w.endObject()
        return w.bytes + [0x0A]
    }
}
