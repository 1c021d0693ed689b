/// Which rows to show: the `-p`, `-u` and `-F` options, and the screen's filter.
public struct ProcessFilter: Sendable, Equatable {
    /// Only these pids (a thread row matches by its process's pid or its own tid).
    public var pids: Set<Int32>?
    /// Only processes of this real uid.
    public var uid: UInt32?
    /// Case-insensitive substrings of name or command line; a row matches if any term does.
    public var matcher: ProcessMatcher

    public init(pids: Set<Int32>? = nil, uid: UInt32? = nil, text: String? = nil) {
        self.pids = pids
        self.uid = uid
        self.matcher = ProcessMatcher(filter: text ?? "")
    }

    public var isEmpty: Bool { pids == nil && uid == nil && matcher.isEmpty }

    public func matches(_ p: ProcessEntry) -> Bool {
        if let pids, !pids.contains(p.pid), !(p.tid.map(pids.contains) ?? false) { return false }
        if let uid, p.uid != uid { return false }
        return matcher.matches(p)
    }

    /// The same test on what is kept of a process after it ended.
    public func matches(pid: Int32, uid: UInt32?, name: String, command: String?) -> Bool {
        if let pids, !pids.contains(pid) { return false }
        if let uid = self.uid, uid != uid { return false }
        return matcher.matches(name: name, command: command)
    }

    public func apply(_ processes: [ProcessEntry]) -> [ProcessEntry] {
        isEmpty ? processes : processes.filter(matches)
    }
}
