import ProcessModel
import Testing
@testable import SwtopUI

@Suite struct TreeBranchesTests {
    @Test func branchesUseBoxDrawing() {
        // 1
        // ├─ 10
        // │  └─ 11
        // └─ 20
        //    ├─ 21
        //    └─ 22
        let nodes: [TreeBranches.Node] = [
            .init(depth: 0, isLastSibling: true, hasChildren: true, isCollapsed: false),
            .init(depth: 1, isLastSibling: false, hasChildren: true, isCollapsed: false),
            .init(depth: 2, isLastSibling: true, hasChildren: false, isCollapsed: false),
            .init(depth: 1, isLastSibling: true, hasChildren: true, isCollapsed: false),
            .init(depth: 2, isLastSibling: false, hasChildren: false, isCollapsed: false),
            .init(depth: 2, isLastSibling: true, hasChildren: false, isCollapsed: false),
        ]
        #expect(TreeBranches.prefixes(nodes) == ["", "├─ ", "│  └─ ", "└─ ", "   ├─ ", "   └─ "])
    }

    @Test func collapsedBranchShowsPlus() {
        let nodes: [TreeBranches.Node] = [
            .init(depth: 0, isLastSibling: true, hasChildren: true, isCollapsed: true),
            .init(depth: 0, isLastSibling: true, hasChildren: true, isCollapsed: false),
            .init(depth: 1, isLastSibling: true, hasChildren: true, isCollapsed: true),
        ]
        #expect(TreeBranches.prefixes(nodes) == ["+ ", "", "└+ "])
    }

    @Test func treeRowsFromTheListing() {
        let processes = [
            makeProcess(pid: 1, ppid: 0, name: "init"),
            makeProcess(pid: 10, ppid: 1, name: "sshd"),
            makeProcess(pid: 11, ppid: 10, name: "bash"),
            makeProcess(pid: 20, ppid: 1, name: "cron"),
        ]
        var grid = ScreenGrid(width: 120, height: 4)
        let state = makeState(processes, options: ScreenOptions(sortKey: .pid, tree: true))
        let columns = ProcessColumns(columns: [.pid, .command])
        for (i, row) in state.rows.enumerated() {
            columns.drawRow(row.entry, branch: state.branches[i], into: &grid, y: i, override: nil)
        }
        #expect(grid.text == ["      1 init", "     10 ├─ sshd", "     11 │  └─ bash", "     20 └─ cron"])
    }
}
