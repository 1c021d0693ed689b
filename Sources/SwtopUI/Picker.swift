import ProcFS
import ProcessControl
import ProcessModel

/// A list to choose from, shown over the process list (F6 sort column, u user).
public struct Picker: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case sort
        /// Items after the first ("All users") are user names; `uids` in the same order.
        case user(uids: [UInt32?])
        /// F9/k: item 0 is the graceful stop, then `signals` in order.
        case signal(targets: [ControlTarget], signals: [Signal])
    }

    public var kind: Kind
    public var title: String
    public var items: [String]
    public var selected: Int
}

extension ViewState {
    /// Moves a picker's cursor, chooses with Enter, closes with Esc or q.
    mutating func handlePickerKey(_ key: Key, _ picker: Picker) -> Effects {
        var p = picker
        if let moved = cursor(p.selected, movedBy: key, count: p.items.count) {
            p.selected = moved
            mode = .picker(p)
            return []
        }
        switch key {
        case .escape, .character("q"):
            mode = .list
            return []
        case .enter:
            mode = .list
            choose(p)
            return []
        default: break
        }
        mode = .picker(p)
        return []
    }

    mutating func choose(_ p: Picker) {
        guard p.selected >= 0, p.selected < p.items.count else { return }
        switch p.kind {
        case .sort:
            let columns = sortColumns
            guard p.selected < columns.count else { return }
            sortKey = columns[p.selected]
            inverted = false
        case .user(let uids):
            uid = p.selected < uids.count ? uids[p.selected] : nil
            userFilterName = uid == nil ? nil : p.items[p.selected]
        case .signal(let targets, let signals):
            if p.selected == 0 {
                requests.append(.gracefulStop(targets))
            } else if p.selected - 1 < signals.count {
                requests.append(.signal(signals[p.selected - 1], targets))
            }
            return
        }
        rebuild()
    }


    /// Columns offered by F6, in order: the columns on screen, as in htop, then the others.
    public var sortColumns: [Column] {
        let shown = columns.filter { $0.sort != nil }
        return shown + Column.sortable.filter { !shown.contains($0) }
    }

    func userPicker() -> Picker {
        var byName: [String: UInt32] = [:]
        for p in snapshot?.processes ?? [] {
            guard let uid = p.uid else { continue }
            byName[DisplayText.escaped(p.user ?? String(uid))] = uid
        }
        let names = byName.keys.sorted()
        let uids: [UInt32?] = [nil] + names.map { byName[$0] }
        var selected = 0
        if let uid, let i = uids.firstIndex(where: { $0 == uid }) { selected = i }
        return Picker(kind: .user(uids: uids), title: "Show processes of", items: ["All users"] + names, selected: selected)
    }
}
