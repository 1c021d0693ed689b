/// The settings file's text, `key=value` a line, in plain Swift with no imports: bytes in,
/// values and problems out, and back. The file is the user's (they may edit it by hand), so it
/// is untrusted input: nothing in it can trap (Fuzz/FuzzConfig.swift), and a line that cannot be
/// read is named, never guessed at.
public struct ConfigValues: Equatable, Sendable {
    /// Column ids in the order shown ("pid", "user", ...).
    public var columns: [String]?
    public var sortKey: String?
    public var sortInverted: Bool?
    public var treeView: Bool?
    public var hideKernelThreads: Bool?
    public var hideUserlandThreads: Bool?
    public var highlightChanges: Bool?
    /// Seconds new processes stay highlighted and exited ones stay greyed.
    public var highlightSeconds: Int?
    /// Tenths of a second between refreshes, as htop's `delay`.
    public var delayTenths: Int?
    public var color: Bool?

    public init() {}
}

/// A line of the file that was not used, and why.
public struct ConfigProblem: Equatable, Sendable {
    /// 1-based.
    public var line: Int
    public var message: String
}

public enum ConfigFile {
    /// A settings file is a few hundred bytes; anything this large is not one.
    public static let maxBytes = 65_536
    public static let highlightRange = 1...3600
    /// As `--delay`: a tenth of a second to an hour.
    public static let delayRange = 1...36_000

    /// The keys in the order they are written.
    public static let keys = [
        "columns", "sort_key", "sort_inverted", "tree_view", "hide_kernel_threads", "hide_userland_threads",
        "highlight_changes", "highlight_seconds", "delay", "color",
    ]

    /// Reads every line; blank lines and lines starting with `#` are comments. A line that
    /// cannot be read (no `=`, an unknown key, a value out of range or not UTF-8) is a problem
    /// and leaves its key as it was; a key given twice takes the last value, as in htop.
    /// `isColumn` and `isSortKey` say which column ids exist (the registry is not needed here).
    public static func parse(
        _ bytes: some Collection<UInt8>, isColumn: (String) -> Bool, isSortKey: (String) -> Bool
    ) -> (values: ConfigValues, problems: [ConfigProblem]) {
        var values = ConfigValues()
        var problems: [ConfigProblem] = []
        var number = 0
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            var line = Array(rawLine)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            let trimmed = trim(line[...])
            if trimmed.isEmpty || trimmed.first == UInt8(ascii: "#") { continue }
            guard let equals = trimmed.firstIndex(of: UInt8(ascii: "=")) else {
                problems.append(ConfigProblem(line: number, message: "expected key=value, found '\(shown(trimmed))'"))
                continue
            }
            let keyBytes = trim(trimmed[..<equals])
            let valueBytes = trim(trimmed[(equals + 1)...])
            guard let key = String(validating: keyBytes, as: UTF8.self), let value = String(validating: valueBytes, as: UTF8.self) else {
                problems.append(ConfigProblem(line: number, message: "not UTF-8 text"))
                continue
            }
            if let message = set(key, value, in: &values, isColumn: isColumn, isSortKey: isSortKey) {
                problems.append(ConfigProblem(line: number, message: message))
            }
        }
        return (values, problems)
    }

    /// Sets one key; returns why it could not, or nil.
    static func set(
        _ key: String, _ value: String, in values: inout ConfigValues,
        isColumn: (String) -> Bool, isSortKey: (String) -> Bool
    ) -> String? {
        func flag(_ apply: (inout ConfigValues, Bool) -> Void) -> String? {
            guard let b = bool(value) else { return "\(key): expected 0 or 1, found '\(shown(value))'" }
            apply(&values, b)
            return nil
        }
        func integer(_ range: ClosedRange<Int>, _ apply: (inout ConfigValues, Int) -> Void) -> String? {
            guard value.utf8.count <= 9, let n = Int(value), range.contains(n) else {
                return "\(key): expected a whole number from \(range.lowerBound) to \(range.upperBound), found '\(shown(value))'"
            }
            apply(&values, n)
            return nil
        }
        switch key {
        case "columns":
            var ids: [String] = []
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                let id = String(decoding: trim(Array(part.utf8)[...]), as: UTF8.self).lowercased()
                guard isColumn(id) else { return "columns: unknown column '\(shown(id))'" }
                guard !ids.contains(id) else { return "columns: '\(shown(id))' is listed twice" }
                ids.append(id)
            }
            values.columns = ids
            return nil
        case "sort_key":
            let id = value.lowercased()
            guard isSortKey(id) else { return "sort_key: unknown column '\(shown(value))'" }
            values.sortKey = id
            return nil
        case "sort_inverted": return flag { $0.sortInverted = $1 }
        case "tree_view": return flag { $0.treeView = $1 }
        case "hide_kernel_threads": return flag { $0.hideKernelThreads = $1 }
        case "hide_userland_threads": return flag { $0.hideUserlandThreads = $1 }
        case "highlight_changes": return flag { $0.highlightChanges = $1 }
        case "color": return flag { $0.color = $1 }
        case "highlight_seconds": return integer(highlightRange) { $0.highlightSeconds = $1 }
        case "delay": return integer(delayRange) { $0.delayTenths = $1 }
        default: return "unknown key '\(shown(key))'"
        }
    }

    /// htop writes 0 and 1; people also write these.
    static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: return nil
        }
    }

    /// The value of each key that is set, as a line without its newline: "delay=15".
    public static func lines(_ v: ConfigValues) -> [(key: String, line: String)] {
        func b(_ x: Bool) -> String { x ? "1" : "0" }
        var out: [(String, String)] = []
        func add(_ key: String, _ value: String?) { if let value { out.append((key, key + "=" + value)) } }
        add("columns", v.columns?.joined(separator: ","))
        add("sort_key", v.sortKey)
        add("sort_inverted", v.sortInverted.map(b))
        add("tree_view", v.treeView.map(b))
        add("hide_kernel_threads", v.hideKernelThreads.map(b))
        add("hide_userland_threads", v.hideUserlandThreads.map(b))
        add("highlight_changes", v.highlightChanges.map(b))
        add("highlight_seconds", v.highlightSeconds.map(String.init))
        add("delay", v.delayTenths.map(String.init))
        add("color", v.color.map(b))
        return out
    }

    public static let header = "# swtop settings, saved on quit (F2 changes them). One key=value a line; the README lists the keys.\n"

    /// The file with `values` in it. The user's own lines stay as they were (comments, blank
    /// lines, the order of keys): each key's last line gets its new value, a key given twice
    /// keeps its earlier lines, and keys the file lacks are added at the end. An empty file
    /// becomes the header and every key. Only for a file every line of which was read.
    public static func updated(_ original: [UInt8], with values: ConfigValues) -> [UInt8] {
        let wanted = lines(values)
        if original.isEmpty {
            return Array((header + wanted.map { $0.line + "\n" }.joined()).utf8)
        }
        var fileLines = original.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        // A final newline leaves an empty last piece: not a line.
        let endsWithNewline = original.last == UInt8(ascii: "\n")
        if endsWithNewline { fileLines.removeLast() }
        var lastLineOf: [String: Int] = [:]
        for (i, line) in fileLines.enumerated() {
            if let key = keyOf(line) { lastLineOf[key] = i }
        }
        var added: [[UInt8]] = []
        for (key, line) in wanted {
            if let i = lastLineOf[key] {
                // Keep a Windows line end as it was.
                let cr = fileLines[i].last == UInt8(ascii: "\r") ? [UInt8(ascii: "\r")] : []
                fileLines[i] = Array(line.utf8) + cr
            } else {
                added.append(Array(line.utf8))
            }
        }
        var out: [UInt8] = []
        for line in fileLines {
            out += line
            out.append(UInt8(ascii: "\n"))
        }
        if !endsWithNewline, !out.isEmpty { out.removeLast() }
        if !added.isEmpty {
            if !out.isEmpty, out.last != UInt8(ascii: "\n") { out.append(UInt8(ascii: "\n")) }
            for line in added { out += line + [UInt8(ascii: "\n")] }
        }
        return out
    }

    /// The key of a `key=value` line, nil for a comment or blank line.
    static func keyOf(_ line: [UInt8]) -> String? {
        let trimmed = trim(line[...])
        guard trimmed.first != UInt8(ascii: "#"), let equals = trimmed.firstIndex(of: UInt8(ascii: "=")) else { return nil }
        return String(validating: trim(trimmed[..<equals]), as: UTF8.self)
    }

    static func trim(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = s
        while let c = s.first, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") { s.removeFirst() }
        while let c = s.last, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") { s.removeLast() }
        return s
    }

    /// The user's text for a message in the status line: at most 40 characters, control
    /// characters and invalid UTF-8 as `\xHH`, so the file cannot write to the terminal.
    static func shown(_ bytes: ArraySlice<UInt8>) -> String {
        shown(String(decoding: bytes, as: UTF8.self))
    }

    static func shown(_ text: String) -> String {
        var out = ""
        var count = 0
        for s in text.unicodeScalars {
            if count == 40 {
                out += "..."
                break
            }
            if s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0) || s == "\u{FFFD}" {
                let digits = Array("0123456789abcdef")
                let b = Int(s.value & 0xFF)
                out += s == "\u{FFFD}" ? "\\ufffd" : "\\x" + String(digits[b >> 4]) + String(digits[b & 0xF])
            } else {
                out.unicodeScalars.append(s)
            }
            count += 1
        }
        return out
    }
}
