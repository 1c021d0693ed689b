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
    /// `--unit` and `--container`.
    public var unit: String?
    public var container: String?
    /// `--group-by cgroup`: start in the service view (G).
    public var byCgroup: Bool

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
}
