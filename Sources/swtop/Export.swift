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
        // Parsed on its own (CommandStart): its usage still reads "swtop export".
        _superCommandName: "swtop",
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

    @OptionGroup var source: SourceOptions
    var procRoot: String { source.procRoot }

    func validate() throws {
        if textfile != nil, listen != nil { throw ValidationError("--textfile and --listen cannot be used together") }
        if let textfile, let problem = TextfileWriter.problem(with: textfile) {
            throw ValidationError(DisplayText.escaped("invalid --textfile '\(textfile)': \(problem)"))
        }
        try OptionValue.check(every, "--every", 0.1...86_400)
    }

    func run() throws {
        try Self.reportingFailures {
            do {
                let options = exportOptions
                if let listen { try ExportRun.execExporter(listen: listen, procRoot: procRoot, options: options) }
                try ExportRun.run(procRoot: procRoot, options: options, textfile: textfile, every: every)
            } catch {
                throw Failure(String(describing: error))
            }
        }
    }
}
