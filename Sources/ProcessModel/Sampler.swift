#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// What a sample reads besides each process's `stat`.
public struct SampleOptions: Sendable {
    public var files: ProcessFiles
    /// A row per thread, read from `task/TID/`.
    public var threads: Bool

    public init(files: ProcessFiles = .standard, threads: Bool = false) {
        self.files = files
        self.threads = threads
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

    /// Set for a sampler that refreshes a screen: see `init(root:keepFilesOpen:)`.
    private let kept: [KeptFiles]
    /// What was read once per process (uid, command line), by (pid, start time).
    private var known: [KnownKey: RawProcess] = [:]

    /// A process row and its main thread's row are different rows: the tid is part of the key.
    private struct KnownKey: Hashable {
        var pid: Int32
        var tid: Int32?
        var startTicks: UInt64
    }

    /// - Parameter keepFilesOpen: for repeated samples (the screen): keep each process's `stat`
    ///   and `statm` open and pread them; read `status` and `cmdline` once per process (by pid and
    ///   start time). Raises the soft RLIMIT_NOFILE to the hard limit for the kept files.
    public init(root: String = "/proc", keepFilesOpen: Bool = false) throws(ProcRootError) {
        reader = try ProcReader(root: root)
        helperReader = ParallelRead.onlineCPUs > 1 ? try ProcReader(root: root) : nil
        if keepFilesOpen {
            kept = [KeptFiles(reader: reader)] + (helperReader.map { [KeptFiles(reader: $0)] } ?? [])
            Self.raiseOpenFileLimit()
        } else {
            kept = []
        }
        let page = sysconf(Int32(_SC_PAGESIZE))
        pageSizeKB = page > 0 ? UInt64(page) / 1024 : 4
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        clockTicksPerSecond = ticks > 0 ? Double(ticks) : 100
    }

    public func sample(_ options: SampleOptions = SampleOptions()) throws(ProcRootError) -> Snapshot {
        let monotonic = Clock.monotonic()
        let time = Clock.now()
        let pids = try reader.pids().sorted()
        var system = readSystem()
        let bootTime = system.cpuTimes?.bootTime
        let memTotal = system.memory?.memTotal ?? 0

        let raws = kept.isEmpty
            ? ParallelRead.read(pids, main: reader, helper: helperReader, options: options)
            : readKept(pids, options)
        var entries: [ProcessEntry] = []
        entries.reserveCapacity(raws.count)
        for raw in raws { entries.append(entry(raw, memTotal: memTotal, bootTime: bootTime)) }
        if system.cpus == 0 { system.cpus = 1 }
        return Snapshot(time: time, monotonic: monotonic, system: system, processes: entries, clockTicksPerSecond: clockTicksPerSecond)
    }

    /// Two samples `interval` seconds apart, the second with CPU% filled in. An interval of 0
    /// takes one sample.
    public func sample(_ options: SampleOptions, interval: Double) throws(ProcRootError) -> Snapshot {
        let first = try sample(options)
        guard interval > 0 else { return first }
        Clock.sleep(seconds: interval)
        var second = try sample(options)
        second.computeCPU(since: first)
        return second
    }

    /// The live path: a pread of `stat` and `statm` per process, and `status` and `cmdline` only for a
    /// process not seen before. Processes are split by pid parity so each keeps its reader.
    private func readKept(_ pids: [Int32], _ options: SampleOptions) -> [RawProcess] {
        let known = self.known
        func read(_ kept: KeptFiles, _ reader: ProcReader, _ part: [Int32]) -> [RawProcess] {
            var raws: [RawProcess] = []
            raws.reserveCapacity(part.count)
            func one(_ pid: Int32, _ tid: Int32?) {
                guard let stat = kept.stat(pid, tid: tid) else { return }
                var raw: RawProcess
                if let seen = known[KnownKey(pid: pid, tid: tid, startTicks: stat.startTime)] {
                    raw = seen
                    raw.stat = stat
                } else {
                    raw = RawProcess(stat: stat, pid: pid, tid: tid)
                    let dir = tid.map { "\(pid)/task/\($0)/" } ?? "\(pid)/"
                    if options.files.contains(.status), case .success(let v) = reader.withFile(dir + "status", { ProcStatus.parse($0) }) {
                        raw.status = v
                    }
                    if options.files.contains(.cmdline), case .success(let v) = reader.withFile(dir + "cmdline", { ProcCmdline.parse($0) }) {
                        raw.cmdline = v
                    }
                }
                // A zombie has no command line any more.
                if stat.state == UInt8(ascii: "Z") { raw.cmdline = [] }
                raw.statm = options.files.contains(.statm) ? kept.statm(pid, tid: tid) : nil
                raws.append(raw)
            }
            for pid in part {
                if options.threads {
                    let tids = reader.tids(of: pid).sorted()
                    for tid in tids { one(pid, tid) }
                    // A process whose task/ cannot be listed still gets its own row.
                    if tids.isEmpty {
                        let count = raws.count
                        one(pid, nil)
                        if raws.count > count { raws[count].tid = pid }
                    }
                } else {
                    one(pid, nil)
                }
            }
            kept.sweep()
            return raws
        }
        var raws: [RawProcess]
        if kept.count == 2, let helper = helperReader, pids.count >= 200 {
            let even = pids.filter { $0 % 2 == 0 }
            let odd = pids.filter { $0 % 2 != 0 }
            let (a, b) = ParallelRead.both({ read(self.kept[0], self.reader, even) }, { read(self.kept[1], helper, odd) })
            raws = a + b
            raws.sort { ($0.pid, $0.tid ?? 0) < ($1.pid, $1.tid ?? 0) }
        } else {
            raws = read(kept[0], reader, pids)
        }
        var next: [KnownKey: RawProcess] = [:]
        next.reserveCapacity(raws.count)
        for raw in raws { next[KnownKey(pid: raw.pid, tid: raw.tid, startTicks: raw.stat.startTime)] = raw }
        self.known = next
        return raws
    }

    private static func raiseOpenFileLimit() {
        var limit = rlimit()
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = min(limit.rlim_max, 1 << 20)
        _ = setrlimit(resource, &limit)
    }

    private func entry(_ raw: RawProcess, memTotal: UInt64, bootTime: UInt64?) -> ProcessEntry {
        var e = ProcessEntry(raw: raw, pageSizeKB: pageSizeKB)
        if let uid = e.uid { e.user = users.name(of: uid) }
        if let rss = e.rssKB, memTotal > 0 { e.memPercent = Double(rss) / Double(memTotal) * 100 }
        if let bootTime { e.startTime = Double(bootTime) + Double(e.startTicks) / clockTicksPerSecond }
        return e
    }

    private func readSystem() -> SystemInfo {
        let stat = reader.systemStat()
        var hostname = ""
        if case .success(let bytes) = reader.read("sys/kernel/hostname") {
            hostname = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
        }
        if hostname.isEmpty { hostname = Clock.hostname() }
        return SystemInfo(
            hostname: hostname, uptime: reader.uptime(), load: reader.loadAverage(), cpuTimes: stat,
            memory: reader.meminfo(), cpus: stat?.perCPU.count ?? 0)
    }
}

/// Time and host facts from the C library.
public enum Clock {
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    public static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    public static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        var ts = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var rem = timespec()
        while nanosleep(&ts, &rem) != 0 && errno == EINTR { ts = rem }
    }

    public static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
