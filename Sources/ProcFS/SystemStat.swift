/// CPU time counters of one line of `/proc/stat`, in clock ticks.
public struct CPUTimes: Sendable, Equatable {
    public var user: UInt64 = 0
    public var nice: UInt64 = 0
    public var system: UInt64 = 0
    public var idle: UInt64 = 0
    public var iowait: UInt64 = 0
    public var irq: UInt64 = 0
    public var softirq: UInt64 = 0
    public var steal: UInt64 = 0
    public var guest: UInt64 = 0
    public var guestNice: UInt64 = 0

    public init() {}

    /// user and nice include guest time on Linux, so guest is not added again.
    public var total: UInt64 {
        user &+ nice &+ system &+ idle &+ iowait &+ irq &+ softirq &+ steal
    }

}

/// `/proc/stat`: the aggregate and per-CPU time lines, the boot time and running counts.
public struct SystemStat: Sendable, Equatable {
    public var total: CPUTimes
    /// Indexed by the line order; `cpuIDs` gives each line's CPU number (offline CPUs are absent).
    public var perCPU: [CPUTimes]
    public var cpuIDs: [Int]
    /// Seconds since the epoch at boot.
    public var bootTime: UInt64?
    public var procsRunning: Int?
    public var procsBlocked: Int?

    public init(total: CPUTimes, perCPU: [CPUTimes], cpuIDs: [Int], bootTime: UInt64?, procsRunning: Int?, procsBlocked: Int?) {
        self.total = total
        self.perCPU = perCPU
        self.cpuIDs = cpuIDs
        self.bootTime = bootTime
        self.procsRunning = procsRunning
        self.procsBlocked = procsBlocked
    }

    public static func parse(_ bytes: [UInt8]) -> SystemStat? {
        bytes.withBytes { parse($0) }
    }

    /// nil without the aggregate `cpu` line.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> SystemStat? {
        var total: CPUTimes?
        var perCPU: [CPUTimes] = []
        var ids: [Int] = []
        var btime: UInt64?
        var running: Int?
        var blocked: Int?
        var scanner = ByteScanner(bytes)
        while !scanner.isAtEnd {
            let line = scanner.restOfLine()
            let lineBytes = UnsafeBufferPointer(rebasing: bytes[..<line.upperBound])
            var ls = ByteScanner(lineBytes, from: line.lowerBound)
            guard let key = ls.nextToken() else { continue }
            if bytesEqual(bytes, key, "cpu") {
                total = cpuTimes(&ls)
            } else if key.count > 3, bytesEqual(bytes, key.lowerBound..<(key.lowerBound + 3), "cpu") {
                guard let id = parseInt64(bytes, (key.lowerBound + 3)..<key.upperBound), let times = cpuTimes(&ls)
                else { continue }
                perCPU.append(times)
                ids.append(Int(id))
            } else if bytesEqual(bytes, key, "btime") {
                btime = ls.nextUInt64()
            } else if bytesEqual(bytes, key, "procs_running") {
                running = ls.nextInt64().map { Int($0) }
            } else if bytesEqual(bytes, key, "procs_blocked") {
                blocked = ls.nextInt64().map { Int($0) }
            }
        }
        guard let total else { return nil }
        return SystemStat(total: total, perCPU: perCPU, cpuIDs: ids, bootTime: btime, procsRunning: running, procsBlocked: blocked)
    }

    private static func cpuTimes(_ s: inout ByteScanner) -> CPUTimes? {
        var t = CPUTimes()
        // At least user, nice, system, idle; later columns arrived with later kernels.
        guard let user = s.nextUInt64(), let nice = s.nextUInt64(), let system = s.nextUInt64(),
            let idle = s.nextUInt64()
        else { return nil }
        t.user = user
        t.nice = nice
        t.system = system
        t.idle = idle
        t.iowait = s.nextUInt64() ?? 0
        t.irq = s.nextUInt64() ?? 0
        t.softirq = s.nextUInt64() ?? 0
        t.steal = s.nextUInt64() ?? 0
        t.guest = s.nextUInt64() ?? 0
        t.guestNice = s.nextUInt64() ?? 0
        return t
    }
}
