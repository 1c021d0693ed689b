import ProcFS

/// What processes are grouped by: a series per pid would be a cardinality bomb.
public enum GroupBy: String, CaseIterable, Sendable {
    /// The systemd unit where there is one, else the container, else the command name.
    case automatic = "auto"
    case unit, container, name, user
}

/// Gives each process its group's name.
///
/// Unit and container come from the process's cgroup (a container by its name where Docker
/// keeps one, else its short id); a process in neither goes by its command name.
public struct Grouping {
    public var by: GroupBy
    private let users = UserNames()

    public init(by: GroupBy) {
        self.by = by
    }

    /// Whether grouping needs each process's real uid (status).
    public var needsUID: Bool { by == .user }
    /// Whether grouping needs each process's cgroup.
    public var needsCgroup: Bool { by == .automatic || by == .unit || by == .container }

    /// Kernel threads are one group, `[kernel]`, whatever the grouping: they have no unit,
    /// container or user of their own, and their names (kworker/u16:2-events_unbound) would make
    /// a group each.
    public static let kernelGroup = "[kernel]"

    public func group(of process: ProcessFigures) -> String {
        if process.isKernelThread { return Self.kernelGroup }
        return group(name: process.name, uid: process.uid, unit: process.unit, container: process.container)
    }

    /// The group of a userland process.
    public func group(name: String, uid: UInt32?, unit: String?, container: String?) -> String {
        switch by {
        case .automatic: return unit ?? container ?? name
        case .unit: return unit ?? name
        case .container: return container ?? name
        case .name: return name
        case .user:
            guard let uid else { return "unknown" }
            return users.name(of: uid) ?? String(uid)
        }
    }
}
