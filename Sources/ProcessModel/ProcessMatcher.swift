/// Case-insensitive text matched against a process's name and command line: one matcher for
/// `-F`, the screen's filter (F4) and its search (F3), so they always agree on what matches.
public struct ProcessMatcher: Sendable, Equatable {
    /// Lowercased; a process matches when any term does.
    public var terms: [String]

    /// A filter: `a|b` matches either term, as htop's filter; spaces around a term are ignored.
    public init(filter text: String) {
        terms = text.split(separator: "|").map { TextLayout.trimmed($0).lowercased() }.filter { !$0.isEmpty }
    }

    /// A search: the text as typed is one term.
    public init(search text: String) {
        terms = text.isEmpty ? [] : [text.lowercased()]
    }

    public var isEmpty: Bool { terms.isEmpty }

    public func matches(_ p: ProcessEntry) -> Bool {
        guard !terms.isEmpty else { return true }
        return matches(name: p.name, command: p.joinedCmdline)
    }

    /// The same test on a name and a command line (arguments joined by spaces).
    public func matches(name: String, command: String?) -> Bool {
        guard !terms.isEmpty else { return true }
        let name = name.lowercased()
        let command = command?.lowercased() ?? ""
        return terms.contains { name.contains($0) || command.contains($0) }
    }
}
