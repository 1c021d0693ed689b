import ProcFS

/// Tells an OOM kill from any other SIGKILL. As root, /dev/kmsg names each victim; without it,
/// the kernel's OOM counters (the system's, and the memory cgroup's of each watched process)
/// that rose around the death.
struct OOMJudge {
    private let counters: OOMCounters
    /// Whether /dev/kmsg names the victims (then the counters are not needed).
    private let hasKernelLog: Bool
    /// Pids the kernel log named as OOM-killed, and when (kept a minute).
    private var named: [Int32: Double] = [:]
    private var lastSystemKills: UInt64?
    /// When /proc/vmstat's oom_kill was last seen to rise.
    private var systemRise = -Double.infinity
    /// Without root: each watched process's memory cgroup and the cgroups' OOM counters.
    private var memoryCgroups: [ProcessKey: MemoryCgroup] = [:]
    private var cgroupKills: [MemoryCgroup: UInt64] = [:]

    init(reader: ProcReader, hasKernelLog: Bool) {
        counters = OOMCounters(reader: reader)
        self.hasKernelLog = hasKernelLog
        lastSystemKills = counters.systemKills()
    }

    /// The kernel log named this pid as the OOM killer's victim.
    mutating func named(_ pid: Int32, now: Double) { named[pid] = now }

    /// An outcome told after the death (a pidfd's or a zombie's wait status): a SIGKILL is an
    /// OOM kill when the kernel log named the pid, or `atDeath`, the judgement made from the
    /// counters when the death was seen.
    func judge(_ outcome: Outcome, pid: Int32, atDeath: Bool) -> Outcome {
        guard outcome == .killed(signal: 9) else { return outcome }
        return atDeath || named[pid] != nil ? .oomKilled : outcome
    }

    /// For the proc connector's exits: named by the log, or (without it) the system's counter rose.
    mutating func judgeAtExit(_ outcome: Outcome, pid: Int32, now: Double) -> Outcome {
        guard outcome == .killed(signal: 9) else { return outcome }
        return named[pid] != nil || !hasKernelLog && systemRoseRecently(now) ? .oomKilled : outcome
    }

    /// Starts following a process's memory cgroup (for a pidfd-watched process).
    mutating func watch(_ key: ProcessKey) {
        guard let cgroup = counters.memoryCgroup(of: key.id) else { return }
        memoryCgroups[key] = cgroup
        if cgroupKills[cgroup] == nil { cgroupKills[cgroup] = counters.kills(in: cgroup) }
    }

    mutating func forget(_ key: ProcessKey) { memoryCgroups[key] = nil }

    mutating func expire(now: Double) { named = named.filter { now - $0.value < 60 } }

    /// Reads /proc/vmstat's OOM kill count: whether it rose within the last two seconds (the
    /// killer counts the kill before its victim has finished dying).
    private mutating func systemRoseRecently(_ now: Double) -> Bool {
        if let kills = counters.systemKills() {
            if let last = lastSystemKills, kills > last { systemRise = now }
            lastSystemKills = kills
        }
        return now - systemRise <= 2
    }

    /// Without the kernel log: the system's and the process's memory cgroup's OOM counters
    /// both rose around its death.
    mutating func countersRose(for key: ProcessKey, now: Double) -> Bool {
        guard systemRoseRecently(now) || named[key.id] != nil else { return false }
        guard let cgroup = memoryCgroups[key] else { return false }
        let kills = counters.kills(in: cgroup)
        defer { if let kills { cgroupKills[cgroup] = kills } }
        guard let kills, let before = cgroupKills[cgroup] else { return false }
        return kills > before
    }
}
