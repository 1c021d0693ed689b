import ProcFS

/// One process (or, in thread mode, one thread) as the user sees it.
public struct ProcessEntry: Sendable {
    public var pid: Int32
    /// Set for a thread row; the main thread's tid equals its pid.
    public var tid: Int32?
    public var ppid: Int32
    public var pgid: Int32
    public var sid: Int32
    public var ttyNr: Int32
    /// Real uid from status; nil when status could not be read.
    public var uid: UInt32?
    public var user: String?
    /// comm, decoded as UTF-8 with invalid bytes replaced. Escape before showing.
    public var name: String
    /// nil when cmdline could not be read; [] for kernel threads and zombies.
    public var cmdline: [String]?
    public var state: ProcessState
    public var isKernelThread: Bool
    public var threads: Int32
    public var priority: Int32
    public var nice: Int32
    /// From statm; nil when it could not be read.
    public var rssKB: UInt64?
    public var vszKB: UInt64?
    public var utimeTicks: UInt64
    public var stimeTicks: UInt64
    public var startTicks: UInt64
    public var processor: Int32?
    /// Percent of one CPU since the previous sample; nil with a single sample.
    public var cpuPercent: Double?
    /// Percent of MemTotal; nil when RSS or MemTotal is unknown.
    public var memPercent: Double?
    /// Seconds since the epoch; nil when the boot time is unknown.
    public var startTime: Double?
    public var limits: ProcLimits?

    /// The id of this row in the tree: the tid for a thread row, else the pid.
    public var id: Int32 { tid ?? pid }
    /// The row this row hangs under in the tree: a secondary thread under its process.
    public var parentID: Int32 {
        if let tid, tid != pid { return pid }
        return ppid
    }

    public var key: ProcessKey { ProcessKey(id: id, startTicks: startTicks) }

    public var cpuTicks: UInt64 { utimeTicks &+ stimeTicks }

    /// Whether a row is a secondary thread of a process.
    public var isSecondaryThread: Bool { tid.map { $0 != pid } ?? false }

    /// The command line as shown: arguments joined by spaces, or the name in brackets for kernel
    /// threads, zombies and processes whose command line is empty or unreadable. Not escaped.
    public var commandLine: String {
        if let cmdline, !cmdline.isEmpty, !isKernelThread {
            return cmdline.joined(separator: " ")
        }
        return "[" + name + "]"
    }

    public init(raw: RawProcess, pageSizeKB: UInt64) {
        let stat = raw.stat
        pid = raw.pid
        tid = raw.tid
        ppid = stat.ppid
        pgid = stat.pgrp
        sid = stat.session
        ttyNr = stat.ttyNr
        uid = raw.status?.realUID
        name = String(decoding: stat.comm, as: UTF8.self)
        cmdline = raw.cmdline.map { args in args.map { String(decoding: $0, as: UTF8.self) } }
        state = ProcessState(letter: stat.state)
        isKernelThread = stat.isKernelThread
        threads = stat.numThreads
        priority = stat.priority
        nice = stat.nice
        rssKB = raw.statm.map { $0.resident &* pageSizeKB }
        vszKB = raw.statm.map { $0.size &* pageSizeKB }
        utimeTicks = stat.utime
        stimeTicks = stat.stime
        startTicks = stat.startTime
        processor = stat.processor
        limits = raw.limits
    }
}
