/// `/proc/PID/io`: the bytes a process made the storage layer read and write. Readable only with
/// ptrace access (root, or the process's own user): another user's process is EACCES.
public struct ProcIO: Sendable, Hashable {
    /// `read_bytes`: bytes fetched from storage for it (page cache hits do not count).
    public var readBytes: UInt64
    /// `write_bytes`: bytes it caused to be sent to storage (dirtied pages).
    public var writeBytes: UInt64

    public init(readBytes: UInt64, writeBytes: UInt64) {
        self.readBytes = readBytes
        self.writeBytes = writeBytes
    }

    public static func parse(_ bytes: [UInt8]) -> ProcIO? {
        bytes.withBytes { parse($0) }
    }

    /// nil unless both lines are there (a kernel without task I/O accounting has neither).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ProcIO? {
        var read: UInt64?
        var write: UInt64?
        var scanner = ByteScanner(bytes)
        while !scanner.isAtEnd {
            let line = scanner.restOfLine()
            guard let colon = bytes[line].firstIndex(of: UInt8(ascii: ":")) else { continue }
            let key = line.lowerBound..<colon
            var value = ByteScanner(UnsafeBufferPointer(rebasing: bytes[..<line.upperBound]), from: colon + 1)
            if bytesEqual(bytes, key, "read_bytes") {
                read = value.nextUInt64()
            } else if bytesEqual(bytes, key, "write_bytes") {
                write = value.nextUInt64()
            }
        }
        guard let read, let write else { return nil }
        return ProcIO(readBytes: read, writeBytes: write)
    }
}

/// A file holding one decimal integer and a newline: `oom_score`, `oom_score_adj`.
public enum ProcInteger {
    public static func parse(_ bytes: [UInt8]) -> Int32? {
        bytes.withBytes { parse($0) }
    }

    /// nil unless the file is one integer (surrounding whitespace allowed) that fits in an Int32.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        var scanner = ByteScanner(bytes)
        guard let token = scanner.nextToken(), scanner.nextToken() == nil else { return nil }
        return parseInt64(bytes, token).flatMap { Int32(exactly: $0) }
    }
}
