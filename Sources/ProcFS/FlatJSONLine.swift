/// One line of the journal read back (and swtop run's state file, which the monitor reads: so
/// it lives here, below both): a JSON object of plain values and, at most two levels deep,
/// objects (swtop-event/1's `sent_by`, and `stop` with its `requested_by`), checked strictly and indexed in one
/// pass without copying. Values are decoded only when asked
/// for, so reading a million lines for their `time` costs one scan each.
///
/// Accepted values: strings, numbers, true, false, null, arrays of strings or numbers (the
/// `cmdline` and `pids` fields), and in the outer object, objects of those (read with `object`,
/// which parses them again as lines of their own; a fourth level does not parse). Anything else, anything after the closing brace but spaces, a
/// control character in a string or a bad escape makes the line not parse (nil): a torn line, a
/// line another program wrote, a truncated one.
public struct FlatJSONLine {
    public enum Kind: Equatable { case string, number, bool, null, array, object }

    /// Where a member lies in `bytes`: the key (inside its quotes) and the value (a string's
    /// inside its quotes, escapes undecoded; an array with its brackets).
    struct Member {
        var key: Range<Int>
        var value: Range<Int>
        var kind: Kind
        var escaped: Bool
        /// The key's first 8 bytes, packed: most keys differ there, so a look-up compares one
        /// integer per member (a reader of words looks up some twenty keys a line).
        var head: UInt64
    }

    /// Up to the first 8 bytes of `bytes`, packed little-endian.
    @inline(__always)
    static func head<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
        var packed: UInt64 = 0
        var shift: UInt64 = 0
        for b in bytes {
            if shift == 64 { break }
            packed |= UInt64(b) << shift
            shift += 8
        }
        return packed
    }

    public let bytes: ArraySlice<UInt8>
    private var members: [Member]

    /// Parses one line (without its newline). nil when it is not a flat JSON object.
    public init?(_ bytes: ArraySlice<UInt8>) {
        self.init(bytes, depth: Self.deepest)
    }

    /// Objects may nest this deep below the line (`stop` holds `requested_by`).
    static let deepest = 2
    private let depth: Int

    /// - Parameter depth: how many levels of objects this object may still hold.
    private init?(_ bytes: ArraySlice<UInt8>, depth: Int) {
        self.bytes = bytes
        self.depth = depth
        // Scanned through a buffer pointer, whose reads (each after its own `i < end` check) the
        // compiler does not check again: the journal reader parses every byte of every line.
        guard let found = bytes.withUnsafeBufferPointer({ Self.members($0, offset: bytes.startIndex, depth: depth) }) else { return nil }
        members = found
    }

    /// The members of the object that is all of `bytes`, their ranges moved by `offset` (the
    /// line's start in its slice); nil when it is not one.
    static func members(_ bytes: UnsafeBufferPointer<UInt8>, offset: Int, depth: Int) -> [Member]? {
        var members: [Member] = []
        members.reserveCapacity(24)
        var i = 0
        let end = bytes.count
        Self.skipSpace(bytes, &i)
        guard i < end, bytes[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        Self.skipSpace(bytes, &i)
        if i < end, bytes[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                guard let (key, _) = Self.string(bytes, &i) else { return nil }
                Self.skipSpace(bytes, &i)
                guard i < end, bytes[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                Self.skipSpace(bytes, &i)
                guard i < end else { return nil }
                let start = i
                let kind: Kind
                var escaped = false
                var value: Range<Int>
                switch bytes[i] {
                case UInt8(ascii: "\""):
                    guard let (inside, hasEscape) = Self.string(bytes, &i) else { return nil }
                    kind = .string
                    value = inside
                    escaped = hasEscape
                case UInt8(ascii: "["):
                    guard Self.array(bytes, &i) else { return nil }
                    kind = .array
                    value = start..<i
                case UInt8(ascii: "{") where depth > 0:
                    guard Self.object(bytes, &i, depth: depth - 1) else { return nil }
                    kind = .object
                    value = start..<i
                case UInt8(ascii: "t"):
                    guard Self.literal(bytes, &i, "true") else { return nil }
                    kind = .bool
                    value = start..<i
                case UInt8(ascii: "f"):
                    guard Self.literal(bytes, &i, "false") else { return nil }
                    kind = .bool
                    value = start..<i
                case UInt8(ascii: "n"):
                    guard Self.literal(bytes, &i, "null") else { return nil }
                    kind = .null
                    value = start..<i
                default:
                    guard Self.number(bytes, &i) else { return nil }
                    kind = .number
                    value = start..<i
                }
                members.append(
                    Member(
                        key: (key.lowerBound + offset)..<(key.upperBound + offset), value: (value.lowerBound + offset)..<(value.upperBound + offset),
                        kind: kind, escaped: escaped, head: Self.head(bytes[key])))
                guard let more = Self.separator(bytes, &i, close: UInt8(ascii: "}")) else { return nil }
                if !more { break }
            }
        }
        Self.skipSpace(bytes, &i)
        guard i == end else { return nil }
        return members
    }

    // MARK: - Values

    /// The member named `key` (keys are plain ASCII in swtop-event/1; an escaped key never matches).
    func member(_ key: StaticString) -> Member? {
        let count = key.utf8CodeUnitCount
        return key.withUTF8Buffer { wanted in
            let head = Self.head(wanted)
            for m in members where m.head == head && m.key.count == count {
                var same = true
                var j = m.key.lowerBound + 8
                var k = 8
                while k < count {
                    if bytes[j] != wanted[k] {
                        same = false
                        break
                    }
                    j += 1
                    k += 1
                }
                if same { return m }
            }
            return nil
        }
    }

    public func kind(_ key: StaticString) -> Kind? { member(key)?.kind }

    /// A string member, decoded; nil when absent, null or not a string.
    public func string(_ key: StaticString) -> String? {
        guard let m = member(key), m.kind == .string else { return nil }
        return m.escaped ? Self.unescaped(bytes[m.value]) : String(decoding: bytes[m.value], as: UTF8.self)
    }

    /// A string member's raw bytes (escapes undecoded): for comparing with plain ASCII.
    public func rawString(_ key: StaticString) -> ArraySlice<UInt8>? {
        guard let m = member(key), m.kind == .string else { return nil }
        return bytes[m.value]
    }

    /// An integer member; nil when absent, null, fractional or out of Int64's range.
    public func integer(_ key: StaticString) -> Int64? {
        guard let m = member(key), m.kind == .number else { return nil }
        return Self.integer(bytes[m.value])
    }

    /// A number member as a Double; nil when absent or null.
    public func number(_ key: StaticString) -> Double? {
        guard let m = member(key), m.kind == .number else { return nil }
        return Double(String(decoding: bytes[m.value], as: UTF8.self))
    }

    public func bool(_ key: StaticString) -> Bool? {
        guard let m = member(key), m.kind == .bool else { return nil }
        return bytes[m.value.lowerBound] == UInt8(ascii: "t")
    }

    /// The strings of an array member (`cmdline`); nil when absent or not all strings.
    public func strings(_ key: StaticString) -> [String]? {
        guard let m = member(key), m.kind == .array else { return nil }
        var result: [String] = []
        var i = m.value.lowerBound + 1
        while i < m.value.upperBound - 1 {
            if bytes[i] == UInt8(ascii: "\"") {
                guard let (inside, escaped) = Self.string(bytes, &i) else { return nil }
                result.append(escaped ? Self.unescaped(bytes[inside]) : String(decoding: bytes[inside], as: UTF8.self))
            } else if bytes[i] == UInt8(ascii: ",") || bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D {
                i += 1
            } else {
                return nil
            }
        }
        return result
    }

    /// The integers of an array member (`pids`); nil when absent or not all integers.
    public func integers(_ key: StaticString) -> [Int64]? {
        guard let m = member(key), m.kind == .array else { return nil }
        var result: [Int64] = []
        let inner = bytes[(m.value.lowerBound + 1)..<(m.value.upperBound - 1)]
        for part in inner.split(separator: UInt8(ascii: ",")) {
            let trimmed = part.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            var last = trimmed.endIndex
            while last > trimmed.startIndex, [0x20, 0x09, 0x0D].contains(trimmed[last - 1]) { last -= 1 }
            guard let n = Self.integer(trimmed[trimmed.startIndex..<last]) else { return nil }
            result.append(n)
        }
        return result
    }

    // MARK: - The grammar

    /// A string at `i` (which must be its opening quote): the range inside the quotes and whether
    /// it holds escapes; `i` moves past the closing quote.
    static func string<Bytes: RandomAccessCollection<UInt8>>(_ b: Bytes, _ i: inout Int) -> (Range<Int>, Bool)? where Bytes.Index == Int {
        guard i < b.endIndex, b[i] == UInt8(ascii: "\"") else { return nil }
        i += 1
        let start = i
        var escaped = false
        while i < b.endIndex {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return (start..<(i - 1), escaped)
            }
            if c < 0x20 { return nil }
            if c == UInt8(ascii: "\\") {
                escaped = true
                i += 1
                guard i < b.endIndex else { return nil }
                switch b[i] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 1
                case UInt8(ascii: "u"):
                    guard i + 4 < b.endIndex, (1...4).allSatisfy({ hexValue(b[i + $0]) != nil }) else { return nil }
                    i += 5
                default:
                    return nil
                }
                continue
            }
            i += 1
        }
        return nil
    }

    /// An object member, parsed as a line of its own; nil when absent, null or not an object.
    public func object(_ key: StaticString) -> FlatJSONLine? {
        guard let m = member(key), m.kind == .object else { return nil }
        return FlatJSONLine(bytes[m.value], depth: depth - 1)
    }

    /// An object at `i` (its opening brace): strings, numbers, true, false, null, arrays, and
    /// objects `depth` levels deep.
    static func object<Bytes: RandomAccessCollection<UInt8>>(_ b: Bytes, _ i: inout Int, depth: Int) -> Bool where Bytes.Index == Int {
        elements(b, &i, close: UInt8(ascii: "}")) { i in
            guard string(b, &i) != nil else { return false }
            skipSpace(b, &i)
            guard i < b.endIndex, b[i] == UInt8(ascii: ":") else { return false }
            i += 1
            skipSpace(b, &i)
            guard i < b.endIndex else { return false }
            switch b[i] {
            case UInt8(ascii: "\""): return string(b, &i) != nil
            case UInt8(ascii: "["): return array(b, &i)
            case UInt8(ascii: "t"): return literal(b, &i, "true")
            case UInt8(ascii: "f"): return literal(b, &i, "false")
            case UInt8(ascii: "n"): return literal(b, &i, "null")
            case UInt8(ascii: "{"): return depth > 0 && object(b, &i, depth: depth - 1)
            default: return number(b, &i)
            }
        }
    }

    /// An array of strings and numbers at `i` (its opening bracket).
    static func array<Bytes: RandomAccessCollection<UInt8>>(_ b: Bytes, _ i: inout Int) -> Bool where Bytes.Index == Int {
        elements(b, &i, close: UInt8(ascii: "]")) { i in
            b[i] == UInt8(ascii: "\"") ? string(b, &i) != nil : number(b, &i)
        }
    }

    /// The members or elements of the object or array at `i` (its opening bracket) up to `close`,
    /// each read by `element` (at its first byte, which is there), with the commas between them.
    @inline(__always)
    static func elements<Bytes: RandomAccessCollection<UInt8>>(_ b: Bytes, _ i: inout Int, close: UInt8, _ element: (inout Int) -> Bool) -> Bool
        where Bytes.Index == Int
    {
        i += 1
        skipSpace(b, &i)
        if i < b.endIndex, b[i] == close {
            i += 1
            return true
        }
        while i < b.endIndex {
            guard element(&i) else { return false }
            guard let more = separator(b, &i, close: close) else { return false }
            if !more { return true }
        }
        return false
    }

    /// After a member or element: true past a comma (another follows), false past the closing
    /// bracket, nil for anything else.
    static func separator<Bytes: RandomAccessCollection<UInt8>>(_ b: Bytes, _ i: inout Int, close: UInt8) -> Bool? where Bytes.Index == Int {
        skipSpace(b, &i)
        guard i < b.endIndex else { return nil }
        if b[i] == UInt8(ascii: ",") {
            i += 1
            skipSpace(b, &i)
            return true
        }
        guard b[i] == close else { return nil }
        i += 1
        return false
    }

    static func skipSpace<Bytes: RandomAccessCollection<UInt8>>(_ b: Bytes, _ i: inout Int) where Bytes.Index == Int {
        while i < b.endIndex, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D { i += 1 }
    }

    static func literal<Bytes: RandomAccessCollection<UInt8>>(_ b: Bytes, _ i: inout Int, _ word: StaticString) -> Bool where Bytes.Index == Int {
        let n = word.utf8CodeUnitCount
        guard b.endIndex - i >= n else { return false }
        let same = word.withUTF8Buffer { w in (0..<n).allSatisfy { b[i + $0] == w[$0] } }
        if same { i += n }
        return same
    }

    /// JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    static func number<Bytes: RandomAccessCollection<UInt8>>(_ b: Bytes, _ i: inout Int) -> Bool where Bytes.Index == Int {
        func digits() -> Int {
            let start = i
            while i < b.endIndex, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            return i - start
        }
        if i < b.endIndex, b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.endIndex else { return false }
        if b[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            guard digits() > 0 else { return false }
        }
        if i < b.endIndex, b[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return false }
        }
        if i < b.endIndex, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.endIndex, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return true
    }

    /// An integer in Int64's range, without a fraction or exponent.
    static func integer(_ b: ArraySlice<UInt8>) -> Int64? {
        var i = b.startIndex
        let negative = i < b.endIndex && b[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        guard i < b.endIndex else { return nil }
        var value: Int64 = 0
        while i < b.endIndex {
            let c = b[i]
            guard c >= 0x30, c <= 0x39 else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = negative ? times.subtractingReportingOverflow(Int64(c - 0x30)) : times.addingReportingOverflow(Int64(c - 0x30))
            guard !o1, !o2 else { return nil }
            value = sum
            i += 1
        }
        return value
    }

    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        default: return nil
        }
    }

    /// Decodes the escapes of a string already checked by `string` (a lone surrogate becomes
    /// U+FFFD, as JSONWriter never writes one).
    static func unescaped(_ b: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var pendingHigh: UInt32?
        var i = b.startIndex
        func append(scalar: UInt32) {
            let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            out.append(contentsOf: Array(String(s).utf8))
        }
        func flushHigh() {
            if pendingHigh != nil {
                append(scalar: 0xFFFD)
                pendingHigh = nil
            }
        }
        while i < b.endIndex {
            let c = b[i]
            guard c == UInt8(ascii: "\\"), i + 1 < b.endIndex else {
                flushHigh()
                out.append(c)
                i += 1
                continue
            }
            let e = b[i + 1]
            i += 2
            if e == UInt8(ascii: "u"), i + 4 <= b.endIndex {
                var v: UInt32 = 0
                for k in 0..<4 { v = v << 4 | (hexValue(b[i + k]) ?? 0) }
                i += 4
                if (0xD800...0xDBFF).contains(v) {
                    flushHigh()
                    pendingHigh = v
                } else if (0xDC00...0xDFFF).contains(v), let high = pendingHigh {
                    pendingHigh = nil
                    append(scalar: 0x10000 + ((high - 0xD800) << 10) + (v - 0xDC00))
                } else {
                    flushHigh()
                    append(scalar: v)
                }
                continue
            }
            flushHigh()
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            default: out.append(e)
            }
        }
        flushHigh()
        return String(decoding: out, as: UTF8.self)
    }
}
