/// One line of /proc/PID/maps: `start-end perms offset dev inode   path`.
public struct Mapping: Equatable, Sendable {
    public var start: UInt
    public var end: UInt
    /// The four permission letters, e.g. "r-xp" ("p": private, "s": shared).
    public var permissions: String
    /// The file mapped, or a pseudo-name such as "[heap]", or "" for anonymous memory.
    public var path: String

    public var isPrivate: Bool { permissions.utf8.last == UInt8(ascii: "p") }

    /// The second letter: "w" when the process may write to it.
    public var isWritable: Bool { permissions.utf8.dropFirst().first == UInt8(ascii: "w") }

    /// A private mapping of a file that the process cannot write to: the mappings whose file
    /// pages `StartupPages` may drop (see there why never a writable one).
    var mayGiveBack: Bool { isPrivate && !isWritable && path.hasPrefix("/") }

    /// Parses the text of a maps file; lines that do not have the format are skipped.
    public static func parse(_ text: String) -> [Mapping] {
        var mappings: [Mapping] = []
        for line in text.split(separator: "\n") {
            // The path is the rest of the line after the fifth field and its padding; it may
            // itself contain spaces.
            var fields: [Substring] = []
            var rest = line[...]
            for _ in 0..<5 {
                rest = rest.drop { $0 == " " }
                guard let end = rest.firstIndex(of: " ") ?? (rest.isEmpty ? nil : rest.endIndex) else { break }
                fields.append(rest[..<end])
                rest = rest[end...]
            }
            guard fields.count == 5 else { continue }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16),
                  start < end, fields[1].utf8.count == 4
            else { continue }
            mappings.append(Mapping(start: start, end: end, permissions: String(fields[1]),
                                    path: String(rest.drop { $0 == " " })))
        }
        return mappings
    }
}
