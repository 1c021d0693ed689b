import ProcessModel

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
    /// The rest of what F2 sets (the settings file's or the defaults).
    public var columns: [Column] = Column.defaults
    public var inverted = false
    public var showKernelThreads = false
    public var highlightChanges = true
    public var highlightSeconds = 3
    public var color = true
    /// Said in the status line at start (a settings line that could not be read).
    public var startMessage: String?
    /// `--unit` and `--container`.
    public var unit: String?
    public var container: String?
    /// `--group-by cgroup`: start in the service view (G).
    public var byCgroup: Bool
    /// The journal whose last 24 h the events view (E) shows below the live events; nil: none.
    public var journal: String?

    public init(pids: Set<Int32>? = nil, uid: UInt32? = nil, filterText: String = "", sortKey: Column = .cpu, tree: Bool = false, showUserThreads: Bool = false, readonly: Bool = false, replaySource: String? = nil, delay: Double = 1.5, grace: Double = 10, unit: String? = nil, container: String? = nil, byCgroup: Bool = false) {
        self.unit = unit
        self.container = container
        self.byCgroup = byCgroup
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

    /// The options with `settings` in place of the defaults.
    public init(settings: ScreenSettings) {
        self.init(sortKey: settings.sortKey, tree: settings.tree, showUserThreads: !settings.hideUserlandThreads, delay: Double(settings.delayTenths) / 10)
        columns = settings.columns
        inverted = settings.inverted
        showKernelThreads = !settings.hideKernelThreads
        highlightChanges = settings.highlightChanges
        highlightSeconds = settings.highlightSeconds
        color = settings.color
    }
}
