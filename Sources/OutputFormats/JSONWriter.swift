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
        raw(String(n))
    }

    /// nil and non-finite values are written as null.
    public mutating func number(_ d: Double?, decimals: Int) {
        separate()
        if let d, d.isFinite { raw(Format.fixed(d, decimals: decimals)) } else { raw("null") }
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

    public mutating func field(_ k: String, _ b: Bool) {
        key(k)
        bool(b)
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
        case .strings(let list):
            beginArray()
            for s in list { string(s) }
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
        bytes.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                raw("\\u00")
                raw(DisplayText.hex2(byte))
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
