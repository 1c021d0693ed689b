import ProcFS
import ProcessControl
import ProcessModel
import Sampling

/// What must happen after an action, besides drawing the screen again.
public struct Effects: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The sampling options changed (threads shown or hidden): read /proc again now.
    public static let resample = Effects(rawValue: 1 << 0)
    /// Clear the terminal and draw everything (Ctrl-L).
    public static let redraw = Effects(rawValue: 1 << 1)
    public static let quit = Effects(rawValue: 1 << 2)
}

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

/// How the screen starts, from the command line.
public struct ScreenOptions: Sendable {
    public var pids: Set<Int32>?
    public var uid: UInt32?
    public var filterText: String
    public var sortKey: Column
    public var tree: Bool
    public var showUserThreads: Bool
    public var readonly: Bool
    /// A replayed --proc-root: one sample, no refresh, no CPU%.
    public var replaySource: String?
    /// Seconds between refreshes.
    public var delay: Double
    /// The graceful stop's seconds between SIGTERM and SIGKILL.
    public var grace: Double

    public init(pids: Set<Int32>? = nil, uid: UInt32? = nil, filterText: String = "", sortKey: Column = .cpu, tree: Bool = false, showUserThreads: Bool = false, readonly: Bool = false, replaySource: String? = nil, delay: Double = 1.5, grace: Double = 10) {
        self.pids = pids
        self.uid = uid
        self.filterText = filterText
        self.sortKey = sortKey
        self.tree = tree
        self.showUserThreads = showUserThreads
        self.readonly = readonly
        self.replaySource = replaySource
        self.delay = delay
        self.grace = grace
    }
}

/// Everything the screen shows besides the terminal's size, in plain Swift: the rows in order,
/// the selection, scroll, sort, filter, search, tags, follow and collapsed branches. The
/// selection is a process (ProcessKey), never a row number, so it stays on the same process
/// when rows move.
public struct ViewState {
    public enum Mode: Equatable, Sendable {
        case list, search, filter, help
        case picker(Picker)
        /// A line typed at the bottom (exact nice, a new limit).
        case prompt(Prompt)
        /// L: `limitsView` of one process.
        case limits
    }

    public struct Message: Equatable, Sendable {
        public var text: String
        public var isError: Bool
        public var until: Double
    }

    struct Ghost {
        var entry: ProcessEntry
        var exitedAt: Double
    }

    public var mode: Mode = .list
    public var pids: Set<Int32>?
    public var uid: UInt32?
    public var filterText: String
    public var searchText = ""
    public private(set) var searchFailed = false
    public var sortKey: Column
    public var inverted = false
    public var tree: Bool
    public var collapsed: Set<Int32> = []
    public var showUserThreads: Bool
    /// Hidden by default, as in htop (K shows them).
    public var showKernelThreads = false
    public private(set) var followKey: ProcessKey?
    public private(set) var selectedKey: ProcessKey?
    public private(set) var selectedIndex = 0
    /// Whether the user has moved the selection (or followed a process) yet.
    private var selectionChosen = false
    public private(set) var scrollTop = 0
    public private(set) var scrollLeft = 0
    public private(set) var tagged: Set<ProcessKey> = []
    public var paused = false
    public let readonly: Bool
    public let replaySource: String?
    public private(set) var message: Message?
    /// Rows of the list on screen; set by the layout, used by PgUp/PgDn and scrolling.
    public var listHeight = 20
    /// How long new processes stay highlighted and exited ones stay on screen.
    public var highlightSeconds = 3.0
    /// How long a status message stays.
    public var messageSeconds = 4.0
    /// Seconds between SIGTERM and SIGKILL of the signal menu's graceful stop.
    public let grace: Double
    /// The process whose limits L shows, while it shows them (also under its prompt).
    public private(set) var limitsView: LimitsView?
    /// Graceful stops in progress, by process: "TERM 7s", shown in its row.
    public private(set) var stopMarkers: [ProcessKey: String] = [:]
    /// The last key was a quit refused because of stops in progress.
    private var quitWarned = false
    /// What the user asked ProcessControl to do, not yet done (ScreenLoop takes them).
    public private(set) var requests: [ControlRequest] = []

    public private(set) var snapshot: Snapshot?
    public private(set) var rows: [ProcessListing.Row] = []
    public private(set) var branches: [String] = []
    private var firstSeen: [ProcessKey: Double] = [:]
    private var ghosts: [ProcessKey: Ghost] = [:]
    public private(set) var now = 0.0

    public init(_ options: ScreenOptions = ScreenOptions()) {
        pids = options.pids
        uid = options.uid
        filterText = options.filterText
        sortKey = options.sortKey
        tree = options.tree
        showUserThreads = options.showUserThreads
        readonly = options.readonly
        replaySource = options.replaySource
        grace = options.grace
    }

    // MARK: - Data

    /// A new snapshot. `baseline`: the first one, or one taken with other sampling options,
    /// so nothing in it counts as new or exited.
    public mutating func update(_ next: Snapshot, now: Double, baseline: Bool = false) {
        self.now = now
        if baseline || snapshot == nil {
            firstSeen.removeAll()
            ghosts.removeAll()
        } else if let previous = snapshot {
            let pairs = SnapshotPairing.previousIndices(of: next.processes, in: previous.processes)
            var stayed = [Bool](repeating: false, count: previous.processes.count)
            for (i, j) in pairs.enumerated() {
                if let j { stayed[j] = true } else { firstSeen[next.processes[i].key] = now }
            }
            for (j, p) in previous.processes.enumerated() where !stayed[j] {
                var gone = p
                gone.cpuPercent = nil
                ghosts[p.key] = Ghost(entry: gone, exitedAt: now)
            }
        }
        snapshot = next
        expire()
        if !tagged.isEmpty {
            var alive = Set<ProcessKey>()
            for p in next.processes { alive.insert(p.key) }
            tagged = tagged.filter { alive.contains($0) || ghosts[$0] != nil }
        }
        if let followKey, ghosts[followKey] == nil, !next.processes.contains(where: { $0.key == followKey }) {
            self.followKey = nil
            say("The followed process exited")
        }
        rebuild()
    }

    /// Time passes without a new snapshot: highlights and messages expire.
    public mutating func tick(now: Double) {
        self.now = now
        if let message, now >= message.until { self.message = nil }
        if expire() { rebuild() }
    }

    @discardableResult
    private mutating func expire() -> Bool {
        let before = ghosts.count
        let limit = highlightSeconds
        let t = now
        ghosts = ghosts.filter { t - $0.value.exitedAt < limit }
        firstSeen = firstSeen.filter { t - $0.value < limit }
        return ghosts.count != before
    }

    public func isNew(_ key: ProcessKey) -> Bool { firstSeen[key].map { now - $0 < highlightSeconds } ?? false }
    public func hasExited(_ key: ProcessKey) -> Bool { ghosts[key] != nil }
    public func isTagged(_ key: ProcessKey) -> Bool { tagged.contains(key) }

    /// The listing the rows come from: the options' filters plus the screen's own.
    public var listing: ProcessListing {
        ProcessListing(filter: ProcessFilter(pids: pids, uid: uid, text: filterText), sortKey: sortKey, inverted: inverted, tree: tree, collapsed: collapsed)
    }

    /// Rebuilds the rows and puts the selection back on its process.
    public mutating func rebuild() {
        var processes = snapshot?.processes ?? []
        if !ghosts.isEmpty {
            // Sorted by key, so two exits in one refresh always come out in the same order.
            for key in ghosts.keys.sorted(by: { ($0.id, $0.startTicks) < ($1.id, $1.startTicks) }) {
                if let g = ghosts[key] { processes.append(g.entry) }
            }
        }
        if !showKernelThreads { processes.removeAll { $0.isKernelThread } }
        rows = listing.rows(of: processes)
        branches = TreeBranches.prefixes(rows, collapsed: collapsed)
        // Until the user picks a process, the bar stays on the first row (as in htop), rather
        // than following whichever process happened to be first at start-up.
        let target = followKey ?? (selectionChosen ? selectedKey : nil)
        if let target, let i = rows.firstIndex(where: { $0.entry.key == target }) {
            selectedIndex = i
            selectedKey = target
        } else if let target, let i = visibleAncestor(of: target, in: processes) {
            // Hidden by a collapsed branch: the branch it is in. A followed process is not
            // followed any more: the keys act on the selected row, which is not it.
            selectedIndex = i
            selectedKey = rows[i].entry.key
            if followKey == target {
                followKey = nil
                say("Stopped following \(target.id): its branch is collapsed")
            }
        } else {
            selectedIndex = rows.isEmpty || !selectionChosen ? 0 : min(max(0, selectedIndex), rows.count - 1)
            selectedKey = rows.isEmpty ? nil : rows[selectedIndex].entry.key
        }
        // The selected process stays selected; the view stays where it was (at the top it stays
        // at the top, so a process that rises to the top is seen) and scrolls only as far as
        // needed to keep the selection on screen, as in htop.
        clampScroll()
    }

    /// The row of the nearest ancestor of a process that is listed but not shown (in the tree
    /// view, under a collapsed branch).
    private func visibleAncestor(of key: ProcessKey, in processes: [ProcessEntry]) -> Int? {
        guard tree, !collapsed.isEmpty, processes.contains(where: { $0.key == key }) else { return nil }
        var parentOf: [Int32: Int32] = [:]
        for p in processes { parentOf[p.id] = p.parentID }
        var rowOf: [Int32: Int] = [:]
        for (i, row) in rows.enumerated() { rowOf[row.entry.id] = i }
        var id = key.id
        // Bounded: ppid data can be cyclic.
        for _ in 0..<processes.count {
            guard let parent = parentOf[id], parent != id else { return nil }
            if let i = rowOf[parent] { return i }
            id = parent
        }
        return nil
    }

    private mutating func clampScroll() {
        let height = max(1, listHeight)
        if selectedIndex < scrollTop { scrollTop = selectedIndex }
        if selectedIndex >= scrollTop + height { scrollTop = selectedIndex - height + 1 }
        scrollTop = min(scrollTop, max(0, rows.count - height))
        scrollTop = max(0, scrollTop)
    }

    /// Sets the rows on screen (after a resize) and keeps the selection visible.
    public mutating func setListHeight(_ height: Int) {
        listHeight = max(1, height)
        clampScroll()
    }

    /// What the sampler must read in full for the next refresh: the processes on screen, tagged
    /// or followed, and every process when the sort is by a column another process can change.
    public func sampleOptions() -> SampleOptions {
        var shown = Set<Int32>()
        let end = min(rows.count, scrollTop + listHeight)
        // Row ids: in the thread view, the threads on screen, not every thread of their processes.
        if scrollTop < end { for row in rows[scrollTop..<end] { shown.insert(row.entry.id) } }
        for key in tagged { shown.insert(key.id) }
        if let followKey { shown.insert(followKey.id) }
        let readAll = sortKey == .nice || sortKey == .priority
        return SampleOptions(files: .standard, threads: showUserThreads, shown: shown, readAll: readAll)
    }

    public var selectedRow: ProcessListing.Row? {
        selectedIndex < rows.count ? rows[selectedIndex] : nil
    }

    // MARK: - Keys

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

    private mutating func dispatch(_ key: Key) -> Effects {
        switch mode {
        case .help:
            mode = .list
            return []
        case .search: return handleSearchKey(key)
        case .filter: return handleFilterKey(key)
        case .picker(let picker): return handlePickerKey(key, picker)
        case .prompt(let prompt): return handlePromptKey(key, prompt)
        case .limits: return handleLimitsKey(key)
        case .list: return apply(KeyMap.action(for: key))
        }
    }

    private mutating func handleSearchKey(_ key: Key) -> Effects {
        switch key {
        case .character(let c):
            searchText.unicodeScalars.append(c)
            search(from: selectedIndex, step: 1)
        case .backspace, .delete:
            if !searchText.isEmpty { searchText.removeLast() }
            search(from: selectedIndex, step: 1)
        case .function(3): searchNextMatch(step: 1)
        case .enter, .escape: mode = .list
        case .up, .down, .pageUp, .pageDown, .home, .end:
            mode = .list
            return apply(KeyMap.action(for: key))
        case .function(10): return requestQuit()
        default: break
        }
        return []
    }

    private mutating func handleFilterKey(_ key: Key) -> Effects {
        switch key {
        case .character(let c):
            filterText.unicodeScalars.append(c)
            rebuild()
        case .backspace, .delete:
            if !filterText.isEmpty { filterText.removeLast() }
            rebuild()
        case .enter: mode = .list
        case .escape:
            filterText = ""
            mode = .list
            rebuild()
        case .up, .down, .pageUp, .pageDown, .home, .end:
            mode = .list
            return apply(KeyMap.action(for: key))
        case .function(10): return requestQuit()
        default: break
        }
        return []
    }

    /// Where a cursor over `count` items goes for a movement key; nil for any other key.
    private func cursor(_ index: Int, movedBy key: Key, count: Int) -> Int? {
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

    private mutating func handlePickerKey(_ key: Key, _ picker: Picker) -> Effects {
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

    private mutating func choose(_ p: Picker) {
        guard p.selected >= 0, p.selected < p.items.count else { return }
        switch p.kind {
        case .sort:
            let columns = Self.sortColumns
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

    /// The user name shown for the `u` filter.
    public private(set) var userFilterName: String?

    public mutating func setUserFilterName(_ name: String?) { userFilterName = name }

    /// Columns offered by F6, in order: the columns on screen, as in htop, then the others.
    public static let sortColumns: [Column] = Column.defaults + Column.sortable.filter { !Column.defaults.contains($0) }

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
        case .startSearch:
            searchText = ""
            searchFailed = false
            mode = .search
        case .searchNext: searchNextMatch(step: 1)
        case .searchPrevious: searchNextMatch(step: -1)
        case .startFilter: mode = .filter
        case .toggleTree:
            tree.toggle()
            rebuild()
        case .expandBranch: setBranch(collapsed: false)
        case .collapseBranch: setBranch(collapsed: true)
        case .toggleBranch: setBranch(collapsed: nil)
        case .toggleAllBranches: toggleAllBranches()
        case .chooseSort:
            let current = Self.sortColumns.firstIndex { $0 == sortKey } ?? 0
            mode = .picker(Picker(kind: .sort, title: "Sort by", items: Self.sortColumns.map(\.title), selected: current))
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
        case .resize: return []
        case .quit: return requestQuit()
        case .signalMenu: openSignalMenu()
        case .niceLower: renice(by: -1, name: "Nice -")
        case .niceRaise: renice(by: 1, name: "Nice +")
        case .setNice: openNicePrompt()
        case .limits: openLimits()
        case .none: break
        }
        return []
    }

    /// Makes room in the status line for what a key just changed there (PAUSED, the limits
    /// view's title); a sticky message (a stop's outcome) stays.
    private mutating func clearMessage() {
        if message?.until != .infinity { message = nil }
    }

    /// A status-line message; `sticky` ones (a stop's outcome) stay until the next message.
    public mutating func say(_ text: String, error: Bool = false, sticky: Bool = false) {
        message = Message(text: text, isError: error, until: sticky ? .infinity : now + messageSeconds)
    }

    private mutating func moveSelection(to index: Int, keepFollow: Bool = false) {
        guard !rows.isEmpty else { return }
        selectionChosen = true
        selectedIndex = min(max(0, index), rows.count - 1)
        selectedKey = rows[selectedIndex].entry.key
        if !keepFollow { followKey = nil }
        clampScroll()
    }

    // MARK: - Search

    static func matches(_ p: ProcessEntry, _ needle: String) -> Bool {
        p.commandLine.lowercased().contains(needle) || p.name.lowercased().contains(needle)
    }

    /// Selects the first match at or after `from` (wrapping), as htop's incremental search.
    private mutating func search(from start: Int, step: Int) {
        let needle = searchText.lowercased()
        guard !needle.isEmpty, !rows.isEmpty else {
            searchFailed = false
            return
        }
        let n = rows.count
        for k in 0..<n {
            let i = ((start + step * k) % n + n) % n
            if Self.matches(rows[i].entry, needle) {
                searchFailed = false
                moveSelection(to: i)
                return
            }
        }
        searchFailed = true
    }

    private mutating func searchNextMatch(step: Int) {
        guard !searchText.isEmpty else {
            say("Nothing to search for: press / or F3 and type")
            return
        }
        search(from: selectedIndex + step, step: step)
        if searchFailed { say("No process matches \"" + DisplayText.escaped(searchText) + "\"", error: true) }
    }

    // MARK: - Tree

    private mutating func setBranch(collapsed collapse: Bool?) {
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

    private mutating func toggleAllBranches() {
        guard tree else {
            say("Branches fold in tree view: press t or F5")
            return
        }
        if collapsed.isEmpty {
            var ids = Set<Int32>()
            var parents = Set<Int32>()
            for p in snapshot?.processes ?? [] {
                ids.insert(p.id)
                parents.insert(p.parentID)
            }
            collapsed = ids.intersection(parents)
        } else {
            collapsed.removeAll()
        }
        rebuild()
    }

    // MARK: - Tags

    private mutating func tagWithChildren() {
        guard let root = selectedRow?.entry else { return }
        let all = snapshot?.processes ?? []
        var children: [Int32: [ProcessEntry]] = [:]
        for p in all where p.parentID != p.id { children[p.parentID, default: []].append(p) }
        var stack = [root]
        var seen = Set<ProcessKey>()
        while let p = stack.popLast() {
            guard seen.insert(p.key).inserted else { continue }
            tagged.insert(p.key)
            stack.append(contentsOf: children[p.id] ?? [])
        }
        moveSelection(to: selectedIndex + 1, keepFollow: true)
    }

    // MARK: - Sort

    private func userPicker() -> Picker {
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

// MARK: - Process control

extension ViewState {
    /// Why a process-control key does nothing here, or nil when it may act.
    private func controlRefusal(_ name: String) -> String? {
        if readonly { return name + ": swtop is read-only (--readonly)" }
        if replaySource != nil { return name + ": this is a replay of recorded files, not live processes" }
        return nil
    }

    /// The processes an action is for: every tagged one, else the selected one. A thread row
    /// stands for its process. nil (with a message said) when there is none.
    private mutating func controlTargets(_ name: String, selectedOnly: Bool = false) -> [ControlTarget]? {
        var entries: [ProcessEntry] = []
        if !tagged.isEmpty, !selectedOnly {
            var byKey: [ProcessKey: ProcessEntry] = [:]
            for p in snapshot?.processes ?? [] where tagged.contains(p.key) { byKey[p.key] = p }
            for (key, ghost) in ghosts where tagged.contains(key) && byKey[key] == nil { byKey[key] = ghost.entry }
            entries = byKey.values.sorted { ($0.pid, $0.id) < ($1.pid, $1.id) }
        } else if let row = selectedRow {
            entries = [row.entry]
        }
        guard !entries.isEmpty else {
            say(name + ": no process selected", error: true)
            return nil
        }
        var targets: [ControlTarget] = []
        var seen = Set<Int32>()
        for entry in entries {
            var process = entry
            if entry.isSecondaryThread {
                guard let main = snapshot?.processes.first(where: { $0.pid == entry.pid && !$0.isSecondaryThread }) else {
                    say(name + ": thread \(entry.id): its process \(entry.pid) is not in the list", error: true)
                    return nil
                }
                process = main
            }
            guard seen.insert(process.pid).inserted else { continue }
            targets.append(ControlTarget(
                target: ProcessTarget(process.key),
                name: DisplayText.escaped(process.name), nice: process.nice))
        }
        return targets
    }

    private static func describe(_ targets: [ControlTarget]) -> String {
        targets.count == 1 ? targets[0].label : "\(targets.count) tagged processes"
    }

    mutating func openSignalMenu() {
        if let refusal = controlRefusal("Kill") { return say(refusal, error: true) }
        guard let targets = controlTargets("Kill") else { return }
        let items = [gracefulStopLabel(grace: grace)] + Signal.menu.map(Self.signalItem)
        mode = .picker(Picker(kind: .signal(targets: targets, signals: Signal.menu), title: "Send to " + Self.describe(targets), items: items, selected: 0))
    }

    /// "15 SIGTERM", " 1 SIGHUP".
    static func signalItem(_ signal: Signal) -> String {
        let n = String(signal.number)
        return String(repeating: " ", count: max(0, 2 - n.count)) + n + " " + signal.name
    }

    mutating func renice(by delta: Int32, name: String) {
        if let refusal = controlRefusal(name) { return say(refusal, error: true) }
        guard let targets = controlTargets(name) else { return }
        requests.append(.reniceBy(delta, targets))
    }

    mutating func openNicePrompt() {
        if let refusal = controlRefusal("Nice") { return say(refusal, error: true) }
        guard let targets = controlTargets("Nice") else { return }
        let now = targets.count == 1 ? " (now \(targets[0].nice))" : ""
        mode = .prompt(Prompt(kind: .nice(targets), label: "Nice of \(Self.describe(targets))\(now), -20 to 19: "))
    }

    mutating func openLimits() {
        if let refusal = controlRefusal("Limits") { return say(refusal, error: true) }
        guard let target = controlTargets("Limits", selectedOnly: true)?.first else { return }
        limitsView = LimitsView(target: target)
        mode = .limits
        clearMessage()
        requests.append(.readLimits(target))
    }

    private mutating func handlePromptKey(_ key: Key, _ prompt: Prompt) -> Effects {
        var p = prompt
        switch key {
        case .character(let c):
            p.text.unicodeScalars.append(c)
        case .backspace, .delete:
            if !p.text.isEmpty { p.text.removeLast() }
        case .escape:
            closePrompt(p)
            return []
        case .enter:
            closePrompt(p)
            submit(p)
            return []
        default: break
        }
        mode = .prompt(p)
        return []
    }

    private mutating func closePrompt(_ p: Prompt) {
        if case .limit = p.kind, limitsView != nil { mode = .limits } else { mode = .list }
    }

    private mutating func submit(_ p: Prompt) {
        let text = p.text.trimmingSpaces()
        switch p.kind {
        case .nice(let targets):
            // One message for text and for a number out of range, as `swtop renice` says it.
            guard let nice = Int32(text), Renice.range.contains(nice) else {
                return say("Nice: invalid nice '\(DisplayText.escaped(text))': expected an integer from -20 to 19", error: true)
            }
            requests.append(.renice(targets.map { ($0, nice) }))
        case .limit(let resource, let target):
            switch ResourceLimits.Change.parse(resource + "=" + text) {
            case .success(let change): requests.append(.setLimit(change, target))
            case .failure(let error): say("\(target.label): \(error.description)", error: true)
            }
        }
    }

    private mutating func handleLimitsKey(_ key: Key) -> Effects {
        guard var view = limitsView else {
            mode = .list
            return []
        }
        if let moved = cursor(view.selected, movedBy: key, count: view.limits.count) {
            view.selected = moved
            limitsView = view
            return []
        }
        switch key {
        case .escape, .character("q"):
            limitsView = nil
            mode = .list
            return []
        case .enter:
            guard let limit = view.selectedLimit else {
                say("Limits: nothing to change yet", error: true)
                return []
            }
            let label = "\(limit.resource) of \(view.target.label) (now \(limit.soft):\(limit.hard)), SOFT[:HARD]: "
            mode = .prompt(Prompt(kind: .limit(resource: limit.resource, view.target), label: label))
        case .function(10): return requestQuit()
        case .control("l"): return .redraw
        default: break
        }
        limitsView = view
        return []
    }

    /// Hands over the requests made since the last call.
    public mutating func takeRequests() -> [ControlRequest] {
        defer { requests.removeAll() }
        return requests
    }

    /// A fresh read of the limits view's process (nil limits: `error` says why).
    public mutating func setLimits(_ limits: ProcLimits?, error: String?) {
        guard var view = limitsView else { return }
        if let limits {
            view.limits = limits.limits
            view.selected = min(max(0, view.selected), max(0, limits.limits.count - 1))
        }
        if let error, error != view.error { say("Limits of \(view.target.label): \(error)", error: true) }
        view.error = error
        limitsView = view
    }

    /// The graceful stops still running: "TERM 7s" for each process.
    public mutating func setStopMarkers(_ markers: [ProcessKey: String]) { stopMarkers = markers }

    /// Quits, unless a graceful stop is still waiting to send SIGKILL: quitting abandons it, so
    /// the first q says so and only a second q in a row quits.
    private mutating func requestQuit() -> Effects {
        if stopMarkers.isEmpty || quitWarned { return .quit }
        quitWarned = true
        let n = stopMarkers.count
        say(n == 1
            ? "A graceful stop is in progress: q again quits and its SIGKILL is never sent"
            : "\(n) graceful stops are in progress: q again quits and their SIGKILL is never sent", error: true)
        return []
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
