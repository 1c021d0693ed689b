import ProcFS

/// The registry: every column swtop knows, in the order of the JSON object's fields.
/// To add a column: an entry here (and in `all`), and its value's reader where /proc does not
/// already give it (ProcFS parses the file, ProcessEntry keeps the value).
extension Column {
    public static let all: [Column] = [
        .pid, .tid, .ppid, .pgid, .sid, .tty, .uid, .user, .name, .command, .state, .threads,
        .priority, .nice, .rss, .vsz, .mem, .cpu, .time, .start,
        .cgroup, .unit, .container, .nsPID, .zombieChildren, .ioReadRate, .ioWriteRate, .ioRate,
        .ioReadBytes, .ioWriteBytes, .oomScore, .oomScoreAdj,
    ]

    /// htop's default columns, for the screen and `--once`'s table.
    public static let defaults: [Column] = [.pid, .user, .priority, .nice, .vsz, .rss, .state, .threads, .cpu, .mem, .time, .command]

    public static let pid = Column(
        id: "pid", title: "PID", width: 7, sort: Sort(compare: { order($0.pid, $1.pid) }, descending: false),
        json: [JSONField(name: "pid") { p, _ in .int(Int64(p.pid)) }],
        help: "Process id (thread group id)"
    ) { p, _ in String(p.pid) }

    /// Only in the thread view: a row per thread.
    public static let tid = Column(
        id: "tid", title: "TID", width: 7, sort: Sort(compare: { order($0.id, $1.id) }, descending: false), aliases: ["lwp", "spid"],
        json: [JSONField(name: "tid") { p, _ in p.tid.map { .int(Int64($0)) } }],
        help: "Thread id (the main thread's equals the pid)"
    ) { p, _ in p.tid.map(String.init) ?? "-" }

    public static let ppid = Column(
        id: "ppid", title: "PPID", width: 7, sort: Sort(compare: { order($0.ppid, $1.ppid) }, descending: false),
        json: [JSONField(name: "ppid") { p, _ in .int(Int64(p.ppid)) }],
        help: "Parent's process id"
    ) { p, _ in String(p.ppid) }

    public static let pgid = Column(
        id: "pgid", title: "PGRP", width: 7, sort: Sort(compare: { order($0.pgid, $1.pgid) }, descending: false), aliases: ["pgrp"],
        json: [JSONField(name: "pgid") { p, _ in .int(Int64(p.pgid)) }],
        help: "Process group id"
    ) { p, _ in String(p.pgid) }

    public static let sid = Column(
        id: "sid", title: "SID", width: 7, sort: Sort(compare: { order($0.sid, $1.sid) }, descending: false), aliases: ["session", "sess"],
        json: [JSONField(name: "sid") { p, _ in .int(Int64(p.sid)) }],
        help: "Session id"
    ) { p, _ in String(p.sid) }

    public static let tty = Column(
        id: "tty", title: "TTY", width: 8, alignment: .left,
        sort: Sort(compare: { order(Format.ttyName($0.ttyNr), Format.ttyName($1.ttyNr)) }, descending: false), aliases: ["tt"],
        json: [JSONField(name: "tty") { p, _ in Format.ttyName(p.ttyNr).map { .string($0) } ?? .null }],
        help: "Controlling terminal (? for none)"
    ) { p, _ in Format.ttyName(p.ttyNr) ?? "?" }

    public static let uid = Column(
        id: "uid", title: "UID", width: 6, files: .status, sort: Sort(compare: { order($0.uid, $1.uid) }, descending: false), aliases: ["ruid"],
        json: [JSONField(name: "uid") { p, _ in p.uid.map { .int(Int64($0)) } ?? .null }],
        help: "Real user id"
    ) { p, _ in p.uid.map(String.init) ?? "?" }

    public static let user = Column(
        id: "user", title: "USER", width: 9, alignment: .left, files: .status,
        sort: Sort(compare: { order($0.userOrUID, $1.userOrUID) }, descending: false),
        json: [JSONField(name: "user") { p, _ in p.user.map { .string($0) } ?? .null }],
        help: "Real user's name (the uid when it has none)"
    ) { p, _ in DisplayText.escaped(p.userOrUID ?? "?") }

    public static let name = Column(
        id: "name", title: "COMM", width: 15, alignment: .left, sort: Sort(compare: byName, descending: false), aliases: ["comm"],
        json: [JSONField(name: "name") { p, _ in .string(p.name) }],
        help: "The process's name as the kernel has it (comm)"
    ) { p, _ in DisplayText.escaped(p.name) }

    /// The command line; kernel threads, zombies and processes without one show their name in
    /// brackets. It sorts by what it shows, as htop's does.
    public static let command = Column(
        id: "command", title: "Command", width: 0, alignment: .left, files: .cmdline,
        sort: Sort(compare: { ProcessEntry.compareCommandLines($0, $1) }, descending: false),
        aliases: ["cmd", "args", "cmdline"],
        json: [
            JSONField(name: "cmdline") { p, _ in p.terminatedArguments.map { .terminatedStrings($0) } ?? .strings([]) },
            JSONField(name: "kernel_thread") { p, _ in .bool(p.isKernelThread) },
        ],
        help: "Command line"
    ) { p, _ in DisplayText.escaped(p.commandLine) }

    public static let state = Column(
        id: "state", title: "S", width: 1, alignment: .left, sort: Sort(compare: { order($0.state.letter, $1.state.letter) }, descending: false),
        aliases: ["stat"],
        json: [
            JSONField(name: "state") { p, _ in .string(p.state.letter) },
            JSONField(name: "state_name") { p, _ in .string(p.state.name) },
        ],
        help: "State: R running, S sleeping, D disk sleep, Z zombie, T stopped, t traced, I idle"
    ) { p, _ in p.state.letter }

    public static let threads = Column(
        id: "threads", title: "THR", width: 4, sort: Sort(compare: { order($0.threads, $1.threads) }, descending: false), aliases: ["nlwp"],
        json: [JSONField(name: "threads") { p, _ in .int(Int64(p.threads)) }],
        help: "Threads"
    ) { p, _ in String(p.threads) }

    /// Real-time priorities (-100 and below) show as RT, as in htop.
    public static let priority = Column(
        id: "priority", title: "PRI", width: 3, sort: Sort(compare: { order($0.priority, $1.priority) }, descending: false), aliases: ["pr"],
        json: [JSONField(name: "priority") { p, _ in .int(Int64(p.priority)) }],
        help: "Kernel scheduling priority (RT: real-time)"
    ) { p, _ in p.priority > -100 ? String(p.priority) : "RT" }

    public static let nice = Column(
        id: "nice", title: "NI", width: 3, sort: Sort(compare: { order($0.nice, $1.nice) }, descending: false),
        json: [JSONField(name: "nice") { p, _ in .int(Int64(p.nice)) }],
        help: "Nice value, -20 (first) to 19 (last)"
    ) { p, _ in String(p.nice) }

    public static let rss = Column(
        id: "rss", title: "RES", width: 6, sort: Sort(compare: { order($0.rssKB, $1.rssKB) }, descending: true),
        aliases: ["rss_kb", "rsz"],
        json: [JSONField(name: "rss_kb") { p, _ in p.rssKB.map { .unsigned($0) } ?? .null }],
        help: "Resident memory (RSS)"
    ) { p, _ in p.rssKB.map(Format.kib) ?? "-" }

    public static let vsz = Column(
        id: "vsz", title: "VIRT", width: 6, sort: Sort(compare: { order($0.vszKB, $1.vszKB) }, descending: true),
        aliases: ["vsz_kb", "vsize"],
        json: [JSONField(name: "vsz_kb") { p, _ in p.vszKB.map { .unsigned($0) } ?? .null }],
        help: "Virtual memory size"
    ) { p, _ in p.vszKB.map(Format.kib) ?? "-" }

    public static let mem = Column(
        id: "mem", title: "MEM%", width: 5, sort: Sort(compare: { order($0.memPercent, $1.memPercent) }, descending: true),
        aliases: ["pmem", "mem_percent", "%mem"],
        json: [JSONField(name: "mem_percent") { p, _ in p.memPercent.map { .number($0, decimals: 2) } ?? .null }],
        help: "Resident memory as a percent of MemTotal"
    ) { p, _ in p.memPercent.map { Format.fixed($0, decimals: 1) } ?? "-" }

    public static let cpu = Column(
        id: "cpu", title: "CPU%", width: 5, sort: Sort(compare: { order($0.cpuPercent, $1.cpuPercent) }, descending: true),
        aliases: ["pcpu", "cpu_percent", "%cpu"],
        json: [JSONField(name: "cpu_percent") { p, c in c.singleSample ? .null : p.cpuPercent.map { .number($0, decimals: 1) } ?? .null }],
        help: "Percent of one CPU since the previous refresh"
    ) { p, _ in p.cpuPercent.map { Format.fixed($0, decimals: 1) } ?? "-" }

    public static let time = Column(
        id: "time", title: "TIME+", width: 9, sort: Sort(compare: { order($0.cpuTicks, $1.cpuTicks) }, descending: true),
        aliases: ["cpu_time", "cpu_time_s", "cputime"],
        json: [JSONField(name: "cpu_time_s") { p, c in .number(Double(p.cpuTicks) / c.ticksPerSecond, decimals: 2) }],
        help: "User and system CPU time"
    ) { p, c in Format.cpuTime(ticks: p.cpuTicks, ticksPerSecond: c.ticksPerSecond) }

    /// Sorted by start ticks, which is exact even when the boot time is unknown.
    public static let start = Column(
        id: "start", title: "START", width: 5, sort: Sort(compare: { order($0.startTicks, $1.startTicks) }, descending: false),
        aliases: ["start_time", "stime", "lstart"],
        json: [JSONField(name: "start_time") { p, _ in p.startTime.map { .string(Format.rfc3339($0)) } ?? .null }],
        help: "When the process started (local time: HH:MM today, else the day, else the year)"
    ) { p, c in p.startTime.map { Format.startTime($0, now: c.now) } ?? "-" }

    private static let byName: @Sendable (ProcessEntry, ProcessEntry) -> Int = { a, b in order(a.name.lowercased(), b.name.lowercased()) }
}

extension ProcessEntry {
    /// The user's name, else the uid as a number; nil when status was unreadable.
    public var userOrUID: String? { user ?? uid.map(String.init) }
}
