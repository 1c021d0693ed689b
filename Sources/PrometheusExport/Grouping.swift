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
    /// a group each. A kernel thread is one whose `stat` flags have PF_KTHREAD (the kernel's own
    /// mark, ProcStat.isKernelThread), never one with a kernel-like name.
    public static let kernelGroup = "[kernel]"
    /// Where processes of groups beyond `--max-groups` are counted (GroupSlots).
    public static let otherGroup = "other"
    /// A process that ended before anything of it could be read.
    public static let unknownGroup = "[unknown]"

    /// The names swtop gives groups of its own; a userland group by one of these names (a
    /// process that named itself `[kernel]`) becomes `NAME (user process)`, so it is never
    /// merged with them.
    static let ownNames: Set<String> = [kernelGroup, otherGroup, unknownGroup]

    public func group(of process: ProcessFigures) -> String {
        if process.isKernelThread { return Self.kernelGroup }
        return group(name: process.name, uid: process.uid, unit: process.unit, container: process.container)
    }

    /// The group of a userland process, as its label value (LabelText.clean).
    public func group(name: String, uid: UInt32?, unit: String?, container: String?) -> String {
        let chosen: String
        switch by {
        case .automatic: chosen = unit ?? container ?? name
        case .unit: chosen = unit ?? name
        case .container: chosen = container ?? name
        case .name: chosen = name
        case .user:
            guard let uid else { return "unknown" }
            chosen = users.name(of: uid) ?? String(uid)
        }
        let label = LabelText.clean(chosen)
        return Self.ownNames.contains(label) ? label + " (user process)" : label
    }
}
