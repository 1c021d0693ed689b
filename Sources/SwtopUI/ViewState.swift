import ProcFS
import ProcessControl
import ProcessModel
import Sampling

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
        /// Enter, l, e: `detailView`, one process on a page of its own (DetailView.swift).
        case detail
        /// F2: columns and display options.
        case setup(SetupScreen)
        /// E: what happened to processes (LifecycleView), newest first.
        case events
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
    public internal(set) var searchFailed = false
    public var sortKey: Column
    public var inverted = false
    public var tree: Bool
    /// G: grouped by cgroup (slice, unit, container) rather than by parent.
    public var byCgroup: Bool
    /// `--unit` and `--container`.
    public var unit: String?
    public var container: String?
    /// How long each zombie has waited, for the "does not reap" mark and the zombie rows' ages:
    /// the lifecycle monitor's on the live /proc (`ScreenLifecycle.observe` hands it over before
    /// each snapshot is taken in), else the snapshots' own.
    public var zombieAges = ZombieAges()
    public var collapsed: Set<Int32> = []
    public var showUserThreads: Bool
    /// Hidden by default, as in htop (K shows them).
    public var showKernelThreads = false
    public internal(set) var followKey: ProcessKey?
    public internal(set) var selectedKey: ProcessKey?
    public internal(set) var selectedIndex = 0
    /// Whether the user has moved the selection (or followed a process) yet.
    var selectionChosen = false
    public internal(set) var scrollTop = 0
    public internal(set) var scrollLeft = 0
    public internal(set) var tagged: Set<ProcessKey> = []
    public var paused = false
    public let readonly: Bool
    public let replaySource: String?
    public internal(set) var message: Message?
    /// Rows of the list on screen; set by the layout, used by PgUp/PgDn and scrolling.
    public var listHeight = 20
    /// How long new processes stay highlighted and exited ones stay on screen.
    public var highlightSeconds = 3.0
    /// Off: no highlight, and an exited process leaves the list at once.
    public var highlightChanges = true
    /// The process list's columns, in order (F2).
    public var columns: [Column] = Column.defaults
    /// Tenths of a second between refreshes (F2 changes it while the screen runs).
    public var delayTenths = 15
    /// Colours on, or the monochrome theme (F2; -C and NO_COLOR start with it off).
    public var color = true
    /// How long a status message stays.
    public var messageSeconds = 4.0
    /// Seconds between SIGTERM and SIGKILL of the signal menu's graceful stop.
    public let grace: Double
    /// The process whose limits L shows, while it shows them (also under its prompt).
    public internal(set) var limitsView: LimitsView?
    /// The process whose detail page is open.
    public internal(set) var detailView: DetailView?
    /// When each process in disk sleep was first seen in it (the detail page's "in D for").
    public internal(set) var diskSleepSince: [ProcessKey: Double] = [:]
    /// Graceful stops in progress, by process: "TERM 7s", shown in its row.
    public internal(set) var stopMarkers: [ProcessKey: String] = [:]
    /// The last key was a quit refused because of stops in progress.
    var quitWarned = false
    /// What the user asked ProcessControl to do, not yet done (ScreenLoop takes them).
    public internal(set) var requests: [ControlRequest] = []

    /// What the lifecycle monitor says (events, ghosts' ends, marks, the header's exits); nil
    /// where none runs (a replay).
    public internal(set) var lifecycle: LifecycleView?
    /// The first line of the events view shown (0: the newest event).
    public internal(set) var eventsTop = 0
    /// The journal's last 24 h before the screen started, below the live events in E; nil
    /// where no journal is looked for (a replay).
    public internal(set) var recorded: RecordedHistory?
    /// The events view shows clean exits too (its `a` key); by default it shows what needs
    /// attention.
    public internal(set) var eventsShowAll = false

    public internal(set) var snapshot: Snapshot? {
        // Counted once a snapshot: the header is laid out and drawn several times a refresh, and
        // counting walks every process.
        didSet { tasks = snapshot?.tasks ?? TaskCounts() }
    }
    /// The header's task counts of `snapshot`.
    public private(set) var tasks = TaskCounts()
    public internal(set) var rows: [ProcessListing.Row] = []
    /// Each row's tree prefix (or cgroup indent); empty outside those views.
    public internal(set) var branches: [String] = []
    var firstSeen: [ProcessKey: Double] = [:]
    var ghosts: [ProcessKey: Ghost] = [:]
    public internal(set) var now = 0.0
    /// The user name shown for the `u` filter.
    public internal(set) var userFilterName: String?

    public init(_ options: ScreenOptions = ScreenOptions()) {
        pids = options.pids
        uid = options.uid
        filterText = options.filterText
        sortKey = options.sortKey
        tree = options.tree
        byCgroup = options.byCgroup
        unit = options.unit
        container = options.container
        showUserThreads = options.showUserThreads
        readonly = options.readonly
        replaySource = options.replaySource
        grace = options.grace
        columns = options.columns
        inverted = options.inverted
        showKernelThreads = options.showKernelThreads
        highlightChanges = options.highlightChanges
        highlightSeconds = Double(options.highlightSeconds)
        delayTenths = max(1, Int((options.delay * 10).rounded()))
        color = options.color
    }

    // MARK: - Data

    /// A new snapshot. `baseline`: the first one, or one taken with other sampling options,
    /// so nothing in it counts as new or exited.
    public mutating func update(_ next: Snapshot, now: Double, baseline: Bool = false) {
        self.now = now
        var next = next
        zombieAges.update(&next.processes, now: next.time)
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
        trackDiskSleep(next.processes)
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
    mutating func expire() -> Bool {
        let before = ghosts.count
        let limit = highlightChanges ? highlightSeconds : 0
        let t = now
        ghosts = ghosts.filter { t - $0.value.exitedAt < limit }
        firstSeen = firstSeen.filter { t - $0.value < limit }
        return ghosts.count != before
    }

    public mutating func setLifecycle(_ view: LifecycleView) {
        lifecycle = view
        if mode == .events { eventsTop = min(eventsTop, max(0, eventRows.count - 1)) }
    }

    /// The journal as read (or why it could not be), taken in once it is there.
    public mutating func setRecorded(_ history: RecordedHistory) {
        recorded = history
    }

    /// The processes on screen that exited (ghost rows).
    public var ghostKeys: [ProcessKey] { Array(ghosts.keys) }

    public func isNew(_ key: ProcessKey) -> Bool { highlightChanges && (firstSeen[key].map { now - $0 < highlightSeconds } ?? false) }
    public func hasExited(_ key: ProcessKey) -> Bool { ghosts[key] != nil }
    public func isTagged(_ key: ProcessKey) -> Bool { tagged.contains(key) }

    /// The listing the rows come from: the options' filters plus the screen's own.
    public var listing: ProcessListing {
        ProcessListing(
            filter: ProcessFilter(pids: pids, uid: uid, text: filterText, unit: unit, container: container),
            sortKey: sortKey, inverted: inverted, tree: tree && !byCgroup, collapsed: collapsed, byCgroup: byCgroup)
    }

    /// Rebuilds the rows and puts the selection back on its process.
    public mutating func rebuild() {
        var processes = snapshot?.processes ?? []
        if !ghosts.isEmpty {
            // One copy of the exact size: appending to the shared array would copy it at twice
            // its size (an array of every process, 120 KB at 5,000).
            processes.reserveCapacity(processes.count + ghosts.count)
            // Sorted by key, so two exits in one refresh always come out in the same order.
            for key in ghosts.keys.sorted(by: { ($0.id, $0.startTicks) < ($1.id, $1.startTicks) }) {
                if let g = ghosts[key] { processes.append(g.entry) }
            }
        }
        if !showKernelThreads { processes.removeAll { $0.isKernelThread } }
        // The old rows go before the new ones are built, so that the two (200 KB each at 5,000
        // processes) are never held at once: the screen's peak RSS is reached in a refresh.
        rows = []
        branches = []
        rows = listing.rows(of: processes)
        branches = byCgroup ? Self.groupIndents(rows) : TreeBranches.prefixes(rows, collapsed: collapsed)
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

    /// The service view's prefixes: two spaces a level of the cgroup below the first (a unit
    /// under system.slice is indented once), as systemd-cgls indents; then "[main]" before PID 1
    /// of a container's namespace, "[not reaping]" before a process that holds zombies.
    static func groupIndents(_ rows: [ProcessListing.Row]) -> [String] {
        rows.map { row in
            var prefix = String(repeating: "  ", count: max(0, (row.depth ?? 0) - 1))
            switch ReapingCheck.judge(row.entry).mark {
            case .namespaceInit: prefix += "[main] "
            case .notReaping: prefix += row.entry.isNamespaceInit ? "[main, not reaping] " : "[not reaping] "
            case .none: break
            }
            return prefix
        }
    }

    /// What to say about the selected process when it does not reap its zombie children (see
    /// ReapingCheck); nil otherwise.
    public var selectedAdvice: String? {
        guard let row = selectedRow, row.entry.zombieChildren > 0 else { return nil }
        return ReapingCheck.judge(row.entry).advice.map { String(row.entry.pid) + " (" + DisplayText.escaped(row.entry.name) + "): " + $0 }
    }

    /// The row of the nearest ancestor of a process that is listed but not shown (in the tree
    /// view, under a collapsed branch).
    func visibleAncestor(of key: ProcessKey, in processes: [ProcessEntry]) -> Int? {
        guard tree, !collapsed.isEmpty, let index = processes.firstIndex(where: { $0.key == key }) else { return nil }
        var rowOf: [Int32: Int] = [:]
        for (i, row) in rows.enumerated() { rowOf[row.entry.id] = i }
        for ancestor in ProcessFamily(processes).ancestors(of: index) {
            if let i = rowOf[processes[ancestor].id] { return i }
        }
        return nil
    }

    mutating func clampScroll() {
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
        let readAll = Self.sortsReadingAll.contains(sortKey)
        // io and the OOM score only when a column on screen or the sort shows them.
        var shownColumns = Column.defaults + [sortKey]
        if byCgroup { shownColumns += [.container, .unit] }
        let files = Self.screenFiles.union(Column.files(for: shownColumns))
        return SampleOptions(files: files, threads: showUserThreads, shown: shown, readAll: readAll)
    }

    /// What the screen always reads: the cgroup too, for the filter and the service view (see
    /// LiveRefresh for when). I/O and the OOM score are added when a column shows them.
    static let screenFiles: ProcessFiles = ProcessFiles.standard.union(.cgroup)

    /// Sorts by a value another process (or time alone) changes, or that is read only for rows
    /// on screen: every process is read at each refresh.
    static let sortsReadingAll: Set<Column> = [
        .nice, .priority, .ioReadRate, .ioWriteRate, .ioRate, .ioReadBytes, .ioWriteBytes, .oomScore, .oomScoreAdj,
    ]

    public var selectedRow: ProcessListing.Row? {
        selectedIndex < rows.count ? rows[selectedIndex] : nil
    }

    /// Makes room in the status line for what a key just changed there (PAUSED, the limits
    /// view's title); a sticky message (a stop's outcome) stays.
    mutating func clearMessage() {
        if message?.until != .infinity { message = nil }
    }

    /// A status-line message; `sticky` ones (a stop's outcome) stay until the next message.
    public mutating func setUserFilterName(_ name: String?) { userFilterName = name }

    public mutating func say(_ text: String, error: Bool = false, sticky: Bool = false) {
        message = Message(text: text, isError: error, until: sticky ? .infinity : now + messageSeconds)
    }

    mutating func moveSelection(to index: Int, keepFollow: Bool = false) {
        guard !rows.isEmpty else { return }
        selectionChosen = true
        selectedIndex = min(max(0, index), rows.count - 1)
        selectedKey = rows[selectedIndex].entry.key
        if !keepFollow { followKey = nil }
        clampScroll()
    }

}
