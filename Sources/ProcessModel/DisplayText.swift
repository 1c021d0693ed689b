/// Text from /proc made safe for a terminal: control characters become visible escapes, so a
/// process named with an escape sequence cannot repaint or retitle the user's terminal, and
/// bidi and other invisible format characters become visible escapes, so a name cannot read
/// other than it is (`x\u{202E}gpj.exe` would show as "xexe.jpg"). The screen, the plain table
/// and `swtop events` all show text through `escaped`.
public enum DisplayText {
    /// `\n`, `\t`, `\r` by name; every other C0 or C1 control character and DEL as `\xHH`; a
    /// format character (see `isFormat`) as `\u{HHHH}`.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if isControl(scalar) {
                    out += "\\x" + hex2(UInt8(truncatingIfNeeded: scalar.value))
                } else {
                    out += "\\u{" + hex(scalar.value) + "}"
                }
            }
        }
        return out
    }

    /// Whether `escaped` rewrites the character.
    @inline(__always)
    public static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        // Below U+00AD (the first format character) only the controls: the common case decides
        // without Unicode's tables.
        s.value < 0xAD ? isControl(s) : isFormat(s)
    }

    @inline(__always)
    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0)
    }

    /// Unicode's format characters (category Cf): the bidi overrides, embeddings and isolates
    /// (U+202A-U+202E, U+2066-U+2069), the marks U+200E, U+200F and U+061C, zero-width spaces,
    /// the tag characters. They change how text around them reads, or hide. The two joiners
    /// (U+200C, U+200D) stay: scripts and emoji sequences need them, and they reorder nothing.
    public static func isFormat(_ s: Unicode.Scalar) -> Bool {
        s.value != 0x200C && s.value != 0x200D && s.properties.generalCategory == .format
    }

    public static func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String(digits[Int(b >> 4)]) + String(digits[Int(b & 0xF)])
    }

    /// Lowercase hex digits, at least four.
    static func hex(_ value: UInt32) -> String {
        var digits = ""
        var v = value
        repeat {
            digits = hex2(UInt8(v & 0xF)).suffix(1) + digits
            v >>= 4
        } while v > 0
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
