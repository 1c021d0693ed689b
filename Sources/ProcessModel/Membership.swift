import ProcFS

/// What a process belongs to, from its cgroup: the path, the systemd unit, the container. One
/// immutable object per distinct cgroup, shared by all its processes (a server's hundreds of
/// workers in one unit cost one), so an entry holds a pointer rather than three strings.
public final class Membership: Sendable {
    public let cgroup: String
    public let unit: String?
    public let container: CgroupContainer?
    /// Lowercased unit, container id and name, for the filter (worked out once per cgroup).
    let searchText: String

    public init(_ parsed: ProcCgroup) {
        cgroup = parsed.path
        unit = parsed.unit
        container = parsed.container
        var text = parsed.unit ?? ""
        if let c = parsed.container {
            text += "\u{0}" + c.id + "\u{0}" + (c.name ?? "") + "\u{0}" + c.runtime
        }
        searchText = text.lowercased()
    }

    /// The container as the screen shows it: its name when known, else the short id.
    public var containerLabel: String? {
        guard let c = container else { return nil }
        return c.name ?? c.shortID
    }
}

/// Turns parsed cgroups into shared Membership objects, and looks up container names once.
///
/// Not thread-safe: one per sampler, used where entries are built.
public final class CgroupTable {
    private var known: [ProcCgroup: Membership] = [:]
    private var names: [String: String?] = [:]
    /// Looks up a container's name (Docker's config.v2.json); nil when there is none.
    private let lookUpName: (CgroupContainer) -> String?

    public init(lookUpName: @escaping (CgroupContainer) -> String? = { _ in nil }) {
        self.lookUpName = lookUpName
    }

    public func membership(_ parsed: ProcCgroup) -> Membership {
        if let m = known[parsed] { return m }
        var named = parsed
        if let c = parsed.container {
            let name: String?
            if let cached = names[c.id] {
                name = cached
            } else {
                name = lookUpName(c)
                names[c.id] = name
            }
            named.container?.name = name
        }
        let m = Membership(named)
        // Processes come and go, cgroups with them; a table that only grew would leak on a
        // machine that starts containers all day.
        if known.count >= 4096 { known.removeAll(keepingCapacity: true) }
        if names.count >= 4096 { names.removeAll(keepingCapacity: true) }
        known[parsed] = m
        return m
    }
}
