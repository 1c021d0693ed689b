import ProcFS

/// One process (or, in thread mode, one thread) as the user sees it.
///
/// A value type whose fields live in one shared, copy-on-write box: a snapshot, the screen's
/// rows and the sampler's table all hold the same process many times over, and each copy costs
/// a pointer instead of 200 bytes. A process that did not run between refreshes keeps its box.
/// CPU% and MEM%, worked out for every process at every refresh, live outside it.
public struct ProcessEntry: @unchecked Sendable {
    /// Widest first, so that nothing pads, and unknown values as sentinels rather than
    /// optionals (an optional UInt64 takes 16 bytes); what only some processes have is behind
    /// one pointer (`Occasional`): 168 bytes a process (MemoryLayoutTests).
    struct Fields {
        var user: String?
        var name: String
        /// The command line, each argument followed by a NUL: one string (inline when short)
        /// instead of an array of strings.
        var arguments: String?
        var utimeTicks: UInt64
        var stimeTicks: UInt64
        var startTicks: UInt64
        /// UInt64.max: unknown (statm unreadable).
        var rssKB: UInt64
        var vszKB: UInt64
        /// NaN: unknown.
        var startTime: Double
        /// Shared by every process of one cgroup (see CgroupTable).
        var membership: Membership?
        /// What only some processes have (see `Occasional`); nil: none of it is known.
        var occasional: OccasionalBox?
        var pid: Int32
        /// 0: not a thread row (no task has id 0).
        var tid: Int32
        var ppid: Int32
        var pgid: Int32
        var sid: Int32
        var ttyNr: Int32
        var threads: Int32
        var priority: Int32
        var nice: Int32
        /// A zombie's wait status (stat field 52); -1: not a zombie or unknown.
        var waitStatus: Int32
        /// UInt32.max, (uid_t)-1, which no process runs as: unknown.
        var uid: UInt32
        /// 0: unknown (no process has pid 0 in its namespace).
        var nsPID: Int32
        var zombieChildren: Int32
        var isNamespaceInit: Bool
        var state: ProcessState
        var isKernelThread: Bool
    }

    final class Storage {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    /// What is read or worked out for a few processes only: the rows on screen, a detail page,
    /// the parents of zombies, a sort by I/O or OOM score. Kept apart, behind one pointer, so
    /// that the box of every other process is 48 bytes smaller (240 KB at 5,000 processes).
    struct Occasional: Equatable {
        var limits: ProcLimits?
        var ioReadBytes: UInt64?
        var ioWriteBytes: UInt64?
        /// Bytes a second over the interval.
        var ioReadRate: Double?
        var ioWriteRate: Double?
        /// Seconds its oldest zombie child has gone unreaped.
        var oldestZombieChildAge: Double?
        var oomScore: Int32?
        var oomScoreAdj: Int32?

        /// Boxed, or nil when nothing is known.
        var boxed: OccasionalBox? { self == Occasional() ? nil : OccasionalBox(self) }
    }

    /// Never changed once made: a change makes a new one, so that boxes sharing it (copies of
    /// one process's box) never see each other's changes.
    final class OccasionalBox {
        let values: Occasional
        init(_ values: Occasional) { self.values = values }
    }

    private var occasional: Occasional { storage.fields.occasional?.values ?? Occasional() }

    /// Changes what only some processes have, copying the box first if another entry shares it.
    private mutating func changeOccasional(_ change: (inout Occasional) -> Void) {
        var values = occasional
        change(&values)
        unique().fields.occasional = values.boxed
    }

    private var storage: Storage
    // NaN for unknown: a Double? takes 16 bytes in an array, a Double 8, and the screen keeps
    // several arrays of every process.
    private var cpu = Double.nan
    private var mem = Double.nan
    /// Percent of one CPU since the previous sample; nil with a single sample.
    public var cpuPercent: Double? {
        get { cpu.isNaN ? nil : cpu }
        set { cpu = newValue ?? .nan }
    }
    /// Percent of MemTotal; nil when RSS or MemTotal is unknown.
    public var memPercent: Double? {
        get { mem.isNaN ? nil : mem }
        set { mem = newValue ?? .nan }
    }

    /// The box, copied first if another entry shares it.
    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
        return storage
    }

    // What /proc said of the process: read-only, as a reading is what it is. The few fields
    // that change after the reading are settable below, or set together by a method named for
    // the moment they change at (one uniqueness check for the lot).
    public var pid: Int32 { storage.fields.pid }
    /// Set for a thread row; the main thread's tid equals its pid.
    public var tid: Int32? { storage.fields.tid == 0 ? nil : storage.fields.tid }
    public var pgid: Int32 { storage.fields.pgid }
    public var sid: Int32 { storage.fields.sid }
    public var ttyNr: Int32 { storage.fields.ttyNr }
    /// Real uid from status; nil when status could not be read.
    public var uid: UInt32? { storage.fields.uid == .max ? nil : storage.fields.uid }
    /// A zombie's wait status as its `stat` gives it (how it ended); nil for a living process
    /// or where the kernel did not say. The kernel writes 0 where the reader may not ptrace the
    /// process (another user's, without root): see `LifecycleMonitor` for when it can be trusted.
    public var waitStatus: Int32? {
        storage.fields.state == .zombie && storage.fields.waitStatus >= 0 ? storage.fields.waitStatus : nil
    }
    public var state: ProcessState { storage.fields.state }
    public var isKernelThread: Bool { storage.fields.isKernelThread }
    public var threads: Int32 { storage.fields.threads }
    public var priority: Int32 { storage.fields.priority }
    public var nice: Int32 { storage.fields.nice }
    /// From statm, status or stat (the same counter); nil when unknown.
    public var rssKB: UInt64? { storage.fields.rssKB == .max ? nil : storage.fields.rssKB }
    public var vszKB: UInt64? { storage.fields.vszKB == .max ? nil : storage.fields.vszKB }
    public var utimeTicks: UInt64 { storage.fields.utimeTicks }
    public var stimeTicks: UInt64 { storage.fields.stimeTicks }
    public var startTicks: UInt64 { storage.fields.startTicks }
    public var limits: ProcLimits? { storage.fields.occasional?.values.limits }
    /// From `io`: storage bytes, cumulative; nil when unreadable (another user's process) or
    /// not read (the screen reads it for the rows on screen, or every row when sorted by I/O).
    public var ioReadBytes: UInt64? { storage.fields.occasional?.values.ioReadBytes }
    public var ioWriteBytes: UInt64? { storage.fields.occasional?.values.ioWriteBytes }
    public var oomScore: Int32? { storage.fields.occasional?.values.oomScore }
    public var oomScoreAdj: Int32? { storage.fields.occasional?.values.oomScoreAdj }
    /// The pid inside its own PID namespace (the last `NSpid` of status); nil when unknown.
    public var nsPID: Int32? { storage.fields.nsPID == 0 ? nil : storage.fields.nsPID }
    /// PID 1 of a PID namespace other than the one /proc shows (a container's main process).
    public var isNamespaceInit: Bool { storage.fields.isNamespaceInit }

    /// Changed when the kernel says it was reparented (an orphan's new parent).
    public var ppid: Int32 {
        get { storage.fields.ppid }
        set { unique().fields.ppid = newValue }
    }
    /// comm, decoded as UTF-8 with invalid bytes replaced. Escape before showing. Changed at
    /// a rename or an exec the kernel reports.
    public var name: String {
        get { storage.fields.name }
        set { unique().fields.name = newValue }
    }
    /// nil when cmdline could not be read; [] for kernel threads and zombies.
    public var cmdline: [String]? {
        get {
            storage.fields.arguments.map { arguments in
                arguments.utf8.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { String(Substring($0)) }
            }
        }
        set { unique().fields.arguments = newValue.map(Self.terminated) }
    }

    /// The arguments, each followed by a NUL, as kept; nil when cmdline could not be read.
    public var terminatedArguments: String? { storage.fields.arguments }

    /// The arguments joined by spaces; nil when cmdline could not be read.
    public var joinedCmdline: String? {
        storage.fields.arguments.map { arguments in
            String(decoding: arguments.utf8.dropLast().map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
        }
    }

    private static func terminated(_ args: [String]) -> String {
        var out = ""
        for arg in args {
            out += arg
            out += "\0"
        }
        return out
    }

    /// Whether both are the same reading of a process: the sampler keeps a process's box while
    /// it does not run, and a shared box is copied before any change, so an entry sharing its box
    /// with one held since an earlier refresh has none of its fields changed (CPU% and MEM%
    /// aside). Lets the lifecycle monitor skip unchanged processes without reading them.
    public func isSameReading(as other: ProcessEntry) -> Bool { storage === other.storage }

    /// Takes the command line (and with it the uid and user) of another entry as it is.
    public mutating func keepCommandLine(of other: ProcessEntry) {
        let fields = other.storage.fields
        let mine = unique()
        mine.fields.arguments = fields.arguments
        mine.fields.uid = fields.uid
        mine.fields.user = fields.user
    }

    /// The user name of `uid`, looked up by the sampler (not in /proc).
    public var user: String? {
        get { storage.fields.user }
        set { unique().fields.user = newValue }
    }

    /// Who it runs as, where the kernel said it changed (or the reading missed it).
    public mutating func setOwner(uid: UInt32?, user: String?) {
        let box = unique()
        box.fields.uid = uid ?? .max
        box.fields.user = user
    }

    /// What was known of it alive, now that `zombie`, its reading as a zombie, says how it
    /// ended: its state, wait status and parent, and its name where none was known.
    public mutating func becameZombie(as zombie: ProcessEntry) {
        let theirs = zombie.storage.fields
        let waitStatus = zombie.waitStatus ?? -1
        let box = unique()
        if box.fields.name.isEmpty { box.fields.name = theirs.name }
        box.fields.ppid = theirs.ppid
        box.fields.state = .zombie
        box.fields.waitStatus = waitStatus
    }

    /// A child this process forked, as it is before anything of its own was read: its
    /// parent's program, its start time unknown.
    public func forkedChild(pid: Int32) -> ProcessEntry {
        var child = self
        let box = child.unique()
        box.fields.pid = pid
        box.fields.ppid = self.pid
        box.fields.startTicks = 0
        box.fields.startTime = .nan
        return child
    }

    /// Seconds since the epoch, from the boot time; nil when the boot time is unknown.
    public var startTime: Double? {
        get { storage.fields.startTime.isNaN ? nil : storage.fields.startTime }
        set { unique().fields.startTime = newValue ?? .nan }
    }

    /// The cgroup, systemd unit and container; nil when `cgroup` was not read or unreadable.
    public var membership: Membership? {
        get { storage.fields.membership }
        set { unique().fields.membership = newValue }
    }
    public var cgroup: String? { membership?.cgroup }
    public var unit: String? { membership?.unit }
    public var container: CgroupContainer? { membership?.container }

    /// Bytes a second since the previous sample; nil with one sample or when either is unknown.
    public var ioReadRate: Double? { storage.fields.occasional?.values.ioReadRate }
    public var ioWriteRate: Double? { storage.fields.occasional?.values.ioWriteRate }
    /// Read and write together; nil when either is unknown.
    public var ioRate: Double? {
        guard let r = ioReadRate, let w = ioWriteRate else { return nil }
        return r + w
    }

    /// Sets both I/O rates, only where one changed: most entries share their box with the
    /// previous snapshot, and a write would copy it.
    public mutating func setIORates(read: Double?, write: Double?) {
        guard read != ioReadRate || write != ioWriteRate else { return }
        changeOccasional {
            $0.ioReadRate = read
            $0.ioWriteRate = write
        }
    }

    /// Its direct children in state Z (set by the sampler from the whole snapshot).
    public var zombieChildren: Int32 {
        get { storage.fields.zombieChildren }
        set { if newValue != storage.fields.zombieChildren { unique().fields.zombieChildren = newValue } }
    }
    /// Seconds its oldest zombie child has gone unreaped (see ZombieAges); nil when it has
    /// none or nobody watched.
    public var oldestZombieChildAge: Double? {
        get { storage.fields.occasional?.values.oldestZombieChildAge }
        set {
            if newValue != oldestZombieChildAge { changeOccasional { $0.oldestZombieChildAge = newValue } }
        }
    }

    /// Keeps what is read only now and then (status's namespace pid, cgroup, OOM score) from an
    /// earlier entry of the same process, where this one did not read it.
    public mutating func keepOccasionalFields(of other: ProcessEntry) {
        let theirs = other.storage.fields
        let mine = storage.fields
        let keepScore = oomScore == nil && other.oomScore != nil
        let keepAdjustment = oomScoreAdj == nil && other.oomScoreAdj != nil
        guard (mine.membership == nil && theirs.membership != nil) || (mine.nsPID == 0 && theirs.nsPID != 0)
            || keepScore || keepAdjustment
        else { return }
        let box = unique()
        if mine.membership == nil { box.fields.membership = theirs.membership }
        if mine.nsPID == 0 {
            box.fields.nsPID = theirs.nsPID
            box.fields.isNamespaceInit = theirs.isNamespaceInit
        }
        if keepScore || keepAdjustment {
            changeOccasional {
                if keepScore { $0.oomScore = other.oomScore }
                if keepAdjustment { $0.oomScoreAdj = other.oomScoreAdj }
            }
        }
    }

    /// The id of this row in the tree: the tid for a thread row, else the pid.
    public var id: Int32 { tid ?? pid }
    /// The row this row hangs under in the tree: a secondary thread under its process.
    public var parentID: Int32 {
        if let tid, tid != pid { return pid }
        return ppid
    }

    public var key: ProcessKey { ProcessKey(id: id, startTicks: startTicks) }

    /// User and system ticks; a sum past UInt64 (only an untrusted recorded tree has one) is
    /// UInt64.max rather than wrapped round to a small time.
    public var cpuTicks: UInt64 {
        let (sum, overflow) = utimeTicks.addingReportingOverflow(stimeTicks)
        return overflow ? .max : sum
    }

    /// Whether a row is a secondary thread of a process.
    public var isSecondaryThread: Bool { tid.map { $0 != pid } ?? false }

    /// The command line as shown: arguments joined by spaces, or the name in brackets for kernel
    /// threads, zombies and processes whose command line is empty or unreadable. Not escaped.
    public var commandLine: String {
        if let joined = joinedCmdline, storage.fields.arguments?.isEmpty == false, !isKernelThread {
            return joined
        }
        return "[" + name + "]"
    }

    /// -1, 0 or 1: the order of the two command lines as shown (`commandLine`), byte by byte as
    /// htop's strcmp, without building either string (a sort compares each process many times).
    public static func compareCommandLines(_ a: ProcessEntry, _ b: ProcessEntry) -> Int {
        let x = a.shownArguments, y = b.shownArguments
        switch (x, y) {
        case let (x?, y?): return compareShown(x.utf8, y.utf8)
        case let (x?, nil): return compareShown(x.utf8, ("[" + b.name + "]").utf8)
        case let (nil, y?): return compareShown(("[" + a.name + "]").utf8, y.utf8)
        case (nil, nil): return compareShown(("[" + a.name + "]").utf8, ("[" + b.name + "]").utf8)
        }
    }

    /// The kept arguments when `commandLine` shows them (joined, each NUL a space); nil when it
    /// shows the bracketed name.
    private var shownArguments: String? {
        guard let arguments = storage.fields.arguments, !arguments.isEmpty, !isKernelThread else { return nil }
        return arguments
    }

    /// Compares two byte sequences as shown: a NUL (between kept arguments) reads as the space
    /// `commandLine` puts there, and a trailing NUL (after the last argument) is not shown.
    private static func compareShown(_ x: String.UTF8View, _ y: String.UTF8View) -> Int {
        var i = x.makeIterator(), j = y.makeIterator()
        var a = i.next(), b = j.next()
        while true {
            // The last argument's NUL ends the line.
            let nextA = a == 0 ? i.next() : nil
            let nextB = b == 0 ? j.next() : nil
            let endA = a == nil || (a == 0 && nextA == nil)
            let endB = b == nil || (b == 0 && nextB == nil)
            if endA || endB { return endA && endB ? 0 : (endA ? -1 : 1) }
            let ca = a == 0 ? UInt8(ascii: " ") : a ?? 0
            let cb = b == 0 ? UInt8(ascii: " ") : b ?? 0
            if ca != cb { return ca < cb ? -1 : 1 }
            a = a == 0 ? nextA : i.next()
            b = b == 0 ? nextB : j.next()
        }
    }

    public init(raw: RawProcess, pageSizeKB: UInt64) {
        let stat = raw.stat
        storage = Storage(Fields(
            user: nil,
            name: String(decoding: stat.comm, as: UTF8.self),
            arguments: raw.cmdline.map { args in
                var bytes: [UInt8] = []
                for arg in args {
                    bytes += arg
                    bytes.append(0)
                }
                return String(decoding: bytes, as: UTF8.self)
            },
            utimeTicks: stat.utime, stimeTicks: stat.stime, startTicks: stat.startTime,
            // statm, status and stat give the same two counters (the kernel's get_mm_rss and
            // total_vm): from whichever was read, stat's last, as stat is always read.
            rssKB: raw.statm.map { $0.resident &* pageSizeKB } ?? raw.status?.vmRSSKB ?? (stat.rss >= 0 ? UInt64(stat.rss) &* pageSizeKB : .max),
            vszKB: raw.statm.map { $0.size &* pageSizeKB } ?? raw.status?.vmSizeKB ?? stat.vsize / 1024,
            startTime: .nan, membership: nil,
            occasional: Occasional(
                limits: raw.limits, ioReadBytes: raw.io?.readBytes, ioWriteBytes: raw.io?.writeBytes,
                oomScore: raw.oomScore, oomScoreAdj: raw.oomScoreAdj).boxed,
            pid: raw.pid, tid: raw.tid ?? 0, ppid: stat.ppid, pgid: stat.pgrp, sid: stat.session,
            ttyNr: stat.ttyNr, threads: stat.numThreads, priority: stat.priority, nice: stat.nice,
            waitStatus: stat.exitCode ?? -1, uid: raw.status?.realUID ?? .max,
            nsPID: raw.status?.nsPID ?? 0, zombieChildren: 0, isNamespaceInit: raw.status?.isNamespaceInit ?? false,
            state: ProcessState(letter: stat.state), isKernelThread: stat.isKernelThread))
    }
}
