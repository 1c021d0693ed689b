/// Which rows to show: the `-p`, `-u` and `-F` options, and the screen's filter.
public struct ProcessFilter: Sendable, Equatable {
    /// Only these pids (a thread row matches by its process's pid or its own tid).
    public var pids: Set<Int32>?
    /// Only processes of this real uid.
    public var uid: UInt32?
    /// Case-insensitive substrings of name or command line; a row matches if any term does.
    public var matcher: ProcessMatcher
    /// Only processes of this systemd unit (`--unit`): see `inUnit`.
    public var unit: String?
    /// Only processes of this container (`--container`): see `inContainer`.
    public var container: String?

    public init(pids: Set<Int32>? = nil, uid: UInt32? = nil, text: String? = nil, unit: String? = nil, container: String? = nil) {
        self.pids = pids
        self.uid = uid
        self.matcher = ProcessMatcher(filter: text ?? "")
        self.unit = unit
        self.container = container
    }

    public var isEmpty: Bool { pids == nil && uid == nil && matcher.isEmpty && unit == nil && container == nil }

    /// The unit itself (`nginx.service`, or `nginx` for `nginx.service`), or any unit or slice
    /// the process's cgroup lies under (`user@1000.service`, `system.slice`).
    public static func inUnit(_ p: ProcessEntry, _ unit: String) -> Bool { inUnit(p.membership, unit) }

    /// The same test on a cgroup as kept of a process (a recorded event has no path where it
    /// was not read: then its unit alone).
    public static func inUnit(_ m: Membership?, _ unit: String) -> Bool {
        guard let m, !unit.isEmpty else { return false }
        if m.unit == unit || m.unit == unit + ".service" { return true }
        return m.cgroup.split(separator: "/").contains { $0 == unit || $0 == unit + ".service" }
    }

    /// An id prefix (as `docker ps` shows them, any case) or the container's name.
    public static func inContainer(_ p: ProcessEntry, _ wanted: String) -> Bool { inContainer(p.membership, wanted) }

    public static func inContainer(_ m: Membership?, _ wanted: String) -> Bool {
        guard let c = m?.container, !wanted.isEmpty else { return false }
        return c.id.hasPrefix(wanted.lowercased()) || c.id == wanted || c.name == wanted || c.name == "/" + wanted
    }

    public func matches(_ p: ProcessEntry) -> Bool {
        if let pids, !pids.contains(p.pid), !(p.tid.map(pids.contains) ?? false) { return false }
        if let uid, p.uid != uid { return false }
        if let unit, !Self.inUnit(p, unit) { return false }
        if let container, !Self.inContainer(p, container) { return false }
        return matcher.matches(p)
    }

    /// The same test on what is kept of a process after it ended (its unit and container left
    /// out: see the next).
    public func matches(pid: Int32, uid: UInt32?, name: String, command: String?) -> Bool {
        if let pids, !pids.contains(pid) { return false }
        if let uid = self.uid, uid != uid { return false }
        return matcher.matches(name: name, command: command)
    }

    /// The whole test on what is kept of a process after it ended, its cgroup among it.
    public func matches(pid: Int32, uid: UInt32?, name: String, command: String?, membership: Membership?) -> Bool {
        if let unit, !Self.inUnit(membership, unit) { return false }
        if let container, !Self.inContainer(membership, container) { return false }
        return matches(pid: pid, uid: uid, name: name, command: command)
    }

    public func apply(_ processes: [ProcessEntry]) -> [ProcessEntry] {
        isEmpty ? processes : processes.filter(matches)
    }
}
