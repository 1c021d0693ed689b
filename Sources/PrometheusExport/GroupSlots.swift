/// Which groups have series of their own: at most `limit` (`--max-groups`); the processes of
/// the rest are counted together under the group `other`. Without a bound, every distinct
/// command name (a build, a cron job's shell) would be a series for as long as Prometheus keeps
/// them.
///
/// A group keeps its slot while it has processes (or is reported at 0 after its end: `keep`),
/// so series do not move in and out of `other` from one reading to the next. Free slots go to
/// new groups with the most processes first (then by name, so the choice is the same every
/// time).
struct GroupSlots {
    let limit: Int
    private(set) var held: Set<String> = []

    init(limit: Int) { self.limit = max(1, limit) }

    /// The group each process is counted in: its own, or `other`.
    mutating func assign(_ groups: [String], keep: Set<String>) -> [String] {
        var sizes: [String: Int] = [:]
        for group in groups { sizes[group, default: 0] += 1 }
        held = held.filter { sizes[$0] != nil || keep.contains($0) }
        if held.count < limit {
            let newcomers = sizes.filter { !held.contains($0.key) }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            for (group, _) in newcomers.prefix(limit - held.count) { held.insert(group) }
        }
        return groups.map { held.contains($0) ? $0 : Grouping.otherGroup }
    }

    /// A slot for a group that is not among the present ones (an ended process's): its own
    /// name while slots are free or it holds one, else `other`. `counted` are the groups that
    /// already have series in the family.
    static func bounded(_ group: String, counted: inout Set<String>, limit: Int) -> String {
        if counted.contains(group) { return group }
        guard counted.count < limit else { return Grouping.otherGroup }
        counted.insert(group)
        return group
    }
}
