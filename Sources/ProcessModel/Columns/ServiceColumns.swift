import ProcFS

/// The columns of issue 10: what a process belongs to (cgroup, unit, container, PID namespace),
/// its zombie children, its storage I/O and its OOM score.
extension Column {
    public static let cgroup = Column(
        id: "cgroup", title: "CGROUP", width: 32, alignment: .left, files: .cgroup,
        sort: Sort(compare: { order($0.cgroup, $1.cgroup) }, descending: false),
        json: [JSONField(name: "cgroup") { p, _ in p.cgroup.map { .string($0) } ?? .null }],
        help: "cgroup path (v2, else the name=systemd hierarchy's)"
    ) { p, _ in p.cgroup.map(DisplayText.escaped) ?? "-" }

    public static let unit = Column(
        id: "unit", title: "UNIT", width: 24, alignment: .left, files: .cgroup,
        sort: Sort(compare: { order($0.unit, $1.unit) }, descending: false),
        json: [JSONField(name: "unit") { p, _ in p.unit.map { .string($0) } ?? .null }],
        help: "systemd unit it runs in (a user service by its own name)"
    ) { p, _ in p.unit.map(DisplayText.escaped) ?? "-" }

    /// The screen shows the name when the runtime keeps one readable, else the id's first 12
    /// characters, as `docker ps` does.
    public static let container = Column(
        id: "container", title: "CONTAINER", width: 14, alignment: .left, files: .cgroup,
        sort: Sort(compare: { order($0.membership?.containerLabel, $1.membership?.containerLabel) }, descending: false),
        json: [JSONField(name: "container") { p, _ in
            guard let c = p.container else { return .null }
            return .object([
                JSONMember("runtime", .string(c.runtime)), JSONMember("id", .string(c.id)),
                JSONMember("pod", c.pod.map { .string($0) } ?? .null), JSONMember("name", c.name.map { .string($0) } ?? .null),
            ])
        }],
        help: "Container (Docker, Podman, containerd, CRI-O, LXC, nspawn): name, else short id"
    ) { p, _ in p.membership?.containerLabel.map(DisplayText.escaped) ?? "-" }

    /// "1 main" marks PID 1 of a namespace: a container's main process.
    public static let nsPID = Column(
        id: "ns_pid", title: "NSPID", width: 7, files: .status,
        sort: Sort(compare: { order($0.nsPID, $1.nsPID) }, descending: false), aliases: ["nspid"],
        json: [
            JSONField(name: "ns_pid") { p, _ in p.nsPID.map { .int(Int64($0)) } ?? .null },
            JSONField(name: "pid_namespace_init") { p, _ in .bool(p.isNamespaceInit) },
        ],
        help: "PID inside its own PID namespace; '1 main': PID 1 of a container"
    ) { p, _ in p.isNamespaceInit ? "1 main" : p.nsPID.map(String.init) ?? "-" }

    /// A "!" marks a process that has held a zombie child longer than ReapingCheck.patience.
    public static let zombieChildren = Column(
        id: "zombie_children", title: "ZOMB", width: 5,
        sort: Sort(compare: { order($0.zombieChildren, $1.zombieChildren) }, descending: true), aliases: ["zombies"],
        json: [JSONField(name: "zombie_children") { p, _ in p.isSecondaryThread ? nil : .int(Int64(p.zombieChildren)) }],
        help: "Zombie children not reaped ('!': for over 5 s, it does not reap)"
    ) { p, _ in
        guard p.zombieChildren > 0 else { return "0" }
        return String(p.zombieChildren) + (ReapingCheck.judge(p).mark == .notReaping ? "!" : "")
    }

    public static let ioReadRate = Column(
        id: "io_read_rate", title: "DISK READ", width: 9, files: .io,
        sort: Sort(compare: { order($0.ioReadRate, $1.ioReadRate) }, descending: true), aliases: ["io_read_bps", "rbps"],
        json: [JSONField(name: "io_read_bps") { p, c in c.singleSample ? .null : p.ioReadRate.map { .number($0, decimals: 0) } ?? .null }],
        help: "Storage bytes read a second (needs access: root, or your own)"
    ) { p, _ in p.ioReadRate.map(Format.rate) ?? "-" }

    public static let ioWriteRate = Column(
        id: "io_write_rate", title: "DISK WRITE", width: 10, files: .io,
        sort: Sort(compare: { order($0.ioWriteRate, $1.ioWriteRate) }, descending: true), aliases: ["io_write_bps", "wbps"],
        json: [JSONField(name: "io_write_bps") { p, c in c.singleSample ? .null : p.ioWriteRate.map { .number($0, decimals: 0) } ?? .null }],
        help: "Storage bytes written a second (needs access: root, or your own)"
    ) { p, _ in p.ioWriteRate.map(Format.rate) ?? "-" }

    public static let ioRate = Column(
        id: "io_rate", title: "DISK R/W", width: 9, files: .io,
        sort: Sort(compare: { order($0.ioRate, $1.ioRate) }, descending: true), aliases: ["io_bps"],
        json: [],
        help: "Storage bytes read and written a second"
    ) { p, _ in p.ioRate.map(Format.rate) ?? "-" }

    public static let ioReadBytes = Column(
        id: "io_read_bytes", title: "IO_RBYTES", width: 9, files: .io,
        sort: Sort(compare: { order($0.ioReadBytes, $1.ioReadBytes) }, descending: true), aliases: ["rbytes"],
        json: [JSONField(name: "io_read_bytes") { p, _ in p.ioReadBytes.map { .unsigned($0) } ?? .null }],
        help: "Storage bytes read since it started"
    ) { p, _ in p.ioReadBytes.map(Format.bytes) ?? "-" }

    public static let ioWriteBytes = Column(
        id: "io_write_bytes", title: "IO_WBYTES", width: 9, files: .io,
        sort: Sort(compare: { order($0.ioWriteBytes, $1.ioWriteBytes) }, descending: true), aliases: ["wbytes"],
        json: [JSONField(name: "io_write_bytes") { p, _ in p.ioWriteBytes.map { .unsigned($0) } ?? .null }],
        help: "Storage bytes written since it started"
    ) { p, _ in p.ioWriteBytes.map(Format.bytes) ?? "-" }

    public static let oomScore = Column(
        id: "oom_score", title: "OOM", width: 4, files: .oom,
        sort: Sort(compare: { order($0.oomScore, $1.oomScore) }, descending: true), aliases: ["oom"],
        json: [JSONField(name: "oom_score") { p, _ in p.oomScore.map { .int(Int64($0)) } ?? .null }],
        help: "OOM score: the highest is killed first when memory runs out"
    ) { p, _ in p.oomScore.map(String.init) ?? "-" }

    public static let oomScoreAdj = Column(
        id: "oom_score_adj", title: "OOM_ADJ", width: 7, files: .oom,
        sort: Sort(compare: { order($0.oomScoreAdj, $1.oomScoreAdj) }, descending: true), aliases: ["oom_adj"],
        json: [JSONField(name: "oom_score_adj") { p, _ in p.oomScoreAdj.map { .int(Int64($0)) } ?? .null }],
        help: "OOM score adjustment, -1000 (never) to 1000"
    ) { p, _ in p.oomScoreAdj.map(String.init) ?? "-" }
}
