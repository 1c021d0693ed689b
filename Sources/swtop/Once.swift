import ArgumentParser
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
        // Only the files the printed columns need (the JSON prints every column).
        var files = Column.files(for: json ? Column.all : Column.defaults)
        if limits { files.insert(.limits) }
        if options.needsCgroup { files.insert(.cgroup) }
        // The text filter matches units and containers too.
        if options.filter != nil { files.insert(.cgroup) }
        let snapshot = try sampler.sample(SampleOptions(files: files, threads: threads), interval: sampler.isLive ? interval : 0)
        let rows = try options.listing().rows(of: snapshot.processes).map { (entry: $0.entry, depth: $0.depth) }
        if json {
            for part in SnapshotJSON(snapshot: snapshot, rows: rows, includeLimits: limits).renderParts() where Output.stdoutError == nil {
                Output.write(part)
            }
        } else {
            let columns = Int(swtop_terminal_columns(1))
            var table = PlainTable(snapshot: snapshot, rows: rows, width: columns > 0 ? columns : nil, showTID: threads)
            // Grouped by cgroup: what each group is, before the command.
            if try options.cgroupGrouping() {
                table.columns.insert(contentsOf: [.container, .unit], at: table.columns.count - 1)
                table.cgroupHeadings = true
            }
            Output.write(Array(table.render().utf8))
        }
        // As ps: a choice of processes that selects none is exit status 1 (`--once -p 999999`).
        if rows.isEmpty, options.selects { throw ExitCode(1) }
    }
}
