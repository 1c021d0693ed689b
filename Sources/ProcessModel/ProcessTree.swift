/// The ppid forest as rows in display order: depth-first, each process once.
///
/// Roots are rows whose parent is absent (ppid 0, or not in the list). Every row appears exactly
/// once even when ppid data is inconsistent or cyclic: rows that no root reaches (a cycle) are
/// started from in the order given.
public struct ProcessTree: Sendable {
    /// 16 bytes: the screen keeps a row per process.
    public struct Row: Sendable, Equatable {
        private var storedIndex: Int32
        private var storedDepth: Int32
        private var storedChildCount: Int32
        /// Whether this row is the last of its siblings (for drawing branches).
        public var isLastSibling: Bool

        init(index: Int, depth: Int, isLastSibling: Bool, childCount: Int) {
            storedIndex = Int32(truncatingIfNeeded: index)
            storedDepth = Int32(truncatingIfNeeded: depth)
            storedChildCount = Int32(truncatingIfNeeded: childCount)
            self.isLastSibling = isLastSibling
        }

        /// Index into the list the tree was built from.
        public var index: Int { Int(storedIndex) }
        public var depth: Int { Int(storedDepth) }
        public var childCount: Int { Int(storedChildCount) }
    }

    public var rows: [Row]

    /// - Parameters:
    ///   - processes: the rows to arrange; siblings keep the relative order they have here, so
    ///     sort the list first (by pid, or by the chosen column).
    ///   - collapsed: ids whose children are hidden.
    public init(_ processes: [ProcessEntry], collapsed: Set<Int32> = []) {
        let family = ProcessFamily(processes)
        let children = family.children

        var visited = [Bool](repeating: false, count: processes.count)
        var rows: [Row] = []
        rows.reserveCapacity(processes.count)

        func walk(from root: Int) {
            // Iterative, so a deep chain cannot overflow the stack.
            var stack: [(index: Int, depth: Int, last: Bool)] = [(root, 0, true)]
            while let (i, depth, last) = stack.popLast() {
                guard !visited[i] else { continue }
                visited[i] = true
                let kids = children[i].filter { !visited[$0] }
                rows.append(Row(index: i, depth: depth, isLastSibling: last, childCount: kids.count))
                if collapsed.contains(processes[i].id) {
                    markVisited(kids)
                    continue
                }
                for (n, k) in kids.enumerated().reversed() {
                    stack.append((k, depth + 1, n == kids.count - 1))
                }
            }
        }
        func markVisited(_ start: [Int]) {
            var stack = start
            while let i = stack.popLast() {
                guard !visited[i] else { continue }
                visited[i] = true
                stack.append(contentsOf: children[i])
            }
        }

        for i in processes.indices where family.parent[i] == nil && !visited[i] { walk(from: i) }
        // Cycles: nothing reached them from a root.
        for i in processes.indices where !visited[i] { walk(from: i) }
        self.rows = rows
    }
}
