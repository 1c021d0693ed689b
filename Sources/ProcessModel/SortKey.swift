/// A column to sort by. Sizes, CPU, memory and time sort largest first, as in top and htop;
/// everything else ascending. Ties go by pid (then tid), so the order is always the same.
public enum SortKey: String, CaseIterable, Sendable {
    case pid, ppid, user, name, state, threads, priority, nice, vsz, rss, cpu, mem, time, start

    /// Accepts the JSON field names and the column titles users know from ps, top and htop.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "pid": self = .pid
        case "ppid": self = .ppid
        case "user", "uid": self = .user
        case "name", "comm", "command", "cmd": self = .name
        case "state", "s", "stat": self = .state
        case "threads", "thr", "nlwp": self = .threads
        case "priority", "pri", "pr": self = .priority
        case "nice", "ni": self = .nice
        case "vsz", "virt", "vsz_kb": self = .vsz
        case "rss", "res", "rss_kb": self = .rss
        case "cpu", "cpu%", "pcpu", "cpu_percent": self = .cpu
        case "mem", "mem%", "pmem", "mem_percent": self = .mem
        case "time", "time+", "cpu_time", "cpu_time_s": self = .time
        case "start", "start_time", "stime": self = .start
        default: return nil
        }
    }

    public var descendingByDefault: Bool {
        switch self {
        case .cpu, .mem, .rss, .vsz, .time: return true
        default: return false
        }
    }

    /// Sorts stably by this key; `inverted` flips the default direction.
    public func sort(_ processes: inout [ProcessEntry], inverted: Bool = false) {
        let descending = descendingByDefault != inverted
        processes.sort { a, b in
            let c = compare(a, b)
            if c != 0 { return descending ? c > 0 : c < 0 }
            if a.pid != b.pid { return a.pid < b.pid }
            return (a.tid ?? 0) < (b.tid ?? 0)
        }
    }

    /// -1, 0 or 1. Unknown values (nil) sort below every known one.
    public func compare(_ a: ProcessEntry, _ b: ProcessEntry) -> Int {
        func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }
        func cmpOpt<T: Comparable>(_ x: T?, _ y: T?) -> Int {
            switch (x, y) {
            case let (x?, y?): return cmp(x, y)
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            }
        }
        switch self {
        case .pid: return cmp(a.pid, b.pid)
        case .ppid: return cmp(a.ppid, b.ppid)
        case .user: return cmpOpt(a.user ?? a.uid.map(String.init), b.user ?? b.uid.map(String.init))
        case .name: return cmp(a.name.lowercased(), b.name.lowercased())
        case .state: return cmp(a.state.letter, b.state.letter)
        case .threads: return cmp(a.threads, b.threads)
        case .priority: return cmp(a.priority, b.priority)
        case .nice: return cmp(a.nice, b.nice)
        case .vsz: return cmpOpt(a.vszKB, b.vszKB)
        case .rss: return cmpOpt(a.rssKB, b.rssKB)
        case .cpu: return cmpOpt(a.cpuPercent, b.cpuPercent)
        case .mem: return cmpOpt(a.memPercent, b.memPercent)
        case .time: return cmp(a.cpuTicks, b.cpuTicks)
        case .start: return cmp(a.startTicks, b.startTicks)
        }
    }
}
