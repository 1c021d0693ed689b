import Lifecycle
import ProcFS
import ProcessModel

/// `swtop --once --json`: the "swtop/1" document. The field names and types are a contract
/// with scripts (README, "JSON contract"); add fields, never rename or retype one.
public struct SnapshotJSON {
    public var snapshot: Snapshot
    /// Rows in the order to print, with their tree depth when a tree was asked for.
    public var rows: [(entry: ProcessEntry, depth: Int?)]
    public var includeLimits: Bool
    /// `--fields`: each process object holds the JSON fields of these columns alone (then
    /// `depth` and `limits` where asked for); nil: every column's.
    public var fields: [Column]?

    public static let schema = "swtop/1"

    public init(snapshot: Snapshot, rows: [(entry: ProcessEntry, depth: Int?)], includeLimits: Bool, fields: [Column]? = nil) {
        self.snapshot = snapshot
        self.rows = rows
        self.includeLimits = includeLimits
        self.fields = fields
        processFields = fields.map { $0.flatMap(\.json) } ?? Self.allFields
        // How a zombie ended belongs with its state.
        writesOutcome = fields?.contains(.state) ?? true
    }

    private let processFields: [Column.JSONField]
    private let writesOutcome: Bool

    /// The document, whole.
    public func render() -> [UInt8] {
        var out: [UInt8] = []
        for part in renderParts() { out.append(contentsOf: part) }
        return out
    }

    /// The document in pieces, to be written one after another: the processes' two halves are
    /// not copied into one buffer (at 15,000 processes, 8 MB copied after everything else).
    public func renderParts() -> [[UInt8]] {
        let s = snapshot
        let context = Column.Context(s)
        // Half the processes are written on a second thread: at 5,000 processes writing them
        // took a sixth of `--once --json`'s time, all after the parallel reading.
        let processes: (first: [UInt8], second: [UInt8])
        if rows.count >= 400, TwoThreads.worthIt {
            let half = rows.count / 2
            processes = TwoThreads.both({ elements(rows[..<half], context) }, { elements(rows[half...], context) })
        } else {
            processes = (elements(rows[...], context), [])
        }
        var w = JSONWriter(capacity: 4096)
        let single = s.interval == 0
        w.beginObject()
        w.field("schema", Self.schema)
        w.field("time", Format.rfc3339(s.time, fractionDigits: 3))
        w.field("hostname", s.system.hostname)
        w.field("interval_s", s.interval, decimals: 3)
        writeSystem(&w, single: single)
        w.key("processes")
        w.beginArray()
        let comma: [UInt8] = processes.first.isEmpty || processes.second.isEmpty ? [] : [UInt8(ascii: ",")]
        return [w.bytes, processes.first, comma, processes.second, Array("]}\n".utf8)]
    }

    private func writeSystem(_ w: inout JSONWriter, single: Bool) {
        w.object("system", snapshot.system) { w, sys in
            let mem = sys.memory
            w.field("uptime_s", sys.uptime?.seconds, decimals: 2)
            w.field("load1", sys.load?.one, decimals: 2)
            w.field("load5", sys.load?.five, decimals: 2)
            w.field("load15", sys.load?.fifteen, decimals: 2)
            w.field("cpus", sys.cpus)
            w.field("cpu_percent", single ? nil : sys.cpuPercent, decimals: 1)
            w.field("mem_total_kb", mem?.memTotal)
            w.field("mem_available_kb", mem?.memAvailable)
            w.field("mem_used_kb", mem?.memUsed)
            w.field("swap_total_kb", mem?.swapTotal)
            w.field("swap_used_kb", mem?.swapUsed)
            w.field("boot_time", sys.cpuTimes?.bootTime.map { Format.rfc3339(Double($0)) })
            w.object("tasks", snapshot.tasks) { w, t in
                w.field("total", t.total)
                w.field("threads", t.threads)
                w.field("kernel_threads", t.kernelThreads)
                w.field("running", t.running)
                w.field("sleeping", t.sleeping)
                w.field("disk_sleep", t.diskSleep)
                w.field("stopped", t.stopped)
                w.field("zombie", t.zombie)
                w.field("idle", t.idle)
            }
        }
    }

    /// The objects of `rows`, comma-separated: elements of the processes array.
    private func elements(_ rows: ArraySlice<(entry: ProcessEntry, depth: Int?)>, _ context: Column.Context) -> [UInt8] {
        var w = JSONWriter(capacity: 512 * rows.count)
        for row in rows { writeProcess(&w, row.entry, depth: row.depth, context: context) }
        return w.bytes
    }

    /// Every column's JSON fields, in the registry's order.
    private static let allFields = Column.all.flatMap(\.json)

    /// A process: the fields of every column in the registry (of the `--fields` columns, in
    /// their order), then its place in the tree and its limits when asked for.
    private func writeProcess(_ w: inout JSONWriter, _ p: ProcessEntry, depth: Int?, context: Column.Context) {
        w.beginObject()
        for field in processFields {
            guard let value = field.value(p, context) else { continue }
            w.key(field.name)
            w.value(value)
        }
        // How a zombie ended, from its wait status ("unknown" where it cannot be read).
        if writesOutcome, p.state == .zombie { EventJSON.writeOutcome(&w, Outcome.ofZombie(p)) }
        if let depth { w.field("depth", depth) }
        if includeLimits { Self.writeLimits(&w, p.limits) }
        w.endObject()
    }

    /// `"limits"`: an object keyed by resource, each {soft, hard, unit}; null when unread.
    public static func writeLimits(_ w: inout JSONWriter, _ limits: ProcLimits?) {
        w.object("limits", limits) { w, limits in
            for limit in limits.limits {
                w.object(limit.resource, limit) { w, limit in
                    for (name, value) in [("soft", limit.soft), ("hard", limit.hard)] {
                        w.key(name)
                        switch value {
                        case .limited(let n): w.number(n)
                        case .unlimited: w.string("unlimited")
                        }
                    }
                    w.field("unit", limit.unit)
                }
            }
        }
    }
}
