/// A cursor over the bytes of one /proc file, for the parsers.
///
/// Every accessor is bounds-checked and returns nil rather than trapping: /proc content is
/// untrusted input (truncated files, names chosen by any process).
struct ByteScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    var isAtEnd: Bool { index >= bytes.count }

    mutating func skipWhitespace() {
        while index < bytes.count, isWhitespace(bytes[index]) { index += 1 }
    }

    /// The next run of non-whitespace bytes, or nil at the end.
    mutating func nextToken() -> Range<Int>? {
        skipWhitespace()
        let start = index
        while index < bytes.count, !isWhitespace(bytes[index]) { index += 1 }
        return start < index ? start..<index : nil
    }

    mutating func nextInt64() -> Int64? {
        guard let token = nextToken() else { return nil }
        return parseInt64(bytes, token)
    }

    mutating func nextUInt64() -> UInt64? {
        guard let token = nextToken() else { return nil }
        return parseUInt64(bytes, token)
    }

    /// The rest of the current line, without its newline; the cursor moves to the next line.
    mutating func restOfLine() -> Range<Int> {
        let start = index
        while index < bytes.count, bytes[index] != 0x0A { index += 1 }
        let range = start..<index
        if index < bytes.count { index += 1 }
        return range
    }
}

@inline(__always)
func isWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C
}

/// Decimal with an optional leading '-'; nil on anything else or on overflow.
func parseInt64(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
    guard !range.isEmpty, range.upperBound <= bytes.count else { return nil }
    var i = range.lowerBound
    var negative = false
    if bytes[i] == UInt8(ascii: "-") {
        negative = true
        i += 1
    } else if bytes[i] == UInt8(ascii: "+") {
        i += 1
    }
    guard i < range.upperBound else { return nil }
    var value: Int64 = 0
    while i < range.upperBound {
        let digit = bytes[i] &- 0x30
        guard digit < 10 else { return nil }
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(digit)) : m.addingReportingOverflow(Int64(digit))
        guard !o1, !o2 else { return nil }
        value = s
        i += 1
    }
    return value
}

/// Unsigned decimal; nil on anything else or on overflow.
func parseUInt64(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64? {
    guard !range.isEmpty, range.upperBound <= bytes.count else { return nil }
    var value: UInt64 = 0
    for i in range {
        let digit = bytes[i] &- 0x30
        guard digit < 10 else { return nil }
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.addingReportingOverflow(UInt64(digit))
        guard !o1, !o2 else { return nil }
        value = s
    }
    return value
}

func parseDouble(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
    guard !range.isEmpty, range.upperBound <= bytes.count else { return nil }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    return Double(text)
}

/// Each `Key:  value` line of a status-like file (`/proc/PID/status`): `body` gets the key's
/// range and a scanner over the rest of the line, and returns false to stop. Lines without a
/// colon are skipped.
func forEachKeyedLine(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>, inout ByteScanner) -> Bool) {
    var scanner = ByteScanner(bytes)
    while !scanner.isAtEnd {
        let line = scanner.restOfLine()
        guard let colon = bytes[line].firstIndex(of: UInt8(ascii: ":")) else { continue }
        var value = ByteScanner(UnsafeBufferPointer(rebasing: bytes[..<line.upperBound]), from: colon + 1)
        guard body(line.lowerBound..<colon, &value) else { return }
    }
}

extension ByteScanner {
    /// The numbers left on the line that fit a uid or gid (`Uid:` and `Gid:` lines).
    mutating func ids() -> [UInt32] {
        var ids: [UInt32] = []
        while let v = nextUInt64(), let id = UInt32(exactly: v) { ids.append(id) }
        return ids
    }
}

func bytesEqual(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ literal: StaticString) -> Bool {
    guard range.count == literal.utf8CodeUnitCount, range.upperBound <= bytes.count else { return false }
    let lit = literal.utf8Start
    for (k, i) in range.enumerated() where bytes[i] != lit[k] { return false }
    return true
}

extension Array where Element == UInt8 {
    /// Runs a parser over the array's bytes.
    @inlinable
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeBufferPointer { body($0) }
    }
}
