import Lifecycle
import ProcFS
import ProcessModel

/// What `--per-process` ranks by.
public enum TopBy: String, CaseIterable, Sendable {
    case cpu, memory
}

/// What an exposition holds besides the groups.
public struct ExportSettings: Sendable {
    public var groupBy: GroupBy
    /// A series per process for the first `top` processes by `topBy`.
    public var perProcess: Bool
    public var top: Int
    public var topBy: TopBy
    /// Seconds a group must have been seen for before its end is reported (its
    /// swtop_group_num_procs kept at 0): a one-off command's group just disappears.
    public var establishedAfter: Double
    /// Follow how processes end (exits by outcome, OOM kills, crash loops): for an exporter
    /// that runs (the textfile's and the endpoint's); one exposition has no history.
    public var lifecycle: Bool
    /// Groups with series of their own in each family (GroupSlots); the rest are `other`.
    public var maxGroups: Int

    public static let defaultMaxGroups = 500

    public init(
        groupBy: GroupBy = .automatic, perProcess: Bool = false, top: Int = 10, topBy: TopBy = .cpu, establishedAfter: Double = 300,
        lifecycle: Bool = false, maxGroups: Int = ExportSettings.defaultMaxGroups
    ) {
        self.lifecycle = lifecycle
        self.maxGroups = maxGroups
        self.groupBy = groupBy
        self.perProcess = perProcess
        self.top = top
        self.topBy = topBy
        self.establishedAfter = establishedAfter
    }
}

/// Builds expositions from readings of /proc: one reading, one exposition. The exposition is
/// built once here; stdout, the textfile and the HTTP endpoint only deliver it.
///
/// Not thread-safe: one exposition at a time (the HTTP server runs scrapes that arrive
/// together on one reading).
public final class MetricsExporter {
    public let settings: ExportSettings
    public var grouping: Grouping
    private let reader: ProcessReader
    private let tracking: LifecycleTracking?
    private let cpu = CPUCounters()
    /// When each group present now was first seen (reading time).
    private var firstSeen: [String: Double] = [:]
    /// Groups seen for `establishedAfter`: reported with 0 processes once they have none.
    private var established: Set<String> = []
    /// Readings of /proc since the exporter started: one per exposition.
    public private(set) var readings = 0
    private var slots: GroupSlots

    public init(root: String = "/proc", settings: ExportSettings) throws(ProcRootError) {
        self.settings = settings
        grouping = Grouping(by: settings.groupBy)
        slots = GroupSlots(limit: settings.maxGroups)
        reader = try ProcessReader(root: root)
        tracking = settings.lifecycle ? try LifecycleTracking(root: root, groupBy: settings.groupBy, maxGroups: settings.maxGroups) : nil
    }

    /// Reads /proc once and writes the exposition.
    public func exposition() throws(ProcRootError) -> [UInt8] {
        if let tracking {
            let reading = try tracking.read(cgroups: grouping.needsCgroup)
            return exposition(of: reading, now: reading.time)
        }
        let reading = try reader.read(uids: grouping.needsUID, cgroups: grouping.needsCgroup)
        return exposition(of: reading)
    }

    /// The exposition of one reading (and the CPU counters moved on by it).
    public func exposition(of reading: ProcessReading, now: Double? = nil) -> [UInt8] {
        readings += 1
        let processes = reading.processes
        let groups = slots.assign(processes.map { grouping.group(of: $0) }, keep: established)
        established.formIntersection(slots.held)
        let used = cpu.update(processes, groups: groups)

        var figures: [String: GroupFigures] = [:]
        for (process, group) in zip(processes, groups) {
            figures[group, default: GroupFigures()].add(process)
        }
        let names = figures.keys.sorted()
        var seen: [String: Double] = [:]
        for name in names {
            let first = firstSeen[name] ?? reading.time
            seen[name] = first
            if reading.time - first >= settings.establishedAfter { established.insert(name) }
        }
        firstSeen = seen
        var out = Exposition()

        out.family("swtop_group_num_procs", .gauge, help: "Processes in the group; 0 for a group that had lived for a while (5 minutes) and has none left, while the exporter runs.")
        for name in Set(names).union(established).sorted() {
            out.sample("swtop_group_num_procs", ["group": name], Double(figures[name]?.count ?? 0))
        }

        out.family("swtop_group_processes", .gauge, help: "Processes in the group, by scheduler state (running, sleeping, disk_sleep, zombie, stopped, tracing_stop, idle, ...).")
        for name in names {
            guard let group = figures[name] else { continue }
            for (state, count) in group.states.sorted(by: { $0.key < $1.key }) {
                out.sample("swtop_group_processes", ["group": name, "state": state], Double(count))
            }
        }
        out.family("swtop_group_cpu_seconds_total", .counter, help: "CPU time used by the group's processes while the exporter ran (and before, by those it found running), by mode (user, system).")
        for name in names {
            let ticks = cpu.totals[name] ?? CPUCounters.Ticks()
            out.sample("swtop_group_cpu_seconds_total", ["group": name, "mode": "user"], Double(ticks.user) / reading.ticksPerSecond)
            out.sample("swtop_group_cpu_seconds_total", ["group": name, "mode": "system"], Double(ticks.system) / reading.ticksPerSecond)
        }
        out.family("swtop_group_io_read_bytes_total", .counter, help: "Bytes the group's processes read from storage while the exporter ran (and before, by those it found running); processes whose io file is unreadable (other users', without root) add none.")
        for name in names {
            out.sample("swtop_group_io_read_bytes_total", ["group": name], Double(cpu.totals[name]?.readBytes ?? 0))
        }
        out.family("swtop_group_io_write_bytes_total", .counter, help: "Bytes the group's processes caused to be written to storage, counted as swtop_group_io_read_bytes_total.")
        for name in names {
            out.sample("swtop_group_io_write_bytes_total", ["group": name], Double(cpu.totals[name]?.writtenBytes ?? 0))
        }
        groupGauge(&out, "swtop_group_resident_memory_bytes", help: "Resident memory of the group's processes (the sum of their RSS).", names, figures) { Double($0.resident) }
        groupGauge(&out, "swtop_group_virtual_memory_bytes", help: "Virtual memory of the group's processes (the sum of their sizes).", names, figures) { Double($0.virtual) }
        groupGauge(&out, "swtop_group_threads", help: "Threads of the group's processes.", names, figures) { Double($0.threads) }
        groupGauge(&out, "swtop_group_open_fds", help: "Open file descriptors of the group's processes whose fd directory could be read (other users' need CAP_SYS_PTRACE).", names, figures) { Double($0.openFiles) }
        out.family("swtop_group_oldest_start_time_seconds", .gauge, help: "Start time of the group's oldest process, seconds since the epoch.", merge: .min)
        for name in names {
            guard let oldest = figures[name]?.oldestStart else { continue }
            out.sample("swtop_group_oldest_start_time_seconds", ["group": name], oldest)
        }

        writeZombies(&out, processes)
        if let tracking {
            // Each process's group at this reading: an end counted before the next one goes to it.
            let ends = tracking.ends(now: now ?? reading.time, groups: Dictionary(zip(processes.map(\.key), groups), uniquingKeysWith: { a, _ in a }))
            writeLifecycle(&out, ends.counters, loops: ends.loops)
        }
        if settings.perProcess { writeTop(&out, processes, groups: groups, used: used) }

        out.family("swtop_readings_total", .counter, help: "Readings of /proc since the exporter started, one per exposition (scrapes that arrive together share one).")
        out.sample("swtop_readings_total", Double(readings))
        out.family("swtop_scrape_processes", .gauge, help: "Processes read from /proc for this exposition.")
        out.sample("swtop_scrape_processes", Double(processes.count))
        out.family("swtop_scrape_duration_seconds", .gauge, help: "Wall time of the /proc reading behind this exposition.")
        out.sample("swtop_scrape_duration_seconds", reading.duration)
        return out.bytes
    }

    private func groupGauge(
        _ out: inout Exposition, _ metric: StaticString, help: StaticString, _ names: [String], _ figures: [String: GroupFigures],
        _ value: (GroupFigures) -> Double
    ) {
        out.family(metric, .gauge, help: help)
        for name in names {
            guard let group = figures[name] else { continue }
            out.sample(metric, ["group": name], value(group))
        }
    }

    /// Zombies per parent that holds any: a parent that never reaps its children shows here.
    private func writeZombies(_ out: inout Exposition, _ processes: [ProcessFigures]) {
        var held: [Int32: Int] = [:]
        for process in processes where process.state == .zombie {
            held[process.ppid, default: 0] += 1
        }
        out.family("swtop_zombie_children", .gauge, help: "Zombie children a parent holds (exited, not yet reaped), per parent that holds any.")
        guard !held.isEmpty else { return }
        var names: [Int32: String] = [:]
        for process in processes where held[process.pid] != nil { names[process.pid] = process.name }
        for (parent, count) in held.sorted(by: { $0.key < $1.key }) {
            out.sample("swtop_zombie_children", ["parent_pid": String(parent), "parent": names[parent] ?? ""], Double(count))
        }
    }

    /// From the lifecycle model: how processes ended since the exporter started, per group,
    /// and the crash loops going on.
    private func writeLifecycle(_ out: inout Exposition, _ ends: LifecycleCounters, loops: [CrashLoop]) {
        out.family("swtop_exits_total", .counter, help: "Processes of the group that ended while the exporter ran, by outcome (exited, killed, core_dumped, oom_killed, unknown).")
        for group in ends.exits.keys.sorted() {
            for (outcome, count) in (ends.exits[group] ?? [:]).sorted(by: { $0.key < $1.key }) {
                out.sample("swtop_exits_total", ["group": group, "outcome": outcome], Double(count))
            }
        }
        out.family("swtop_oom_kills_total", .counter, help: "Processes of the group the kernel's OOM killer ended while the exporter ran.")
        for (group, count) in ends.oomKills.sorted(by: { $0.key < $1.key }) {
            out.sample("swtop_oom_kills_total", ["group": group], Double(count))
        }
        out.family("swtop_stops_total", .counter, help: "Processes of the group that ended after another process asked them to stop (SIGHUP, SIGINT, SIGQUIT, SIGTERM), by kind: forced (SIGKILL ended it) or graceful. Root only (the signal tracepoint).")
        for group in ends.stops.keys.sorted() {
            for (kind, count) in (ends.stops[group] ?? [:]).sorted(by: { $0.key < $1.key }) {
                out.sample("swtop_stops_total", ["group": group, "kind": kind], Double(count))
            }
        }
        // Two loops of one command (under two parents) have the same labels: one series, 1.
        // At most --max-groups commands, those with the most restarts: each is a series.
        let shown = loops.sorted { ($0.restarts, $1.command) > ($1.restarts, $0.command) }.prefix(settings.maxGroups).sorted { $0.command < $1.command }
        out.family("swtop_crash_looping", .gauge, help: "1 while a command is in a crash loop: its parent started it again after an abnormal end (a non-zero exit or a signal) for the third time within 60 s, the same command line under the same parent (a process whose command line could not be read is never one); it stays 1 until the command has gone 60 s without ending.", merge: .max)
        for loop in shown {
            out.sample("swtop_crash_looping", ["group": ends.loopGroups[loop.command] ?? "", "command": loop.command], 1)
        }
        out.family("swtop_crash_loop_restarts", .gauge, help: "Restarts after an abnormal end of a crash-looping command within the last 60 s (of all its loops).")
        for loop in shown {
            out.sample("swtop_crash_loop_restarts", ["group": ends.loopGroups[loop.command] ?? "", "command": loop.command], Double(loop.restarts))
        }
    }

    private func writeTop(_ out: inout Exposition, _ processes: [ProcessFigures], groups: [String], used: [UInt64]) {
        let ranked: [Int]
        switch settings.topBy {
        case .cpu: ranked = processes.indices.sorted { (used[$0], processes[$1].pid) > (used[$1], processes[$0].pid) }
        case .memory: ranked = processes.indices.sorted { (processes[$0].residentBytes, processes[$1].pid) > (processes[$1].residentBytes, processes[$0].pid) }
        }
        let chosen = ranked.prefix(max(0, settings.top))
        func labels(_ i: Int) -> KeyValuePairs<StaticString, String> {
            ["pid": String(processes[i].pid), "name": processes[i].name, "group": groups[i]]
        }
        out.family("swtop_process_cpu_seconds_total", .counter, help: "CPU time of the process (--per-process: the top processes by --top-by), user and system.")
        for i in chosen { out.sample("swtop_process_cpu_seconds_total", labels(i), processes[i].cpuSeconds) }
        out.family("swtop_process_resident_memory_bytes", .gauge, help: "Resident memory of the process (--per-process).")
        for i in chosen { out.sample("swtop_process_resident_memory_bytes", labels(i), Double(processes[i].residentBytes)) }
        out.family("swtop_process_virtual_memory_bytes", .gauge, help: "Virtual memory of the process (--per-process).")
        for i in chosen { out.sample("swtop_process_virtual_memory_bytes", labels(i), Double(processes[i].virtualBytes)) }
        out.family("swtop_process_threads", .gauge, help: "Threads of the process (--per-process).")
        for i in chosen { out.sample("swtop_process_threads", labels(i), Double(processes[i].threads)) }
        out.family("swtop_process_open_fds", .gauge, help: "Open file descriptors of the process (--per-process), where readable.")
        for i in chosen {
            if let files = processes[i].openFiles { out.sample("swtop_process_open_fds", labels(i), Double(files)) }
        }
        out.family("swtop_process_start_time_seconds", .gauge, help: "Start time of the process (--per-process), seconds since the epoch.")
        for i in chosen {
            if let start = processes[i].startTime { out.sample("swtop_process_start_time_seconds", labels(i), start) }
        }
    }
}

/// One group's sums.
struct GroupFigures {
    var count = 0
    var states: [String: Int] = [:]
    var resident: UInt64 = 0
    var virtual: UInt64 = 0
    var threads = 0
    var openFiles = 0
    var oldestStart: Double?

    mutating func add(_ process: ProcessFigures) {
        count += 1
        states[Self.label(process.state), default: 0] += 1
        resident &+= process.residentBytes
        virtual &+= process.virtualBytes
        threads += Int(process.threads)
        openFiles += process.openFiles ?? 0
        if let start = process.startTime { oldestStart = min(oldestStart ?? start, start) }
    }

    /// The state's name as a label value: "disk sleep" -> "disk_sleep".
    static func label(_ state: ProcessState) -> String {
        String(state.name.map { $0 == " " ? "_" : $0 })
    }
}
