#if canImport(Glibc)
import Glibc
#endif
import ProcFS
import ProcessModel

/// `--events PATH`: swtop-event/1 lines appended to a file, one write(2) each, so that readers
/// and other writers of the same file (O_APPEND) never see half a line.
final class EventsFile {
    private let fd: Int32
    private var reportedFailure = false

    private init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Opens PATH for appending, creating it with mode 0640. A symbolic link as the last
    /// component is refused (O_NOFOLLOW), and so is anything but a regular file: O_NONBLOCK
    /// keeps a FIFO planted there from hanging the open.
    static func open(_ path: String) -> Result<EventsFile, RunOptions.Invalid> {
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            let code = errno
            let why = code == ELOOP ? "it is a symbolic link" : errnoText(code)
            return .failure(RunOptions.Invalid("cannot open --events '\(DisplayText.escaped(path))': \(why)"))
        }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            Glibc.close(fd)
            return .failure(RunOptions.Invalid("cannot use --events '\(DisplayText.escaped(path))': not a regular file"))
        }
        return .success(EventsFile(fd: fd))
    }

    /// Appends one line. A failed write (a full disk) is said once on stderr; the child runs on.
    func append(_ line: [UInt8], log: RunLog) {
        let written = line.withUnsafeBytes { buffer -> Int in
            var n: Int
            repeat { n = write(fd, buffer.baseAddress, buffer.count) } while n < 0 && errno == EINTR
            return n
        }
        if written != line.count && !reportedFailure {
            reportedFailure = true
            log.problem("cannot write the events file: " + (written < 0 ? errnoText(errno) : "short write"))
        }
    }
}
