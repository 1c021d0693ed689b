#if canImport(Glibc)
import Glibc
#endif

/// Writes to stdout and stderr without Foundation.
enum Output {
    /// The first error writing stdout (a full disk, an I/O error): swtop then exits 1 saying so,
    /// as a script must not take a cut-off snapshot for a whole one.
    nonisolated(unsafe) static var stdoutError: Int32?

    static func write(_ bytes: [UInt8], fd: Int32 = 1) {
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count, let base = raw.baseAddress {
                let n = Glibc.write(fd, base + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    if fd == 1, stdoutError == nil { stdoutError = n < 0 ? errno : EIO }
                    return
                }
                done += n
            }
        }
    }

    /// One line on stdout.
    static func line(_ text: String) {
        write(Array((text + "\n").utf8))
    }

    /// One line on stderr, "swtop: message".
    static func error(_ message: String, prefix: Bool = true) {
        write(Array(((prefix ? "swtop: " : "") + message + "\n").utf8), fd: 2)
    }
}
