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

    public struct SaveError: Error, CustomStringConvertible, Sendable, Equatable {
        public var description: String
    }

    /// Writes `bytes` as the file, replacing `expected` (what was read at start; nil: there was
    /// no file). Nothing is written when the file now holds something else, and nothing when it
    /// already holds `bytes`. A symbolic link (a dotfiles repository) is followed: its target is
    /// replaced, the link stays; but not a link to a file that belongs to someone other than the
    /// link's owner: under `sudo -E`, root would write through a link a user made into another
    /// user's (or root's) file. The replaced file keeps its owner, group and mode, so root saving
    /// a user's settings leaves them the user's.
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
        var link = stat()
        var file = stat()
        if lstat(path, &link) == 0, link.st_mode & S_IFMT == S_IFLNK, stat(target, &file) == 0, file.st_uid != link.st_uid {
            throw SaveError(description: "\(path) links to a file of uid \(file.st_uid), not the link's owner (uid \(link.st_uid)); not written")
        }
        guard let slash = target.lastIndex(of: "/") else { throw SaveError(description: "\(path) is not an absolute path") }
        let directory = String(target[..<slash])
        let name = String(target[target.index(after: slash)...])
        if now == .missing { try makeDirectories(directory) }
        let dir: SafeDirectory
        switch SafeDirectory.open(directory.isEmpty ? "/" : directory) {
        case .success(let opened): dir = opened
        case .failure(let e): throw SaveError(description: "cannot write \(directory): \(errnoText(e.code))")
        }
        // The new file keeps the old one's owner and permissions.
        let failure = dir.replaceFile(name, bytes, mode: 0o644, ownership: dir.ownership(of: name), sync: true)
        if failure != 0 { throw SaveError(description: "cannot write \(target): \(errnoText(failure))") }
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
