#if canImport(Glibc)
import Glibc
#endif
import ProcFS
import PrometheusExport

/// Why `swtop export` stopped: one line for stderr.
public struct ExportFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// What `swtop export` does, kept out of the swtop module: code there is laid out with what
/// every start of swtop runs (Linker/hot-functions.order), and export's would widen it.
public enum ExportRun {
    /// One exposition on stdout, or with `textfile` the file rewritten every `every` seconds.
    public static func run(procRoot: String, options: ExportOptions, textfile: String?, every: Double) throws(ExportFailure) {
        let exporter: MetricsExporter
        var settings = options.settings
        // A textfile is rewritten for as long as it runs: how processes end can be followed.
        settings.lifecycle = textfile != nil
        do { exporter = try MetricsExporter(root: procRoot, settings: settings) } catch { throw ExportFailure(error.description) }
        guard let textfile else {
            let bytes: [UInt8]
            do { bytes = try exporter.exposition() } catch { throw ExportFailure(error.description) }
            if let code = writeAll(1, bytes) { throw ExportFailure("cannot write output: " + errnoText(code)) }
            return
        }
        let writer = TextfileWriter(path: textfile)
        var failures = WriteFailures()
        // Each write is due `every` after the previous one was due, so the period does not
        // drift by the time a reading takes.
        var due = Clock.monotonic()
        while true {
            let bytes: [UInt8]
            do { bytes = try exporter.exposition() } catch { throw ExportFailure(error.description) }
            // A full disk, a read-only remount, a directory made unwritable: node_exporter would
            // go on serving the last file, so the writer keeps trying (sooner than `every`) and
            // says what is wrong once, instead of exiting.
            let failed = writer.write(bytes)
            if let line = failures.note(failed, path: textfile, retry: min(every, retryAfterFailure)) {
                _ = writeAll(2, Array(("swtop: " + line + "\n").utf8))
            }
            due += failed == nil ? every : min(every, retryAfterFailure)
            let now = Clock.monotonic()
            if due < now { due = now }
            Clock.sleep(seconds: due - now)
        }
    }

    /// Seconds between attempts while the textfile cannot be written.
    static let retryAfterFailure = 1.0

    /// Replaces this process with swtop-exporter from the running program's directory.
    public static func execExporter(listen: String, procRoot: String, options: ExportOptions) throws(ExportFailure) -> Never {
        var exe = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &exe, exe.count - 1)
        guard n > 0 else { throw ExportFailure("cannot find swtop's own path (/proc/self/exe): \(errnoText(errno))") }
        let own = String(decoding: exe[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let path = String(own[..<(own.lastIndex(of: "/") ?? own.startIndex)]) + "/swtop-exporter"
        let arguments = [path, "--listen", listen, "--proc-root", procRoot] + options.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv(path, argv)
        throw ExportFailure("cannot run \(path): \(errnoText(errno))")
    }

    /// The errno of a failed write, or nil.
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { raw -> Int32? in
            var done = 0
            while done < raw.count, let base = raw.baseAddress {
                let n = write(fd, base + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return n < 0 ? errno : EIO }
                done += n
            }
            return nil
        }
    }
}
