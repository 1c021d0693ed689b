#if canImport(Glibc)
import Glibc
#endif
import ProcFS
import ProcessModel

/// The settings file on disk: where it is, reading it whole, and saving it so that the user's
/// text is never lost: a file that was not read in full is never written, a save goes through a
/// temporary file in the same directory and rename(2), and a file changed by someone else
/// while swtop ran is left alone.
public struct ConfigStore: Sendable {
    /// The file: `$XDG_CONFIG_HOME/swtop/swtoprc`, else `~/.config/swtop/swtoprc`.
    public let path: String

    public init(path: String) { self.path = path }

    /// The path as a message shows it: `~/...` under $HOME, control characters escaped.
    public var displayPath: String {
        let home = getenv("HOME").map { String(cString: $0) } ?? ""
        let shown = home.count > 1 && path.hasPrefix(home + "/") ? "~" + path.dropFirst(home.count) : path
        return DisplayText.escaped(shown)
    }

    /// Where the file is for this user, by the XDG base directory rules (a relative
    /// XDG_CONFIG_HOME is ignored, as the specification says); nil without any home.
    public static func defaultPath(environment: (String) -> String? = { getenv($0).map { String(cString: $0) } }) -> String? {
        if let xdg = environment("XDG_CONFIG_HOME"), xdg.hasPrefix("/") { return xdg + "/swtop/swtoprc" }
        var home = environment("HOME") ?? ""
        if home.isEmpty, let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir { home = String(cString: dir) }
        guard home.hasPrefix("/") else { return nil }
        return (home == "/" ? "" : home) + "/.config/swtop/swtoprc"
    }

    /// What was found at the path.
    public enum Contents: Equatable, Sendable {
        /// No file: defaults apply, and quitting creates it.
        case missing
        case bytes([UInt8])
        /// It exists but could not be read (a directory, no permission, too large): never written.
        case unreadable(String)
    }

    public func read() -> Contents {
        // O_NONBLOCK: a FIFO put there must not hang the start; only a regular file is read.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            let e = errno
            return e == ENOENT ? .missing : .unreadable(errnoText(e))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .unreadable(errnoText(errno)) }
        if st.st_mode & S_IFMT == S_IFDIR { return .unreadable(errnoText(EISDIR)) }
        guard st.st_mode & S_IFMT == S_IFREG else { return .unreadable("not a regular file") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .unreadable(errnoText(errno))
            }
            if n == 0 { break }
            bytes += chunk[..<n]
            if bytes.count > ConfigFile.maxBytes { return .unreadable("larger than \(ConfigFile.maxBytes / 1024) KiB") }
        }
        return .bytes(bytes)
    }

    public struct SaveError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Writes `bytes` as the file, replacing `expected` (what was read at start; nil: there was
    /// no file). Nothing is written when the file now holds something else, and nothing when it
    /// already holds `bytes`. A symbolic link (a dotfiles repository) is followed: its target is
    /// replaced, the link stays.
    public func save(_ bytes: [UInt8], replacing expected: [UInt8]?) throws(SaveError) {
        let now = read()
        switch now {
        case .missing:
            guard expected == nil else { throw SaveError(description: "\(path) was removed while swtop ran; not written") }
        case .bytes(let current):
            guard let expected, current == expected else { throw SaveError(description: "\(path) was changed while swtop ran; not written") }
            if current == bytes { return }
        case .unreadable(let why):
            throw SaveError(description: "cannot read \(path): \(why); not written")
        }
        var target = path
        if let resolved = realpath(path, nil) {
            target = String(cString: resolved)
            free(resolved)
        }
        guard let slash = target.lastIndex(of: "/") else { throw SaveError(description: "\(path) is not an absolute path") }
        let directory = String(target[..<slash])
        if now == .missing { try makeDirectories(directory) }
        // The new file keeps the old one's permissions.
        var mode: mode_t = 0o644
        var st = stat()
        if stat(target, &st) == 0 { mode = st.st_mode & 0o7777 }
        let temporary = target + ".tmp-" + String(getpid())
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw SaveError(description: "cannot write \(directory): \(errnoText(errno))") }
        var written = 0
        var failure: Int32 = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress.map { $0 + written }, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            written += n
        }
        if failure == 0, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, target) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw SaveError(description: "cannot write \(target): \(errnoText(failure))")
        }
    }

    /// mkdir -p, 0700 for the directories it makes (settings are private by default).
    func makeDirectories(_ directory: String) throws(SaveError) {
        var made = ""
        for part in directory.split(separator: "/") {
            made += "/" + part
            if mkdir(made, 0o700) != 0, errno != EEXIST {
                throw SaveError(description: "cannot create \(made): \(errnoText(errno))")
            }
        }
    }
}
