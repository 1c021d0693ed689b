/// Padding and trimming for fixed-width text: the table, the screen's cells and the commands'
/// tables. Widths count characters (the screen measures terminal cells itself).
public enum TextLayout {
    /// Spaces before `text` up to `width`; longer text as it is.
    public static func padLeft(_ text: String, _ width: Int) -> String {
        let n = text.count
        return n >= width ? text : String(repeating: " ", count: width - n) + text
    }

    /// Spaces after `text` up to `width`; longer text as it is, or cut to `width`.
    public static func padRight(_ text: String, _ width: Int, cut: Bool = false) -> String {
        let n = text.count
        if n >= width { return cut ? String(text.prefix(width)) : text }
        return text + String(repeating: " ", count: width - n)
    }

    /// `text` without leading and trailing spaces.
    public static func trimmed<S: StringProtocol>(_ text: S) -> String {
        var s = Substring(text)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }

    /// `text` without trailing spaces.
    public static func trimmedTrailing(_ text: String) -> String {
        var s = Substring(text)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
