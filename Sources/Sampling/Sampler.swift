#if canImport(Glibc)
import Glibc
#endif
import ProcFS
import ProcessModel

/// What a sample reads besides each process's `stat`.
public struct SampleOptions: Sendable {
    public var files: ProcessFiles
    /// A row per thread, read from `task/TID/`.
    public var threads: Bool
    /// For a sampler that keeps files open (the screen): the ids of the rows on screen (pids;
    /// tids in the thread view), read in full every refresh. See LiveRefresh for what is read of
    /// the others.
    public var shown: Set<Int32>
    /// For a sampler that keeps files open: read every process in full, as when the list is
    /// sorted by a column another process can change (nice, priority).
    public var readAll: Bool

    public init(files: ProcessFiles = .standard, threads: Bool = false, shown: Set<Int32> = [], readAll: Bool = false) {
        self.files = files
        self.threads = threads
        self.shown = shown
        self.readAll = readAll
    }
}

/// Reads snapshots of one proc root.
public final class Sampler {
    public let reader: ProcReader
    /// A second reader for a second thread, on machines with more than one CPU.
    private let helperReader: ProcReader?
    public let users = UserNames()
    public let pageSizeKB: UInt64
    public let clockTicksPerSecond: Double

    /// Whether the root is the kernel's /proc; else a recorded tree (swtop record), replayed.
    public var isLive: Bool { reader.isLive }
    /// Set for a sampler that refreshes a screen: see `init(root:keepFilesOpen:)`.
    private var live: LiveRefresh?
    /// With `live`, on the live /proc: lists only what can be new (see PIDListing).
    private var listing: PIDListing?
    /// /proc/stat's btime: start times are computed from it as ps computes them (the lifecycle
    /// monitor, which needs lifetimes of milliseconds, uses the clocks instead).
    private var bootTime: UInt64?
    /// Shared Membership objects per cgroup, and container names read once.
    private let cgroups: CgroupTable

    /// - Parameter keepFilesOpen: for repeated samples (the screen): keep one file of each
    ///   process open (`schedstat`) and re-read only what can have changed (see LiveRefresh), on
    ///   one thread. Raises the soft RLIMIT_NOFILE to the hard limit for the kept files; processes
    ///   beyond it are read the same lazy way, with schedstat from taskstats (root) or by path.
    /// - Parameter shareFDs: with `keepFilesOpen`, leave this share of the fd budget (0 to 1) to
    ///   the lifecycle monitor's pidfds (`sharedFDs`).
    public init(root: String = "/proc", keepFilesOpen: Bool = false, shareFDs: Double = 0) throws(ProcRootError) {
        reader = try ProcReader(root: root)
        try reader.requireProcTree()
        helperReader = !keepFilesOpen && TwoThreads.worthIt ? try ProcReader(root: root) : nil
        let page = sysconf(Int32(_SC_PAGESIZE))
        pageSizeKB = page > 0 ? UInt64(page) / 1024 : 4
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        clockTicksPerSecond = ticks > 0 ? Double(ticks) : 100
        let nameReader = reader
        cgroups = CgroupTable { container in
            container.runtime == "docker" ? nameReader.dockerName(id: container.id) : nil
        }
        if keepFilesOpen {
            let budget = max(0, Self.raiseOpenFileLimit() - Self.fdsLeftFree)
            sharedFDs = Int(Double(budget) * min(max(shareFDs, 0), 1))
            // Rows beyond the budget have their schedstat from taskstats where it can be had.
            let accounts: () -> TaskAccounts? = reader.isOwnPIDNamespace ? { TaskAccounts.open() } : { nil }
            live = LiveRefresh(reader: reader, fdBudget: budget - sharedFDs, accounts: accounts) { [unowned self] raw in self.entry(raw) }
            if isLive { listing = PIDListing(reader: reader) }
        }
    }

    /// The fds left to others (see `shareFDs`).
    public private(set) var sharedFDs = 0

    /// The pids whose `stat` and `statm` the last live refresh read (the rest were kept); empty
    /// for a one-shot sampler.
    public var lastFullReads: [Int32] { live?.lastFullReads ?? [] }

    /// One sample; with `previous` (an earlier sample of this sampler), CPU% since it.
    public func sample(_ options: SampleOptions = SampleOptions(), since previous: Snapshot? = nil) throws(ProcRootError) -> Snapshot {
        let monotonic = Clock.monotonic()
        var time = Clock.now()
        let pids: [Int32]
        var load: LoadAverage?
        if let listing {
            // The last pid given out, read before the listing: one given out after it is listed
            // now or at the next refresh.
            var lastPID: Int32?
            if case .success(let read) = reader.withFile("loadavg", { (LoadAverage.parse($0), LoadAverage.lastPID($0)) }) {
                (load, lastPID) = read
            }
            pids = try listing.pids(lastPIDNow: lastPID, threads: options.threads)
        } else {
            pids = try reader.pids().sorted()
            load = reader.loadAverage()
        }
        var system = readSystem(load: load)
        bootTime = system.cpuTimes?.bootTime
        let memTotal = system.memory?.memTotal ?? 0

        var entries: [ProcessEntry]
        if let live {
            entries = live.refresh(pids, options)
            listing?.remember(options.threads ? nil : entries.map(\.pid))
        } else {
            // Every process's cgroup from the hierarchy's few hundred `cgroup.procs` files rather
            // than one `cgroup` file a process (live /proc only: elsewhere each process's file).
            let raws = ParallelRead.read(pids, main: reader, helper: helperReader, options: options, walkCgroups: pids.count >= 200)
            entries = []
            entries.reserveCapacity(raws.count)
            for raw in raws { entries.append(entry(raw)) }
        }
        ZombieChildren.count(&entries)
        // MemTotal can change (memory hot-plug, a balloon driver): MEM% is worked out each time.
        for i in entries.indices {
            // Written only when changed, so that a refresh in which nothing changed shares the
            // array the live refresh keeps instead of copying it.
            let percent = memPercent(entries[i].rssKB, of: memTotal)
            if entries[i].memPercent != percent { entries[i].memPercent = percent }
        }
        if system.cpus == 0 { system.cpus = 1 }
        // A recorded tree was sampled when it was recorded: boot time plus uptime, as recorded
        // (to the second: the kernel gives btime in whole seconds).
        if !isLive, let boot = system.cpuTimes?.bootTime, let up = system.uptime?.seconds {
            let recorded = Double(boot) + up
            // Untrusted numbers: only a time RFC 3339 can write (years to 9999).
            if recorded.isFinite, recorded > 0, recorded < 253_402_300_800 { time = recorded }
        }
        var snapshot = Snapshot(time: time, monotonic: monotonic, system: system, processes: entries, clockTicksPerSecond: clockTicksPerSecond)
        entries = []
        if let previous { snapshot.computeCPU(since: previous) }
        // Given back only now: the writes above (zombie children, MEM%, CPU%) change the one
        // array in place instead of copying one the live refresh also holds.
        live?.keep(snapshot.processes)
        return snapshot
    }

    /// Two samples `interval` seconds apart, the second with CPU% filled in. An interval of 0
    /// takes one sample.
    public func sample(_ options: SampleOptions, interval: Double) throws(ProcRootError) -> Snapshot {
        guard interval > 0 else { return try sample(options) }
        // The first sample only gives what the second is compared with: CPU time (stat) and the
        // I/O counters. Reading status, cmdline, cgroup and the OOM score twice would double the
        // cost of `--once` for nothing.
        var baseline = options
        baseline.files = options.files.intersection(.io)
        let first = try sample(baseline)
        Clock.sleep(seconds: interval)
        var second = try sample(options)
        second.computeCPU(since: first)
        return second
    }

    /// fds the kept files leave free, for everything else the screen does.
    static let fdsLeftFree = 256

    /// Raises the soft RLIMIT_NOFILE to the hard limit; the soft limit then.
    private static func raiseOpenFileLimit() -> Int {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            let raised = min(limit.rlim_max, 1 << 20)
            var wanted = limit
            wanted.rlim_cur = raised
            if setrlimit(resource, &wanted) == 0 { limit.rlim_cur = raised }
        }
        return Int(min(limit.rlim_cur, 1 << 20))
    }

    /// Reads the boot time that start times are counted from, for a sampler whose `entry` is
    /// used before (or without) a sample.
    public func readBootTime() { bootTime = reader.systemStat()?.bootTime }

    /// An entry of a process read outside a sample (the lifecycle monitor reads new processes as
    /// the kernel reports them), named and timed as a sample's are.
    public func entry(_ raw: RawProcess) -> ProcessEntry {
        var e = ProcessEntry(raw: raw, pageSizeKB: pageSizeKB)
        if let uid = e.uid { e.user = users.name(of: uid) }
        if let cgroup = raw.cgroup { e.membership = cgroups.membership(cgroup) }
        if let bootTime { e.startTime = Double(bootTime) + Double(e.startTicks) / clockTicksPerSecond }
        return e
    }

    private func memPercent(_ rssKB: UInt64?, of memTotal: UInt64) -> Double? {
        guard let rssKB, memTotal > 0 else { return nil }
        return Double(rssKB) / Double(memTotal) * 100
    }

    /// Whether the last live refresh listed all of /proc (for the tests).
    var lastListingWasFull: Bool { listing?.lastWasFull ?? true }

    private func readSystem(load: LoadAverage?) -> SystemInfo {
        let stat = reader.systemStat()
        var hostname = ""
        if case .success(let bytes) = reader.read("sys/kernel/hostname") {
            // Byte by byte: the kernel's hostname is bytes ended by a newline, and a filter over
            // Characters ran the standard library's grapheme and Unicode property code (mapped
            // in blocks of 64 KB) at every refresh for it.
            hostname = String(decoding: bytes.filter { $0 != 0x20 && !(0x09...0x0D).contains($0) }, as: UTF8.self)
        }
        if hostname.isEmpty { hostname = Clock.hostname() }
        return SystemInfo(
            hostname: hostname, uptime: reader.uptime(), load: load, cpuTimes: stat,
            memory: reader.meminfo(), cpus: stat?.perCPU.count ?? 0)
    }
}
