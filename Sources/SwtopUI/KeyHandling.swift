import ProcFS
import ProcessControl
import ProcessModel

extension ViewState {
    /// One key: in the list it becomes an action (KeyMap); while typing a search or filter, or
    /// in a picker or the help, it edits that.
    public mutating func handle(_ key: Key) -> Effects {
        if key == .resize { return [] }
        let warned = quitWarned
        let effects = dispatch(key)
        // The warning holds for the very next key only.
        if warned { quitWarned = false }
        return effects
    }

    mutating func dispatch(_ key: Key) -> Effects {
        switch mode {
        case .help:
            mode = .list
            return []
        case .search: return handleSearchKey(key)
        case .filter: return handleFilterKey(key)
        case .picker(let picker): return handlePickerKey(key, picker)
        case .prompt(let prompt): return handlePromptKey(key, prompt)
        case .limits: return handleLimitsKey(key)
        case .detail: return handleDetailKey(key)
        case .setup(let setup): return handleSetupKey(key, setup)
        case .events: return handleEventsKey(key)
        case .list: return apply(KeyMap.action(for: key))
        }
    }

    mutating func handleSearchKey(_ key: Key) -> Effects {
        if LineEditor.edit(&searchText, with: key) {
            search(from: selectedIndex, step: 1)
            return []
        }
        switch key {
        case .function(3): searchNextMatch(step: 1)
        case .enter, .escape: mode = .list
        default: return leaveLine(for: key)
        }
        return []
    }

    /// A movement key ends typing and moves in the list; F10 quits; other keys do nothing.
    mutating func leaveLine(for key: Key) -> Effects {
        switch key {
        case .up, .down, .pageUp, .pageDown, .home, .end:
            mode = .list
            return apply(KeyMap.action(for: key))
        case .function(10): return requestQuit()
        default: return []
        }
    }

    mutating func handleFilterKey(_ key: Key) -> Effects {
        if LineEditor.edit(&filterText, with: key) {
            rebuild()
            return []
        }
        switch key {
        case .enter: mode = .list
        case .escape:
            filterText = ""
            mode = .list
            rebuild()
        default: return leaveLine(for: key)
        }
        return []
    }

    /// The events view: movement keys scroll it, a shows or hides clean exits, Esc, q or E go
    /// back, F10 quits.
    mutating func handleEventsKey(_ key: Key) -> Effects {
        let count = eventRows.count
        if let top = cursor(eventsTop, movedBy: key, count: count) {
            // The last page stays full.
            eventsTop = max(0, min(top, count - listHeight))
            return []
        }
        switch key {
        case .escape, .character("q"), .character("E"): mode = .list
        case .character("a"):
            eventsShowAll.toggle()
            eventsTop = 0
        case .function(10): return requestQuit()
        case .function(1), .character("h"), .character("?"): mode = .help
        default: break
        }
        return []
    }

    /// Where a cursor over `count` items goes for a movement key; nil for any other key.
    func cursor(_ index: Int, movedBy key: Key, count: Int) -> Int? {
        let last = max(0, count - 1)
        let page = max(1, listHeight - 1)
        switch key {
        case .up: return max(0, index - 1)
        case .down: return min(last, index + 1)
        case .home: return 0
        case .end: return last
        case .pageUp: return max(0, index - page)
        case .pageDown: return min(last, index + page)
        default: return nil
        }
    }


    /// Applies an action from the list.
    public mutating func apply(_ action: Action) -> Effects {
        switch action {
        case .moveUp: moveSelection(to: selectedIndex - 1)
        case .moveDown: moveSelection(to: selectedIndex + 1)
        case .pageUp: moveSelection(to: selectedIndex - max(1, listHeight - 1))
        case .pageDown: moveSelection(to: selectedIndex + max(1, listHeight - 1))
        case .home: moveSelection(to: 0)
        case .end: moveSelection(to: rows.count - 1)
        case .scrollLeft: scrollLeft = max(0, scrollLeft - 8)
        case .scrollRight: scrollLeft = min(scrollLeft + 8, 4096)
        case .help: mode = .help
        case .setup: openSetup()
        case .startSearch:
            searchText = ""
            searchFailed = false
            mode = .search
        case .searchNext: searchNextMatch(step: 1)
        case .startFilter: mode = .filter
        case .toggleTree:
            tree.toggle()
            if tree { byCgroup = false }
            rebuild()
        case .toggleServiceView:
            byCgroup.toggle()
            if byCgroup { tree = false }
            rebuild()
        case .expandBranch: setBranch(collapsed: false)
        case .collapseBranch: setBranch(collapsed: true)
        case .toggleBranch: setBranch(collapsed: nil)
        case .toggleAllBranches: toggleAllBranches()
        case .chooseSort:
            let current = sortColumns.firstIndex { $0 == sortKey } ?? 0
            mode = .picker(Picker(kind: .sort, title: "Sort by", items: sortColumns.map(\.title), selected: current))
        case .sortBy(let key):
            sortKey = key
            inverted = false
            rebuild()
        case .invertSort:
            inverted.toggle()
            rebuild()
        case .chooseUser: mode = .picker(userPicker())
        case .toggleUserThreads:
            showUserThreads.toggle()
            say(showUserThreads ? "Showing userland threads" : "Hiding userland threads")
            return .resample
        case .toggleKernelThreads:
            showKernelThreads.toggle()
            say(showKernelThreads ? "Showing kernel threads" : "Hiding kernel threads")
            rebuild()
        case .follow:
            if followKey != nil, followKey == selectedKey {
                followKey = nil
                say("Stopped following")
            } else if let key = selectedKey {
                followKey = key
                selectionChosen = true
            }
        case .tag:
            if let key = selectedKey {
                if tagged.contains(key) { tagged.remove(key) } else { tagged.insert(key) }
                moveSelection(to: selectedIndex + 1, keepFollow: true)
            }
        case .tagWithChildren: tagWithChildren()
        case .untagAll: tagged.removeAll()
        case .pause:
            paused.toggle()
            clearMessage()
        case .redraw: return .redraw
        case .quit: return requestQuit()
        case .signalMenu: openSignalMenu()
        case .niceLower: renice(by: -1, name: "Nice -")
        case .niceRaise: renice(by: 1, name: "Nice +")
        case .setNice: openNicePrompt()
        case .limits: openLimits()
        case .details(let section): openDetail(at: section)
        case .events:
            eventsTop = 0
            mode = .events
        case .none: break
        }
        return []
    }
}
