import ArgumentParser
import CLinux
import ProcFS
import OutputFormats
import ProcessModel
import Sampling

/// `swtop --once [--json] [--fields LIST]`: one snapshot, printed.
struct Once {
    /// The options as parsed.
    let command: Swtop
    /// `--fields` as checked: the columns to print (pid first); nil prints the default table,
    /// or every field of the JSON document.
    let fields: [Column]?

    /// Columns whose values compare two samples: without one of them, one sample is all
    /// `--fields` needs (as ps takes one).
    static let twoSampleColumns: Set<Column> = [.cpu, .ioReadRate, .ioWriteRate, .ioRate]

    func run() throws {
        // A ProcRootError becomes its one line on stderr in Swtop.reportingFailures.
        let sampler = try Sampler(root: command.options.procRoot)
        let listing = try command.options.listing()
        let columns = try tableColumns(sortKey: listing.sortKey)
        let printed = command.json ? fields ?? Column.all : columns
        let snapshot = try sampler.sample(
            SampleOptions(files: files(printed, sortKey: listing.sortKey), threads: command.threads),
            interval: sampler.isLive && needsTwoSamples(printed, sortKey: listing.sortKey) ? command.interval : 0)
        let rows = listing.rows(of: snapshot.processes).map { (entry: $0.entry, depth: $0.depth) }
        if command.json {
            for part in SnapshotJSON(snapshot: snapshot, rows: rows, includeLimits: command.limits, fields: fields).renderParts() where Output.stdoutError == nil {
                Output.write(part)
            }
        } else {
            let width = Int(swtop_terminal_columns(1))
            var table = PlainTable(snapshot: snapshot, rows: rows, width: width > 0 ? width : nil)
            table.columns = columns
            table.cgroupHeadings = try command.options.cgroupGrouping()
            Output.write(Array(table.render().utf8))
        }
        // As ps: a choice of processes that selects none is exit status 1 (`--once -p 999999`).
        if rows.isEmpty, command.options.selects { throw ExitCode(1) }
    }

    /// The table's columns: `--fields`, else htop's defaults (TID after PID in the thread view;
    /// grouped by cgroup, what each group is before the command); and the sort's column where
    /// it is not among them (`-s start` shows START).
    func tableColumns(sortKey: Column?) throws -> [Column] {
        if let fields { return Column.showing(fields, sortKey: sortKey) }
        var columns = Column.defaults
        if command.threads { columns.insert(.tid, at: 1) }
        if try command.options.cgroupGrouping() { columns.insert(contentsOf: [.container, .unit], at: columns.count - 1) }
        return Column.showing(columns, sortKey: sortKey)
    }

    /// Only the files the printed columns, the sort and the filters need: ps's columns need
    /// `stat` alone.
    func files(_ printed: [Column], sortKey: Column?) -> ProcessFiles {
        var files = Column.files(for: printed + (sortKey.map { [$0] } ?? []))
        if command.limits { files.insert(.limits) }
        if command.options.needsCgroup { files.insert(.cgroup) }
        // -u matches the uid (status); the text filter the command line, units and containers.
        if command.options.user != nil { files.insert(.status) }
        if command.options.filter != nil { files.formUnion([.cmdline, .cgroup]) }
        return files
    }

    /// Whether CPU% (or an I/O rate) is printed or sorted by: the document without --fields
    /// always has them.
    func needsTwoSamples(_ printed: [Column], sortKey: Column?) -> Bool {
        guard fields != nil else { return true }
        return (printed + (sortKey.map { [$0] } ?? [])).contains { Self.twoSampleColumns.contains($0) }
    }
}
