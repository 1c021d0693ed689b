import ProcFS

/// What processes are grouped by: a series per pid would be a cardinality bomb.
public enum GroupBy: String, CaseIterable, Sendable {
    /// The systemd unit where there is one, else the container, else the command name.
    case automatic = "auto"
    case unit, container, name, user
}

/// Gives each process its group's name.
///
/// Unit and container come from the process's cgroup, which is issue 10's work (branch
/// `containers`). Until it lands, `unitOf` and `containerOf` find none, so `unit`, `container`
/// and `auto` group by the command name. HOOK (issue 10): set them to the cgroup reading's
/// unit and container of a pid.
public struct Grouping {
    public var by: GroupBy
    public var unitOf: (Int32) -> String? = { _ in nil }
    public var containerOf: (Int32) -> String? = { _ in nil }
    private let users = UserNames()

    public init(by: GroupBy) {
        self.by = by
    }

    /// Whether grouping needs each process's real uid (status).
    public var needsUID: Bool { by == .user }

    /// Kernel threads are one group, `[kernel]`, whatever the grouping: they have no unit,
    /// container or user of their own, and their names (kworker/u16:2-events_unbound) would make
    /// a group each.
    public static let kernelGroup = "[kernel]"

    public func group(of process: ProcessFigures) -> String {
        if process.isKernelThread { return Self.kernelGroup }
        return group(pid: process.pid, name: process.name, uid: process.uid)
    }

    /// The group of a userland process.
    public func group(pid: Int32, name: String, uid: UInt32?) -> String {
        switch by {
        case .automatic: return unitOf(pid) ?? containerOf(pid) ?? name
        case .unit: return unitOf(pid) ?? name
        case .container: return containerOf(pid) ?? name
        case .name: return name
        case .user:
            guard let uid else { return "unknown" }
            return users.name(of: uid) ?? String(uid)
        }
    }
}
