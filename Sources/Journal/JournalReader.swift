#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// Reads the journal back in time order: only the day files the range touches, oldest first,
/// each in chunks through one buffer, so memory stays flat however large the journal is.
/// A line that does not parse (torn by a crash, written by something else) is skipped, and said
/// once per file.
public struct JournalReader {
    public let directory: JournalDirectory
    /// The largest line read (a longer one is skipped as not parsing).
    static let longestLine = 16 << 20
    static let chunk = 1 << 18

    public init(directory: JournalDirectory) {
        self.directory = directory
    }

    /// Calls `body` with each line whose `time` lies in `since...until` (and the line's bytes,
    /// its newline left out), in the order recorded; `warn` once per file with skipped lines.
    public func read(
        since: Double, until: Double, warn: (String) -> Void,
        _ body: (_ line: FlatJSONLine, _ time: Double) -> Void
    ) {
        guard let first = CalendarDay.day(of: since) ?? (since < 0 ? Int.min : nil),
            let last = CalendarDay.day(of: until) ?? (until > 0 ? Int.max : nil)
        else { return }
        var buffer = [UInt8](repeating: 0, count: Self.chunk)
        for file in directory.dayFiles() where file.day >= first && file.day <= last {
            switch directory.openForReading(file.name) {
            case .failure(let error):
                warn(error.description)
            case .success(let fd):
                var skipped = 0
                var firstSkipped = 0
                var lineNumber = 0
                Self.lines(fd, &buffer) { bytes in
                    lineNumber += 1
                    guard let bytes, let line = FlatJSONLine(bytes), let text = line.rawString("time"),
                        let time = CalendarDay.parseRFC3339(text)
                    else {
                        if skipped == 0 { firstSkipped = lineNumber }
                        skipped += 1
                        return
                    }
                    if time >= since, time <= until { body(line, time) }
                }
                close(fd)
                if skipped > 0 {
                    warn("skipped \(skipped) line\(skipped == 1 ? "" : "s") that did not parse in \(directory.path)/\(file.name) (the first: line \(firstSkipped))")
                }
            }
        }
    }

    /// Each line of the file (nil for one too long to hold), the last one even without a newline.
    static func lines(_ fd: Int32, _ buffer: inout [UInt8], _ body: (ArraySlice<UInt8>?) -> Void) {
        var filled = 0
        var discarding = false
        while true {
            if filled == buffer.count {
                if buffer.count < longestLine {
                    buffer += [UInt8](repeating: 0, count: buffer.count)
                } else {
                    // A line longer than any event: dropped up to its newline.
                    if !discarding { body(nil) }
                    discarding = true
                    filled = 0
                }
            }
            let n = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                while true {
                    let r = Glibc.read(fd, base + filled, raw.count - filled)
                    if r < 0 && errno == EINTR { continue }
                    return r
                }
            }
            if n <= 0 {
                if filled > 0, !discarding { body(buffer[0..<filled]) }
                return
            }
            var start = 0
            let end = filled + n
            while start < end {
                let newline = buffer.withUnsafeBytes { raw -> Int? in
                    guard let base = raw.baseAddress, let found = memchr(base + start, 0x0A, end - start) else { return nil }
                    return base.distance(to: UnsafeRawPointer(found))
                }
                guard let newline else { break }
                if discarding {
                    discarding = false
                } else if newline > start {
                    body(buffer[start..<newline])
                }
                start = newline + 1
            }
            if start > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    guard let base = raw.baseAddress else { return }
                    memmove(base, base + start, end - start)
                }
            }
            filled = end - start
        }
    }
}
