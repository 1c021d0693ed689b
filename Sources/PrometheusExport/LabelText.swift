/// A label value as swtop writes it. Process names, units and command lines are chosen by
/// whoever runs the process, and an exposition is read by people (a `curl` in a terminal,
/// Grafana, alert texts) as well as by Prometheus:
/// - control characters (ESC, BEL, CR, C1...) become visible text, `\n`, `\t`, `\r` by name
///   and the rest as `\xHH`, so a name cannot drive the terminal of whoever reads the metrics;
/// - format characters (the bidi overrides such as U+202E, zero-width characters) and the line
///   and paragraph separators become `\uXXXX`, so `x\u{202E}gpj.exe` cannot pass for "xexe.jpg";
/// - a value longer than `maxBytes` bytes of UTF-8 is cut on a character boundary and ends in
///   `...`: one 128 KB argument would otherwise be a 128 KB label in every sample.
/// The result is plain text; the exposition then escapes `\`, `"` as its format asks. Cleaning
/// a clean value changes nothing, so series are merged by their cleaned values.
public enum LabelText {
    public static let maxBytes = 128

    public static func clean(_ text: String) -> String {
        if text.utf8.count <= maxBytes, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        let whole = escaped(text, limit: Int.max)
        if whole.utf8.count <= maxBytes { return whole }
        return escaped(text, limit: maxBytes - 3) + "..."
    }

    /// The escaped text, whole characters only, at most `limit` bytes.
    private static func escaped(_ text: String, limit: Int) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            let piece: String
            switch scalar {
            case "\n": piece = "\\n"
            case "\t": piece = "\\t"
            case "\r": piece = "\\r"
            default:
                if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) {
                    piece = "\\x" + hex(scalar.value, digits: 2)
                } else if isInvisible(scalar) {
                    piece = "\\u" + hex(scalar.value, digits: scalar.value > 0xFFFF ? 6 : 4)
                } else {
                    piece = String(scalar)
                }
            }
            count += piece.utf8.count
            if count > limit { break }
            out += piece
        }
        return out
    }

    /// Format characters (Cf: bidi controls and overrides, zero-width joiners, the BOM...),
    /// and line and paragraph separators.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .format, .lineSeparator, .paragraphSeparator, .control: return true
        default: return false
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
