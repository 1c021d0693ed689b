#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// Appends lines to the day's file so that a crash never loses or garbles what was written:
/// - each line is one write(2) on an O_APPEND descriptor: in the page cache the moment write
///   returns, so a recorder killed with SIGKILL loses nothing it wrote, and two recorders never
///   interleave inside a line;
/// - fdatasync at most once a second (`syncIfDue`), for a power cut;
/// - a file that does not end in a newline (a line torn by a power cut or a full disk) gets one,
///   in the same write as the next line;
/// - when a write fails (ENOSPC, EROFS, EACCES, ...) it says so once per kind, counts the lines it
///   could not write, and writes a `lost` line with that count before the next line that it can.
public final class JournalWriter {
    public let directoryPath: String
    private let create: Bool
    private var directory: JournalDirectory?
    private var fd: Int32 = -1
    private var day: Int?
    /// After a failed or short write, and at open: whether the file may lack its last newline.
    private var checkTail = true
    private var unsynced = false
    private var lastSync = 0.0
    private var lastOpenAttempt = -Double.infinity
    /// Lines that could not be written since the last one that could.
    public private(set) var unwritten = 0
    private var reportedErrors: Set<Int32> = []
    /// Says a failure in one line (stderr); called once per kind of failure.
    private let report: (String) -> Void

    public init(directory path: String, create: Bool = true, report: @escaping (String) -> Void) {
        self.directoryPath = path
        self.create = create
        self.report = report
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// The directory, opened (and created) on first use and again after it failed.
    public func openDirectory() -> JournalDirectory? {
        if let directory { return directory }
        do {
            directory = try JournalDirectory(path: directoryPath, create: create)
        } catch {
            failed(error)
        }
        return directory
    }

    /// Appends one line (ending in a newline) to the file of the UTC day of `time`. Whether it
    /// was written whole.
    @discardableResult
    public func append(_ line: [UInt8], time: Double) -> Bool {
        if unwritten > 0 {
            let lost = unwritten
            guard write(RecordingMarker.lost(count: lost, cause: .journal, time: time), time: time) else {
                unwritten = lost + 1
                return false
            }
            unwritten = 0
        }
        guard write(line, time: time) else {
            unwritten += 1
            return false
        }
        return true
    }

    /// fdatasync when a line was written more than a second after the last one: at most once a
    /// second, and at most a second late. `now` is monotonic.
    public func syncIfDue(now: Double, force: Bool = false) {
        guard unsynced, fd >= 0, force || now - lastSync >= 1 else { return }
        _ = fdatasync(fd)
        unsynced = false
        lastSync = now
    }

    public func close() {
        syncIfDue(now: Clock.monotonic(), force: true)
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        day = nil
    }

    // MARK: -

    private func write(_ line: [UInt8], time: Double) -> Bool {
        guard let fd = file(for: time) else { return false }
        var bytes = line
        if checkTail {
            // A torn last line gets its newline in the same write as this line.
            if !endsInNewline(fd) { bytes.insert(UInt8(ascii: "\n"), at: 0) }
        }
        let n = bytes.withUnsafeBytes { raw -> Int in
            while true {
                let r = Glibc.write(fd, raw.baseAddress, raw.count)
                if r < 0 && errno == EINTR { continue }
                return r
            }
        }
        guard n == bytes.count else {
            // A short write (a disk that filled mid-line) leaves a torn line: mended before the next.
            checkTail = true
            failed(JournalError(what: "write the journal", path: directoryPath + "/" + DayFile.name(day: day ?? 0), code: n < 0 ? errno : ENOSPC))
            return false
        }
        checkTail = false
        unsynced = true
        syncIfDue(now: Clock.monotonic())
        return true
    }

    /// The open file for `time`'s UTC day, opening the next day's file at midnight (UTC). After a
    /// failure to open, tries again at most once a second.
    private func file(for time: Double) -> Int32? {
        let wanted = CalendarDay.day(of: time) ?? 0
        if fd >= 0, day == wanted { return fd }
        let now = Clock.monotonic()
        if fd < 0, now - lastOpenAttempt < 1 { return nil }
        lastOpenAttempt = now
        guard let directory = openDirectory() else { return nil }
        do {
            let opened = try directory.openForAppend(DayFile.name(day: wanted))
            if fd >= 0 {
                syncIfDue(now: now, force: true)
                Glibc.close(fd)
            }
            fd = opened
            day = wanted
            checkTail = true
            return fd
        } catch {
            failed(error)
            // The directory may have been replaced or removed: opened afresh next time.
            self.directory = nil
            return nil
        }
    }

    private func endsInNewline(_ fd: Int32) -> Bool {
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_size > 0 else { return true }
        var last: UInt8 = 0
        return pread(fd, &last, 1, st.st_size - 1) != 1 || last == UInt8(ascii: "\n")
    }

    private func failed(_ error: JournalError) {
        if reportedErrors.insert(error.code).inserted {
            report(error.description + "; recording goes on, counting what could not be written")
        }
    }
}
