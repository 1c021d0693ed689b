/// Who is whose parent and child in a list of processes, by index into the list: built once
/// and read by the tree (ProcessTree) and by every walk over it (folding all branches, tagging a
/// branch, finding the shown ancestor of a hidden process).
///
/// A row's parent is its `parentID` (a secondary thread hangs under its process). A parent that
/// is not in the list, or a row naming itself, makes the row a root.
public struct ProcessFamily: Sendable {
    /// The first row with each id.
    public let indexByID: [Int32: Int]
    /// Children of each row, in list order.
    public let children: [[Int]]
    /// The parent row of each row; nil for a root.
    public let parent: [Int?]

    public init(_ processes: [ProcessEntry]) {
        var indexByID: [Int32: Int] = [:]
        indexByID.reserveCapacity(processes.count)
        for (i, p) in processes.enumerated() where indexByID[p.id] == nil { indexByID[p.id] = i }
        var children = [[Int]](repeating: [], count: processes.count)
        var parent = [Int?](repeating: nil, count: processes.count)
        for (i, p) in processes.enumerated() {
            let id = p.parentID
            guard id != p.id, let pi = indexByID[id], pi != i else { continue }
            children[pi].append(i)
            parent[i] = pi
        }
        self.indexByID = indexByID
        self.children = children
        self.parent = parent
    }

    /// Rows that have at least one child.
    public var parents: [Int] { children.indices.filter { !children[$0].isEmpty } }

    /// A row and everything below it, each once, even when the ppid data is cyclic.
    public func branch(from root: Int) -> [Int] {
        var seen = Set<Int>()
        var out: [Int] = []
        var stack = [root]
        while let i = stack.popLast() {
            guard seen.insert(i).inserted else { continue }
            out.append(i)
            stack.append(contentsOf: children[i])
        }
        return out
    }

    /// The row's parent, its parent's parent, ... up to a root; bounded, as ppid data can be cyclic.
    public func ancestors(of row: Int) -> [Int] {
        var out: [Int] = []
        var i = row
        while let p = parent[i], out.count < parent.count, p != row {
            out.append(p)
            i = p
        }
        return out
    }
}
