import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import ExportOptions
import ProcFS
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
            node_exporter's textfile collector (PATH must end in .prom). --listen ADDR:PORT serves \
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

    func validate() throws {
        if textfile != nil, listen != nil { throw ValidationError("--textfile and --listen cannot be used together") }
        guard every.isFinite, every >= 0.1, every <= 86_400 else {
            throw ValidationError("invalid --every '\(every)': expected seconds from 0.1 to 86400")
        }
    }

    func run() throws {
        try Self.reportingFailures {
            if let listen { try execExporter(listen: listen) }
            let exporter: MetricsExporter
            do { exporter = try MetricsExporter(root: procRoot, settings: exportOptions.settings) } catch { throw Failure(String(describing: error)) }
            guard let textfile else {
                do { Output.write(try exporter.exposition()) } catch { throw Failure(String(describing: error)) }
                return
            }
            let writer = TextfileWriter(path: textfile)
            // Each write is due `every` after the previous one was due, so the period does not
            // drift by the time a reading takes.
            var due = Clock.monotonic()
            while true {
                let bytes: [UInt8]
                do { bytes = try exporter.exposition() } catch { throw Failure(String(describing: error)) }
                if let code = writer.write(bytes) { throw Failure("cannot write \(textfile): \(errnoText(code))") }
                due += every
                let now = Clock.monotonic()
                if due < now { due = now }
                Clock.sleep(seconds: due - now)
            }
        }
    }

    /// Replaces this process with swtop-exporter from swtop's own directory.
    private func execExporter(listen: String) throws -> Never {
        var exe = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &exe, exe.count - 1)
        guard n > 0 else { throw Failure("cannot find swtop's own path (/proc/self/exe): \(errnoText(errno))") }
        let own = String(decoding: exe[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let path = String(own[..<(own.lastIndex(of: "/") ?? own.startIndex)]) + "/swtop-exporter"
        let arguments = [path, "--listen", listen, "--proc-root", procRoot] + exportOptions.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv(path, argv)
        throw Failure("cannot run \(path): \(errnoText(errno))")
    }
}
