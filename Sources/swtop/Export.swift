import ArgumentParser
import ExportOptions
import ProcessModel
import PrometheusExport

/// `swtop export`: the process groups as Prometheus metrics, on stdout, into a textfile for
/// node_exporter, or over HTTP (`--listen`, served by swtop-exporter, a separate program so that
/// swtop itself does not carry the HTTP server's code).
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the process groups as Prometheus metrics, write them for node_exporter, or serve them over HTTP.",
        discussion: """
            Without --textfile or --listen, prints one exposition on stdout. --textfile PATH \
            rewrites PATH (atomically: a temporary file, then a rename) every --every seconds, for \
            node_exporter's textfile collector (PATH must end in .prom). A write that fails (a \
            full disk, a read-only file system) is said once and tried again every second. --listen ADDR:PORT serves \
            GET /metrics, reading /proc once per scrape, with swtop-exporter (installed beside swtop).
            """
    )

    @OptionGroup var exportOptions: ExportOptions

    @Option(help: ArgumentHelp("Write the exposition to PATH every --every seconds.", valueName: "PATH"))
    var textfile: String?

    @Option(help: ArgumentHelp("With --textfile: seconds between writes.", valueName: "SECONDS"))
    var every: Double = 15

    @Option(help: ArgumentHelp("Serve GET /metrics on this address and port, e.g. 127.0.0.1:9257 or :9257.", valueName: "ADDR:PORT"))
    var listen: String?

    @ParentCommand var swtop: Swtop
    var procRoot: String { swtop.options.procRoot }

    /// The options, with swtop's --group-by where it took the value (see ProcessOptions).
    func effectiveOptions() throws -> ExportOptions {
        var options = exportOptions
        if let text = swtop.options.groupBy {
            guard let groupBy = GroupBy(rawValue: text) else {
                throw ValidationError("invalid --group-by '\(text)' for swtop export: expected one of \(GroupBy.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            options.groupBy = groupBy
        }
        return options
    }

    func validate() throws {
        _ = try effectiveOptions()
        if textfile != nil, listen != nil { throw ValidationError("--textfile and --listen cannot be used together") }
        if let textfile, let problem = TextfileWriter.problem(with: textfile) {
            throw ValidationError(DisplayText.escaped("invalid --textfile '\(textfile)': \(problem)"))
        }
        guard every.isFinite, every >= 0.1, every <= 86_400 else {
            throw ValidationError("invalid --every '\(every)': expected seconds from 0.1 to 86400")
        }
    }

    func run() throws {
        try Self.reportingFailures {
            do {
                let options = try effectiveOptions()
                if let listen { try ExportRun.execExporter(listen: listen, procRoot: procRoot, options: options) }
                try ExportRun.run(procRoot: procRoot, options: options, textfile: textfile, every: every)
            } catch {
                throw Failure(String(describing: error))
            }
        }
    }
}
