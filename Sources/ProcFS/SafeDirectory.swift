#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A directory that swtop writes files into without trusting whoever else can write there
/// (`swtop export --textfile`, `swtop record`, the settings file under sudo).
///
/// Every name is resolved relative to one descriptor of the directory, so the directory cannot
/// be swapped between a check and a write. A file is only ever created, with
/// `O_CREAT|O_EXCL|O_NOFOLLOW`: a link, FIFO or file planted at a name is never followed,
/// opened or truncated (O_EXCL also keeps a FIFO from blocking the open). A replacement goes
/// through a temporary file with a random name and renameat(2), which replaces a name without
/// following what it is.
public final class SafeDirectory {
    public let fd: Int32

    /// Opens `path` (links in the path itself are the caller's choice and are followed); the
    /// errno when it is not a directory that can be opened.
    public static func open(_ path: String) -> Result<SafeDirectory, ErrnoCode> {
        let fd = SystemCalls.openDirectory(path)
        guard fd >= 0 else { return .failure(ErrnoCode(SystemCalls.errno)) }
        return .success(SafeDirectory(fd: fd))
    }

    private init(fd: Int32) { self.fd = fd }

    deinit { SystemCalls.close(fd) }

    /// Whether it has no entry but `.` and `..`; nil when it cannot be listed.
    public var isEmpty: Bool? {
        var empty = true
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
        defer { buffer.deallocate() }
        let listed = SystemCalls.forEachEntry(of: fd, buffer: buffer) { if !$0.isDots { empty = false } }
        return listed ? empty : nil
    }

    /// mkdirat: 0 or the errno. An existing name (whatever it is) is EEXIST.
    public func makeDirectory(_ name: String, mode: mode_t = 0o755) -> Int32 {
        mkdirat(fd, name, mode) == 0 ? 0 : SystemCalls.errno
    }

    /// The subdirectory `name`, never through a link.
    public func subdirectory(_ name: String) -> Result<SafeDirectory, ErrnoCode> {
        let sub = SystemCalls.openDirectory(at: fd, name)
        guard sub >= 0 else { return .failure(ErrnoCode(SystemCalls.errno)) }
        return .success(SafeDirectory(fd: sub))
    }

    /// Creates `name` holding `bytes`: 0 or the errno (EEXIST when anything is at that name).
    public func createFile(_ name: String, _ bytes: [UInt8], mode: mode_t = 0o644) -> Int32 {
        let file = SystemCalls.retrying { openat(fd, name, Self.exclusive, mode) }
        guard file >= 0 else { return SystemCalls.errno }
        let code = Self.writeAll(file, bytes)
        if code != 0 { unlinkat(fd, name, 0) }
        return code
    }

    /// Who owns a file and its permission bits, to keep them when it is replaced.
    public struct Ownership: Sendable, Equatable {
        public var uid: uid_t
        public var gid: gid_t
        public var mode: mode_t
        public init(uid: uid_t, gid: gid_t, mode: mode_t) {
            self.uid = uid
            self.gid = gid
            self.mode = mode
        }
    }

    /// The owner and mode of `name` itself (a link is not followed); nil when there is nothing.
    public func ownership(of name: String) -> Ownership? {
        var st = stat()
        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return Ownership(uid: st.st_uid, gid: st.st_gid, mode: st.st_mode & 0o7777)
    }

    /// Replaces `name` with a file holding `bytes`, atomically: a reader sees the old file or
    /// the new one. The temporary file is `.NAME.<16 random hex digits>.tmp` (it does not end
    /// in `.prom`, which node_exporter ignores). With `ownership`, the new file gets that owner
    /// and mode (a root process replacing a user's file leaves it theirs); else `mode` under the
    /// umask. 0 or the errno; nothing is left behind on failure.
    public func replaceFile(_ name: String, _ bytes: [UInt8], mode: mode_t = 0o644, ownership: Ownership? = nil, sync: Bool = false) -> Int32 {
        var temporary = ""
        var file: Int32 = -1
        // A name taken (by chance, or planted by someone who guessed it) is simply not used.
        for _ in 0..<8 {
            var random = SystemRandomNumberGenerator()
            temporary = "." + name + "." + Self.hex(random.next()) + ".tmp"
            file = SystemCalls.retrying { openat(fd, temporary, Self.exclusive, ownership == nil ? mode : 0o600) }
            if file >= 0 || SystemCalls.errno != EEXIST { break }
        }
        guard file >= 0 else { return SystemCalls.errno }
        var code: Int32 = 0
        if let ownership {
            // Owner first: fchown clears the set-id bits that fchmod then sets again. Only when
            // it differs: a user may own a file whose group they are not in.
            let chown = ownership.uid != geteuid() || ownership.gid != getegid()
            if (chown && fchown(file, ownership.uid, ownership.gid) != 0) || fchmod(file, ownership.mode) != 0 { code = SystemCalls.errno }
        }
        if code == 0 { code = Self.writeAll(file, bytes, sync: sync) } else { SystemCalls.close(file) }
        if code == 0, renameat(fd, temporary, fd, name) != 0 { code = SystemCalls.errno }
        if code != 0 { unlinkat(fd, temporary, 0) }
        return code
    }

    static let exclusive = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY

    /// Writes and closes `file`: 0 or the errno (a full disk shows at write or at close).
    private static func writeAll(_ file: Int32, _ bytes: [UInt8], sync: Bool = false) -> Int32 {
        var code: Int32 = 0
        if !bytes.withUnsafeBytes({ SystemCalls.write(file, $0) }) {
            // A write of 0 bytes sets no errno.
            code = SystemCalls.errno == 0 ? EIO : SystemCalls.errno
        }
        if code == 0, sync, fsync(file) != 0 { code = SystemCalls.errno }
        if Glibc.close(file) != 0, code == 0, SystemCalls.errno != EINTR { code = SystemCalls.errno }
        return code
    }

    private static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}

/// An errno value as an Error (for Result).
public struct ErrnoCode: Error, Equatable, Sendable {
    public var code: Int32
    public init(_ code: Int32) { self.code = code }
}
