/// Which rows to show: the `-p`, `-u` and `-F` options, and the screen's filter.
public struct ProcessFilter: Sendable, Equatable {
    /// Only these pids (a thread row matches by its process's pid or its own tid).
    public var pids: Set<Int32>?
    /// Only processes of this real uid.
    public var uid: UInt32?
    /// Case-insensitive substrings of name or command line; a row matches if any term does.
    /// Terms come from text split at '|', as htop's filter.
    public var terms: [String]

    public init(pids: Set<Int32>? = nil, uid: UInt32? = nil, text: String? = nil) {
        self.pids = pids
        self.uid = uid
        self.terms = Self.terms(of: text ?? "")
    }

    public static func terms(of text: String) -> [String] {
        text.split(separator: "|").map { $0.trimmingSpaces().lowercased() }.filter { !$0.isEmpty }
    }

    public var isEmpty: Bool { pids == nil && uid == nil && terms.isEmpty }

    public func matches(_ p: ProcessEntry) -> Bool {
        if let pids, !pids.contains(p.pid), !(p.tid.map(pids.contains) ?? false) { return false }
        if let uid, p.uid != uid { return false }
        if !terms.isEmpty {
            let name = p.name.lowercased()
            let command = p.joinedCmdline?.lowercased() ?? ""
            return terms.contains { name.contains($0) || command.contains($0) }
        }
        return true
    }

    public func apply(_ processes: [ProcessEntry]) -> [ProcessEntry] {
        isEmpty ? processes : processes.filter(matches)
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
