#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// A failure of the journal's file system calls: what was being done, where, and the errno.
public struct JournalError: Error, CustomStringConvertible, Equatable {
    public var what: String
    public var path: String
    public var code: Int32

    public var description: String { "cannot \(what) \(path): \(errnoText(code))" }
}

/// The journal's directory, held open: every file in it is opened, listed and removed relative
/// to this descriptor, with O_NOFOLLOW, so a link planted in it (or swapped for it after a check)
/// is refused, never followed.
public final class JournalDirectory {
    public let path: String
    let fd: Int32

    /// The directory a journal lives in when none is named: /var/log/swtop for root, else
    /// $XDG_STATE_HOME/swtop, else ~/.local/state/swtop.
    public static func defaultPath() -> String {
        if geteuid() == 0 { return "/var/log/swtop" }
        if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") { return state + "/swtop" }
        let home = environment("HOME") ?? homeOfUser()
        return (home ?? "") + "/.local/state/swtop"
    }

    /// Opens the directory; with `create`, makes it first (0750: command lines can hold secrets)
    /// with its missing parents (0700, as XDG asks for the state directory).
    public init(path: String, create: Bool) throws(JournalError) {
        self.path = path
        if create { try Self.makeDirectories(path) }
        // The directory itself is the admin's choice and may be a link (/var/log on another disk);
        // the files in it are opened with O_NOFOLLOW.
        let fd = Self.retrying { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { throw JournalError(what: "open the journal directory", path: path, code: errno) }
        self.fd = fd
    }

    deinit { close(fd) }

    /// The journal files in it, oldest day first (names of any other form are left out).
    public func dayFiles() -> [(day: Int, name: String)] {
        let copy = dup(fd)
        guard copy >= 0, let dir = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            return []
        }
        defer { closedir(dir) }
        rewinddir(dir)
        var found: [(day: Int, name: String)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if let day = DayFile.day(ofName: name) { found.append((day, String(decoding: name, as: UTF8.self))) }
        }
        return found.sorted { $0.day < $1.day }
    }

    /// The size of a regular file in it (not following a link); nil for anything else.
    public func size(of name: String) -> Int? {
        var st = stat()
        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(st.st_size)
    }

    /// Removes a regular file (a link or anything else of that name is left where it is).
    public func remove(_ name: String) -> Bool {
        guard size(of: name) != nil else { return false }
        return unlinkat(fd, name, 0) == 0
    }

    /// Opens a day's file for appending (and reading its last byte), creating it 0640 (whatever the umask). A link, FIFO,
    /// device or directory of that name is refused (ELOOP, or EINVAL for a non-regular file).
    public func openForAppend(_ name: String) throws(JournalError) -> Int32 {
        // O_NONBLOCK: a FIFO planted under the name must not hang the open.
        let fd = Self.retrying { openat(self.fd, name, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0o640) }
        guard fd >= 0 else { throw JournalError(what: "open the journal file", path: path + "/" + name, code: errno) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw JournalError(what: "append to", path: path + "/" + name + " (not a regular file)", code: EINVAL)
        }
        // Regular files ignore O_NONBLOCK; it is cleared so nothing depends on that.
        _ = fcntl(fd, F_SETFL, O_APPEND)
        if st.st_mode & 0o7777 != 0o640, st.st_uid == geteuid() { fchmod(fd, 0o640) }
        return fd
    }

    /// Opens a day's file for reading; nil (with the errno) for a link or anything not a regular file.
    public func openForReading(_ name: String) -> Result<Int32, JournalError> {
        let fd = Self.retrying { openat(self.fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY) }
        guard fd >= 0 else { return .failure(JournalError(what: "read", path: path + "/" + name, code: errno)) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            return .failure(JournalError(what: "read", path: path + "/" + name + " (not a regular file)", code: EINVAL))
        }
        return .success(fd)
    }

    // MARK: -

    static func makeDirectories(_ path: String) throws(JournalError) {
        var prefix = ""
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        for (index, part) in parts.enumerated() {
            prefix += (prefix.isEmpty && !path.hasPrefix("/") ? "" : "/") + part
            let last = index == parts.count - 1
            if mkdir(prefix, last ? 0o750 : 0o700) == 0 {
                // mkdir's mode is cut by the umask: set it exactly, on the directory just made.
                let made = open(prefix, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
                if made >= 0 {
                    fchmod(made, last ? 0o750 : 0o700)
                    close(made)
                }
            } else if errno != EEXIST {
                throw JournalError(what: "create the journal directory", path: prefix, code: errno)
            }
        }
    }

    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    static func homeOfUser() -> String? {
        guard let pw = getpwuid(geteuid()), let dir = pw.pointee.pw_dir else { return nil }
        return String(cString: dir)
    }

    static func retrying(_ call: () -> Int32) -> Int32 {
        while true {
            let r = call()
            if r < 0 && errno == EINTR { continue }
            return r
        }
    }
}
