/// Case-insensitive text matched against a process's name and command line (and its unit and
/// container: id, name, runtime): one matcher for
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
        return matches(name: p.name, command: p.joinedCmdline, service: p.membership?.searchText)
    }

    /// The same test on a name, a command line (arguments joined by spaces) and the text of a
    /// unit or container.
    public func matches(name: String, command: String?, service: String? = nil) -> Bool {
        guard !terms.isEmpty else { return true }
        let name = name.lowercased()
        let command = command?.lowercased() ?? ""
        let service = service ?? ""
        return terms.contains { name.contains($0) || command.contains($0) || (!service.isEmpty && service.contains($0)) }
    }
}
