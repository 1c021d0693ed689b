#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// Writes an exposition for node_exporter's textfile collector: into a new temporary file in
/// the same directory, then renamed over the target, so a reader sees the old file or the new
/// one, never half of one.
///
/// The directory may be writable by others (a shared textfile directory): the temporary file
/// has a random name and is created, never opened, relative to a descriptor of the directory
/// (SafeDirectory), so a link or FIFO planted there is neither followed nor waited on.
public struct TextfileWriter {
    public let path: String
    let directory: String
    let name: String

    /// nil with the reason when `path` cannot be a textfile: node_exporter reads only files
    /// whose names end in `.prom`.
    public static func problem(with path: String) -> String? {
        let (directory, name) = split(path)
        if name.isEmpty {
            return "expected a file name ending in .prom, e.g. \(directory)swtop.prom"
        }
        guard name.hasSuffix(".prom"), name.utf8.count > 5 else {
            return "node_exporter reads only files whose names end in .prom, e.g. swtop.prom"
        }
        var st = stat()
        let where_ = directory.isEmpty ? "." : directory
        guard stat(where_, &st) == 0 else { return "cannot use the directory \(where_): \(errnoText(errno))" }
        guard st.st_mode & S_IFMT == S_IFDIR else { return "\(where_) is not a directory" }
        if stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR { return "\(path) is a directory; expected a file name ending in .prom" }
        return nil
    }

    public init(path: String) {
        self.path = path
        (directory, name) = Self.split(path)
    }

    /// The directory part (with its final slash, or empty) and the file name.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }

    /// Replaces the file; the errno of the call that failed, or nil. The directory is opened
    /// anew each time, so a directory that was removed and made again is written again.
    public func write(_ bytes: [UInt8]) -> Int32? {
        switch SafeDirectory.open(directory.isEmpty ? "." : directory) {
        case .failure(let e): return e.code
        case .success(let dir):
            let code = dir.replaceFile(name, bytes, mode: 0o644)
            return code == 0 ? nil : code
        }
    }
}
