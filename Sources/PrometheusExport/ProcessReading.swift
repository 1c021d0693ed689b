#if canImport(Glibc)
import Glibc
#endif
import ProcFS
import ProcessModel

/// What an exposition needs of one process, read from `stat` (and `status` for its real uid,
/// only when grouping by user) and the size of its `fd` directory.
public struct ProcessFigures: Sendable {
    public var key: ProcessKey
    public var ppid: Int32
    /// comm, with invalid UTF-8 replaced.
    public var name: String
    public var state: ProcessState
    public var isKernelThread: Bool
    /// utime and stime, clock ticks (whole numbers: sums of them stay exact).
    public var userTicks: UInt64
    public var systemTicks: UInt64
    public var ticksPerSecond: Double
    public var residentBytes: UInt64
    public var virtualBytes: UInt64
    public var threads: Int32
    /// nil when not known (another user's process without CAP_SYS_PTRACE; a recorded tree).
    public var openFiles: Int?
    /// Seconds since the epoch; nil when the boot time is unknown.
    public var startTime: Double?
    /// Real uid; read only when grouping by user.
    public var uid: UInt32?
    /// The systemd unit and the container (its name, else its short id), from the cgroup; read
    /// only when grouping by them.
    public var unit: String? = nil
    public var container: String? = nil
    /// Storage bytes read and written since it started (`io`); nil when unreadable.
    public var ioReadBytes: UInt64? = nil
    public var ioWriteBytes: UInt64? = nil

    public var pid: Int32 { key.id }
    public var cpuSeconds: Double { Double(userTicks &+ systemTicks) / ticksPerSecond }
}

/// One reading of /proc: every process once.
public struct ProcessReading: Sendable {
    public var processes: [ProcessFigures]
    /// When the reading was taken, seconds since the epoch.
    public var time: Double
    /// How long it took, seconds of wall time.
    public var duration: Double
    public var ticksPerSecond: Double
}

/// Reads the figures of every process of one proc root. One thread at a time.
public final class ProcessReader {
    let reader: ProcReader
    private let pageSize: UInt64
    private let ticksPerSecond: Double

    public init(root: String = "/proc") throws(ProcRootError) {
        reader = try ProcReader(root: root)
        try reader.requireProcTree()
        let page = sysconf(Int32(_SC_PAGESIZE))
        pageSize = page > 0 ? UInt64(page) : 4096
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        ticksPerSecond = ticks > 0 ? Double(ticks) : 100
    }

    public var isLive: Bool { reader.isLive }

    /// One Membership per cgroup, and container names looked up once.
    private lazy var cgroups = CgroupTable { [reader] in reader.dockerName(id: $0.id) }

    public func read(uids: Bool, cgroups readCgroups: Bool = false) throws(ProcRootError) -> ProcessReading {
        let started = Clock.monotonic()
        let time = Clock.now()
        let bootTime = reader.systemStat()?.bootTime
        let pids = try reader.pids()
        var processes: [ProcessFigures] = []
        processes.reserveCapacity(pids.count)
        var files: ProcessFiles = uids ? [.status, .io] : [.io]
        if readCgroups { files.insert(.cgroup) }
        for pid in pids {
            // A process that exits meanwhile is ordinary: it is simply not in this reading.
            guard let raw = reader.process(pid, files: files) else { continue }
            let stat = raw.stat
            processes.append(ProcessFigures(
                key: ProcessKey(id: pid, startTicks: stat.startTime),
                ppid: stat.ppid,
                name: String(decoding: stat.comm, as: UTF8.self),
                state: ProcessState(letter: stat.state),
                isKernelThread: stat.isKernelThread,
                userTicks: stat.utime, systemTicks: stat.stime, ticksPerSecond: ticksPerSecond,
                residentBytes: UInt64(max(0, stat.rss)).multipliedReportingOverflow(by: pageSize).partialValue,
                virtualBytes: stat.vsize,
                threads: stat.numThreads,
                openFiles: stat.isKernelThread ? nil : reader.openFileCount(pid),
                startTime: bootTime.map { Double($0) + Double(stat.startTime) / ticksPerSecond },
                uid: raw.status?.realUID))
            processes[processes.count - 1].ioReadBytes = raw.io?.readBytes
            processes[processes.count - 1].ioWriteBytes = raw.io?.writeBytes
            if let parsed = raw.cgroup {
                let membership = cgroups.membership(parsed)
                processes[processes.count - 1].unit = membership.unit
                processes[processes.count - 1].container = membership.containerLabel
            }
        }
        return ProcessReading(processes: processes, time: time, duration: Clock.monotonic() - started, ticksPerSecond: ticksPerSecond)
    }
}
