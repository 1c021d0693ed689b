/// Filter, sort and (optionally) tree: the rows a user sees, in order. Shared by `--once`, the
/// JSON and the screen, so the three always agree.
public struct ProcessListing: Sendable {
    public var filter: ProcessFilter
    /// nil: by pid.
    public var sortKey: Column?
    public var inverted: Bool
    public var tree: Bool
    /// Tree view: ids whose children are hidden.
    public var collapsed: Set<Int32>
    /// Grouped by cgroup (slice, unit, container) instead of by parent, as systemd-cgls; each
    /// row's depth is its cgroup's (components of the path). Takes the place of `tree`.
    public var byCgroup: Bool

    public init(filter: ProcessFilter = ProcessFilter(), sortKey: Column? = nil, inverted: Bool = false, tree: Bool = false, collapsed: Set<Int32> = [], byCgroup: Bool = false) {
        self.filter = filter
        self.sortKey = sortKey
        self.inverted = inverted
        self.tree = tree
        self.collapsed = collapsed
        self.byCgroup = byCgroup
    }

    public struct Row: Sendable {
        public var entry: ProcessEntry
        /// Set in tree view.
        public var tree: ProcessTree.Row?
        /// Set in tree view: 0 for a root.
        public var depth: Int? { tree?.depth }
    }

    public func rows(of processes: [ProcessEntry]) -> [Row] {
        var list = filter.apply(processes)
        (sortKey ?? .pid).sort(&list, inverted: inverted)
        if byCgroup { return Self.groupedByCgroup(list) }
        guard tree else { return list.map { Row(entry: $0, tree: nil) } }
        let forest = ProcessTree(list, collapsed: collapsed)
        return forest.rows.map { Row(entry: list[$0.index], tree: $0) }
    }

    /// The processes in the order of their cgroup paths (so a slice's units follow it, and a
    /// unit's processes stay together), each group in the order given; those without a cgroup
    /// last. A row's depth is the number of components of its cgroup path.
    static func groupedByCgroup(_ list: [ProcessEntry]) -> [Row] {
        let order = list.indices.sorted { a, b in
            let x = list[a].cgroup, y = list[b].cgroup
            if x != y {
                guard let x else { return false }
                guard let y else { return true }
                // By components, so "/a/b" comes right after "/a", before "/a-b".
                return x.split(separator: "/").lexicographicallyPrecedes(y.split(separator: "/"))
            }
            return a < b
        }
        return order.enumerated().map { position, i in
            let depth = list[i].cgroup.map { $0.split(separator: "/").count } ?? 0
            let next = position + 1 < order.count ? order[position + 1] : nil
            let last = next.map { list[$0].cgroup != list[i].cgroup } ?? true
            return Row(entry: list[i], tree: ProcessTree.Row(index: i, depth: depth, isLastSibling: last, childCount: 0))
        }
    }
}
