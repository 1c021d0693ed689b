import ProcFS
import ProcessModel

/// The tree view's folding (-, +, =, *) and tagging a branch (c).
extension ViewState {
    mutating func setBranch(collapsed collapse: Bool?) {
        guard tree else {
            say("Branches fold in tree view: press t or F5")
            return
        }
        guard let row = selectedRow else { return }
        let id = row.entry.id
        let fold = collapse ?? !collapsed.contains(id)
        if fold { collapsed.insert(id) } else { collapsed.remove(id) }
        rebuild()
    }

    mutating func toggleAllBranches() {
        guard tree else {
            say("Branches fold in tree view: press t or F5")
            return
        }
        if collapsed.isEmpty {
            let processes = snapshot?.processes ?? []
            collapsed = Set(ProcessFamily(processes).parents.map { processes[$0].id })
        } else {
            collapsed.removeAll()
        }
        rebuild()
    }

    // MARK: - Tags

    mutating func tagWithChildren() {
        guard let root = selectedRow?.entry else { return }
        let processes = snapshot?.processes ?? []
        let family = ProcessFamily(processes)
        // An exited process (a ghost row) is not in the snapshot: it is tagged alone.
        guard let index = family.indexByID[root.id], processes[index].key == root.key else {
            tagged.insert(root.key)
            return moveSelection(to: selectedIndex + 1, keepFollow: true)
        }
        for i in family.branch(from: index) { tagged.insert(processes[i].key) }
        moveSelection(to: selectedIndex + 1, keepFollow: true)
    }
}
