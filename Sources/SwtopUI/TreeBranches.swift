import ProcessModel

/// The box-drawing prefix of each row in tree view, from the rows' depth and last-sibling flags:
///
///     systemd
///     ├─ sshd
///     │  └─ sshd: root@pts/0
///     └+ cron            (collapsed: its children are hidden)
public enum TreeBranches {
    public struct Node: Equatable, Sendable {
        public var depth: Int
        public var isLastSibling: Bool
        public var hasChildren: Bool
        public var isCollapsed: Bool
    }

    /// One prefix per node, in display order (depth-first, as ProcessTree gives them).
    public static func prefixes(_ nodes: [Node]) -> [String] {
        // lastAt[d]: whether the open ancestor at depth d was the last of its siblings, so
        // its vertical line stops.
        var lastAt: [Bool] = []
        var out: [String] = []
        out.reserveCapacity(nodes.count)
        for node in nodes {
            let depth = max(0, node.depth)
            if lastAt.count > depth { lastAt.removeLast(lastAt.count - depth) }
            while lastAt.count < depth { lastAt.append(true) }
            var prefix = ""
            let marker = node.hasChildren && node.isCollapsed ? "+" : "─"
            if depth == 0 {
                if marker == "+" { prefix = "+ " }
            } else {
                for level in 1..<depth { prefix += lastAt[level] ? "   " : "│  " }
                prefix += (node.isLastSibling ? "└" : "├") + marker + " "
            }
            lastAt.append(node.isLastSibling)
            out.append(prefix)
        }
        return out
    }

    /// Prefixes for listing rows, one a row; none at all (empty) when no row is in a tree.
    public static func prefixes(_ rows: [ProcessListing.Row], collapsed: Set<Int32>) -> [String] {
        // Outside the tree view, none: a row without a prefix is drawn without one, and an
        // array of 5,000 empty strings (and of their nodes) was 160 KB at every refresh.
        guard rows.contains(where: { $0.tree != nil }) else { return [] }
        let nodes = rows.map { row in
            Node(
                depth: row.tree?.depth ?? 0, isLastSibling: row.tree?.isLastSibling ?? true,
                hasChildren: (row.tree?.childCount ?? 0) > 0, isCollapsed: collapsed.contains(row.entry.id))
        }
        return prefixes(nodes)
    }
}
