/// Text from /proc made safe for a terminal: control characters become visible escapes, so a
/// process named with an escape sequence cannot repaint or retitle the user's terminal.
public enum DisplayText {
    /// `\n`, `\t`, `\r` by name; every other C0 or C1 control character and DEL as `\xHH`.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                out += "\\x" + hex2(UInt8(truncatingIfNeeded: scalar.value))
            }
        }
        return out
    }

    @inline(__always)
    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0)
    }

    public static func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String(digits[Int(b >> 4)]) + String(digits[Int(b & 0xF)])
    }
}
