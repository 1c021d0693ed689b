import CLinux
import ProcFS
import OutputFormats
import ProcessModel
import Sampling

/// `swtop --once [--json]`: one snapshot, printed.
struct Once {
    var options: ProcessOptions
    var json: Bool
    var limits: Bool
    var threads: Bool
    var interval: Double

    func run() throws {
        // A ProcRootError becomes its one line on stderr in Swtop.reportingFailures.
        let sampler = try Sampler(root: options.procRoot)
        let listing = try options.listing()
        let columns = try tableColumns(sortKey: listing.sortKey)
        // Only the files the printed columns need (the JSON prints every column).
        var files = Column.files(for: json ? Column.all : columns)
        if limits { files.insert(.limits) }
        if options.needsCgroup { files.insert(.cgroup) }
        // The text filter matches units and containers too.
        if options.filter != nil { files.insert(.cgroup) }
        let snapshot = try sampler.sample(SampleOptions(files: files, threads: threads), interval: sampler.isLive ? interval : 0)
        let rows = listing.rows(of: snapshot.processes).map { (entry: $0.entry, depth: $0.depth) }
        if json {
            for part in SnapshotJSON(snapshot: snapshot, rows: rows, includeLimits: limits).renderParts() where Output.stdoutError == nil {
                Output.write(part)
            }
        } else {
            let width = Int(swtop_terminal_columns(1))
            var table = PlainTable(snapshot: snapshot, rows: rows, width: width > 0 ? width : nil)
            table.columns = columns
            table.cgroupHeadings = try options.cgroupGrouping()
            Output.write(Array(table.render().utf8))
        }
    }

    /// The table's columns: htop's defaults (TID after PID in the thread view; grouped by
    /// cgroup, what each group is before the command), and the sort's column where it is not
    /// among them (`-s start` shows START).
    func tableColumns(sortKey: Column?) throws -> [Column] {
        var columns = Column.defaults
        if threads { columns.insert(.tid, at: 1) }
        if try options.cgroupGrouping() { columns.insert(contentsOf: [.container, .unit], at: columns.count - 1) }
        return Column.showing(columns, sortKey: sortKey)
    }
}
