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

    public init(filter: ProcessFilter = ProcessFilter(), sortKey: Column? = nil, inverted: Bool = false, tree: Bool = false, collapsed: Set<Int32> = []) {
        self.filter = filter
        self.sortKey = sortKey
        self.inverted = inverted
        self.tree = tree
        self.collapsed = collapsed
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
        guard tree else { return list.map { Row(entry: $0, tree: nil) } }
        let forest = ProcessTree(list, collapsed: collapsed)
        return forest.rows.map { Row(entry: list[$0.index], tree: $0) }
    }
}
