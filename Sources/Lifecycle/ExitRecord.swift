import ProcFS
import ProcessModel

/// Which source told how a process ended.
public enum ExitSource: String, Sendable {
    /// The kernel's proc connector (root): every exit, even of a process that lived a millisecond.
    case procConnector = "proc_connector"
    /// A pidfd held while the process lived (Linux 6.15+, no root needed).
    case pidfd
    /// The wait status in a zombie's `stat`.
    case zombie
    /// It vanished and nothing said how.
    case vanished
    /// Its parent's own wait (swtop run, for the child it runs).
    case wait
}

/// How swtop itself stopped a process (the screen's F9 or a graceful stop).
public enum StopKind: String, Sendable {
    /// Exited after SIGTERM.
    case graceful
    /// Needed SIGKILL.
    case forced
}

/// What is known of a process, kept while it lives so it can be told after it ends.
public struct ProcessFacts: Sendable {
    public var key: ProcessKey
    public var pid: Int32 { key.id }
    public var name: String
    public var cmdline: [String]
    public var ppid: Int32
    public var uid: UInt32?
    public var user: String?
    /// Seconds since the epoch; nil when unknown.
    public var startTime: Double?
    /// Its cgroup, systemd unit and container (shared with every process of its cgroup), as
    /// read at its exec or by a snapshot, or inherited at its fork; nil when unread or unreadable.
    public var membership: Membership?

    public init(
        key: ProcessKey, name: String, cmdline: [String], ppid: Int32, uid: UInt32?, user: String?, startTime: Double?,
        membership: Membership? = nil
    ) {
        self.key = key
        self.name = name
        self.cmdline = cmdline
        self.ppid = ppid
        self.uid = uid
        self.user = user
        self.startTime = startTime
        self.membership = membership
    }

    /// What identifies a command across restarts: its arguments, or its name without them.
    public var command: String {
        cmdline.isEmpty ? "[" + name + "]" : cmdline.joined(separator: " ")
    }
}

/// One process that ended while swtop watched.
public struct ExitRecord: Sendable {
    public var process: ProcessFacts
    public var outcome: Outcome
    public var source: ExitSource
    /// Seconds since the epoch when it ended (when swtop learned it, for `vanished`).
    public var time: Double
    /// Its parent's name when it ended, if known.
    public var parentName: String?
    /// Set when swtop stopped it.
    public var stoppedBySwtop: StopKind?
    /// Who sent the signal that ended it (root, the signal tracepoint); nil when it exited on
    /// its own or the sender is unknown.
    public var sentBy: SignalSender?
    /// How a stop that another process (or the kernel) asked for ended; nil when none was asked.
    public var stop: StopEnding?

    public init(process: ProcessFacts, outcome: Outcome, source: ExitSource, time: Double, parentName: String? = nil, stoppedBySwtop: StopKind? = nil) {
        self.process = process
        self.outcome = outcome
        self.source = source
        self.time = time
        self.parentName = parentName
        self.stoppedBySwtop = stoppedBySwtop
    }

    /// How it ended, in the words every place uses (`Outcome.described`).
    public var words: String { outcome.described(lifetime: lifetime, stoppedBySwtop: stoppedBySwtop, sentBy: sentBy, requested: stop, of: process.pid) }

    /// Seconds it lived; nil when its start is unknown.
    public var lifetime: Double? {
        guard let start = process.startTime else { return nil }
        return max(0, time - start)
    }
}
