import ProcFS

/// The system-wide part of a snapshot.
public struct SystemInfo: Sendable {
    public var hostname: String
    public var uptime: Uptime?
    public var load: LoadAverage?
    public var cpuTimes: SystemStat?
    public var memory: Meminfo?
    /// Online CPUs: the per-CPU lines of /proc/stat.
    public var cpus: Int
    /// Busy percent of all CPUs since the previous sample; nil with one sample.
    public var cpuPercent: Double?
    /// Busy percent of each online CPU, split as the meters show it; empty with one sample.
    public var perCPU: [CPUUsage]

    public init(hostname: String, uptime: Uptime?, load: LoadAverage?, cpuTimes: SystemStat?, memory: Meminfo?, cpus: Int) {
        self.hostname = hostname
        self.uptime = uptime
        self.load = load
        self.cpuTimes = cpuTimes
        self.memory = memory
        self.cpus = cpus
        self.cpuPercent = nil
        self.perCPU = []
    }
}

/// One reading of the whole system.
public struct Snapshot: Sendable {
    /// Wall-clock time of the reading, seconds since the epoch.
    public var time: Double
    /// Monotonic seconds, for intervals.
    public var monotonic: Double
    /// Seconds between the previous sample and this one; 0 for a single sample.
    public var interval: Double
    public var system: SystemInfo
    public var processes: [ProcessEntry]
    public var clockTicksPerSecond: Double

    public init(time: Double, monotonic: Double, interval: Double = 0, system: SystemInfo, processes: [ProcessEntry], clockTicksPerSecond: Double) {
        self.time = time
        self.monotonic = monotonic
        self.interval = interval
        self.system = system
        self.processes = processes
        self.clockTicksPerSecond = clockTicksPerSecond
    }

    public var tasks: TaskCounts { TaskCounts(processes) }
}

/// How many tasks are in each state. Processes are counted once each (a thread row does not add a
/// process); `threads` counts userland threads, main threads included.
public struct TaskCounts: Sendable, Equatable {
    public var total = 0
    public var threads = 0
    public var kernelThreads = 0
    public var running = 0
    public var sleeping = 0
    public var diskSleep = 0
    public var stopped = 0
    public var zombie = 0
    public var idle = 0

    public init() {}

    public init(_ processes: [ProcessEntry]) {
        for p in processes where !p.isSecondaryThread {
            total += 1
            if p.isKernelThread {
                kernelThreads += 1
            } else {
                threads += Int(max(p.threads, 1))
            }
            switch p.state {
            case .running: running += 1
            case .sleeping: sleeping += 1
            case .diskSleep: diskSleep += 1
            case .stopped, .tracingStop: stopped += 1
            case .zombie: zombie += 1
            case .idle: idle += 1
            default: break
            }
        }
    }
}
