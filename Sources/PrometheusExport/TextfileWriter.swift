#if canImport(Glibc)
import Glibc
#endif

/// Writes an exposition for node_exporter's textfile collector: into a temporary file in the
/// same directory, then renamed over the target, so a reader sees the old file or the new one,
/// never half of one. The temporary name does not end in `.prom`, which the collector ignores.
public struct TextfileWriter {
    public let path: String
    private let temporary: String

    public init(path: String) {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporary = directory + "." + base + ".\(getpid()).tmp"
    }

    /// Replaces the file; the errno of the call that failed, or nil.
    public func write(_ bytes: [UInt8]) -> Int32? {
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return errno }
        var done = 0
        let failed: Int32? = bytes.withUnsafeBytes { raw in
            while done < raw.count {
                guard let base = raw.baseAddress else { return nil }
                let n = Glibc.write(fd, base + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += n
            }
            return nil
        }
        if let failed {
            close(fd)
            unlink(temporary)
            return failed
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            return code
        }
        return nil
    }
}
