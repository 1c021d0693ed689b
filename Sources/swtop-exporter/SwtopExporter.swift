import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import ExportOptions
import NIOCore
import NIOHTTP1
import NIOPosix
import ProcFS
import PrometheusExport
import StartupMemory

/// `swtop-exporter --listen ADDR:PORT`: serves GET /metrics. `swtop export --listen` runs it.
/// A program of its own so that swtop does not carry SwiftNIO (start-up time and memory).
@main
struct SwtopExporter: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swtop-exporter",
        abstract: "Serve swtop's process groups as Prometheus metrics on GET /metrics (what `swtop export --listen` runs)."
    )

    @Option(help: ArgumentHelp("The address and port, e.g. 127.0.0.1:9257, :9257 (every address) or [::1]:9257. Port 0: one the kernel picks (said on stderr).", valueName: "ADDR:PORT"))
    var listen: String

    @Option(name: .customLong("proc-root"), help: ArgumentHelp("Read processes from DIR instead of /proc.", valueName: "DIR"))
    var procRoot = "/proc"

    @OptionGroup var exportOptions: ExportOptions

    @Option(name: .customLong("request-timeout"), help: ArgumentHelp("Seconds a client has to send a whole request (and an idle connection stays open).", valueName: "SECONDS"))
    var requestTimeout: Double = 10

    @Option(name: .customLong("max-connections"), help: ArgumentHelp("Connections served at once; more wait in the kernel's listen queue until one closes.", valueName: "N"))
    var maxConnections = 64

    /// The connection cap must fit in the descriptors the kept /proc files leave free
    /// (Sampler.fdsLeftFree, 256), with room for the server's own.
    static let connectionRange = 1...200

    func validate() throws {
        guard Self.connectionRange.contains(maxConnections) else {
            throw ValidationError("invalid --max-connections '\(maxConnections)': expected \(Self.connectionRange.lowerBound) to \(Self.connectionRange.upperBound)")
        }
        guard ListenAddress(listen) != nil else {
            throw ValidationError("invalid --listen '\(listen)': expected ADDR:PORT, :PORT or [IPv6]:PORT")
        }
        guard requestTimeout.isFinite, requestTimeout >= 0.1, requestTimeout <= 3600 else {
            throw ValidationError("invalid --request-timeout '\(requestTimeout)': expected seconds from 0.1 to 3600")
        }
    }

    func run() throws {
        guard let address = ListenAddress(listen) else { throw ExitCode(64) }
        let exporter: MetricsExporter
        do {
            var settings = exportOptions.settings
            settings.lifecycle = true
            exporter = try MetricsExporter(root: procRoot, settings: settings)
            // A first reading before the first scrape: the lifecycle monitor watches the
            // processes from here on, so an end before that scrape is counted.
            _ = try exporter.exposition()
        } catch {
            fail(String(describing: error))
        }
        // One event loop serves every connection; the reading of /proc runs on a thread of its
        // own, so connections are served while it runs.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let loop = group.next()
        let scrapes = Scrapes(exporter: exporter, pool: pool, loop: loop)
        let timeout = TimeAmount.nanoseconds(Int64(requestTimeout * 1e9))
        let maxConnections = self.maxConnections
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // One accept per read, so that ConnectionLimit is asked before each.
            .serverChannelOption(.maxMessagesPerRead, value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptBackoff())
                    try channel.pipeline.syncOperations.addHandler(ConnectionLimit(limit: maxConnections))
                }
            }
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsHandler(scrapes: scrapes, timeout: timeout))
                }
            }
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
        let channel: Channel
        do {
            channel = try bootstrap.bind(host: address.host, port: address.port).wait()
        } catch {
            fail("cannot listen on \(listen): \(error)")
        }
        let bound = channel.localAddress.map { "\($0.ipAddress ?? address.host):\($0.port ?? address.port)" } ?? listen
        writeError("swtop-exporter: serving http://\(bound)/metrics\n")
        // The code only start-up ran (argument parsing, the runtime's registration, the
        // server's set-up) is given back, as the screen does: it would stay in the RSS of a
        // program that runs for months.
        StartupPages.giveBack()
        try channel.closeFuture.wait()
    }

    private func fail(_ message: String) -> Never {
        writeError("swtop-exporter: \(message)\n")
        Glibc.exit(1)
    }
}

func writeError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
}

/// `--listen`'s ADDR:PORT.
struct ListenAddress: Equatable {
    var host: String
    var port: Int

    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        self.host = host
        self.port = port
    }
}
