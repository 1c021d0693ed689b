import ProcFS
import ProcessModel
/// A small streaming JSON writer into bytes: strings escaped per RFC 8259, numbers without
/// Foundation. Commas are placed by the writer; callers only open, write and close.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    public init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    private mutating func separate() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    public mutating func endObject() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func endArray() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes `"key":`; the value that follows is not preceded by a comma.
    public mutating func key(_ k: String) {
        separate()
        writeString(k)
        bytes.append(UInt8(ascii: ":"))
        needsComma[needsComma.count - 1] = false
    }

    public mutating func string(_ s: String) {
        separate()
        writeString(s)
    }

    public mutating func number<T: BinaryInteger>(_ n: T) {
        separate()
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        if let magnitude = UInt64(exactly: n.magnitude) {
            Format.appendDigits(magnitude, to: &bytes)
        } else {
            raw(String(n.magnitude))
        }
    }

    /// nil and non-finite values are written as null.
    public mutating func number(_ d: Double?, decimals: Int) {
        separate()
        if let d, d.isFinite { Format.appendFixed(d, decimals: decimals, to: &bytes) } else { raw("null") }
    }

    public mutating func bool(_ b: Bool) {
        separate()
        raw(b ? "true" : "false")
    }

    public mutating func null() {
        separate()
        raw("null")
    }

    public mutating func field(_ k: String, _ s: String?) {
        key(k)
        if let s { string(s) } else { null() }
    }

    public mutating func field<T: BinaryInteger>(_ k: String, _ n: T?) {
        key(k)
        if let n { number(n) } else { null() }
    }

    public mutating func field(_ k: String, _ d: Double?, decimals: Int) {
        key(k)
        number(d, decimals: decimals)
    }

    public mutating func field(_ k: String, _ b: Bool?) {
        key(k)
        if let b { bool(b) } else { null() }
    }

    /// `"key":["a","b"]`: a command line, a list of sources.
    public mutating func field(_ k: String, _ list: [String]) {
        key(k)
        strings(list)
    }

    /// `"key":{...}` with the members `members` writes from `value`, or `"key":null` for nil: the
    /// object is closed here, so no caller can leave one open.
    public mutating func object<Value>(_ k: String, _ value: Value?, _ members: (inout JSONWriter, Value) -> Void) {
        key(k)
        guard let value else { return null() }
        beginObject()
        members(&self, value)
        endObject()
    }

    private mutating func strings(_ list: [String]) {
        beginArray()
        for s in list { string(s) }
        endArray()
    }

    /// A value of the column registry.
    public mutating func value(_ v: JSONValue) {
        switch v {
        case .null: null()
        case .bool(let b): bool(b)
        case .int(let n): number(n)
        case .unsigned(let n): number(n)
        case .number(let d, let decimals): number(d, decimals: decimals)
        case .string(let s): string(s)
        case .strings(let list): strings(list)
        case .terminatedStrings(var joined):
            beginArray()
            joined.withUTF8 { utf8 in
                var start = 0
                for i in utf8.indices where utf8[i] == 0 {
                    separate()
                    writeString(UnsafeBufferPointer(rebasing: utf8[start..<i]))
                    start = i + 1
                }
            }
            endArray()
        case .object(let members):
            beginObject()
            for m in members {
                key(m.name)
                value(m.value)
            }
            endObject()
        }
    }

    private mutating func writeString(_ s: String) {
        var s = s
        s.withUTF8 { writeString($0) }
    }

    /// A string's UTF-8 bytes, quoted and escaped; runs that need no escape are copied whole.
    private mutating func writeString(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var start = 0
        for i in utf8.indices {
            let byte = utf8[i]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            default:
                raw("\\u00")
                raw(DisplayText.hex2(byte))
            }
            start = i + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        bytes.append(UInt8(ascii: "\""))
    }
}
