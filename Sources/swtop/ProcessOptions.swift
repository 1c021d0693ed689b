import ArgumentParser
import ProcFS
import ProcessModel

// The option groups, each declared once and taken by the commands that use it (a command
// parsed alone accepts only its own: see CommandStart):
// - SourceOptions (--proc-root): the screen and --once, `record`, `export`.
// - SelectionOptions (-p, -u, -F): the screen and --once, `events`.
// - ProcessOptions: the screen's and --once's whole set: the two above, plus the services
//   (--unit, --container) and the arrangement (--tree, --group-by, --sort-key).
// An option for --once's output belongs with --once's flags in Swtop.

/// Where processes are read from.
struct SourceOptions: ParsableArguments {
    @Option(name: .customLong("proc-root"), help: ArgumentHelp("Read processes from DIR instead of /proc (e.g. a tree written by `swtop record`).", valueName: "DIR"))
    var procRoot: String = "/proc"
}

/// Which processes, as ps and htop choose them.
struct SelectionOptions: ParsableArguments {
    @Option(name: [.short, .customLong("pid")], help: ArgumentHelp("Show only these processes (comma-separated pids; -p may be repeated, as with ps).", valueName: "LIST"))
    var pids: [String] = []

    @Option(name: [.short, .customLong("user")], help: ArgumentHelp("Show only processes of this user (name or uid).", valueName: "USER"))
    var user: String?

    @Option(name: [.customShort("F"), .customLong("filter")], help: ArgumentHelp("Show only processes whose name or command line contains TEXT (case-insensitive; 'a|b' matches either).", valueName: "TEXT"))
    var filter: String?

    func validate() throws {
        _ = try pidSet()
        _ = try uid()
    }

    /// Whether any of them was given.
    var isEmpty: Bool { pids.isEmpty && user == nil && filter == nil }

    func pidSet() throws -> Set<Int32>? {
        guard !pids.isEmpty else { return nil }
        switch PIDText.list(pids) {
        case .success(let set): return set
        case .failure(let problem): throw ValidationError(problem.message)
        }
    }

    func uid() throws -> UInt32? {
        guard let user else { return nil }
        if let number = Int64(user), number < 0 {
            throw ValidationError("invalid --user '\(user)': a uid must not be negative")
        }
        guard let uid = UserNames.uid(forUser: user) else {
            throw ValidationError("unknown user '\(user)' in --user")
        }
        return uid
    }

    func processFilter() throws -> ProcessFilter {
        ProcessFilter(pids: try pidSet(), uid: try uid(), text: filter)
    }
}

/// The options that choose and arrange processes, for `--once` and the screen.
struct ProcessOptions: ParsableArguments {
    @OptionGroup var source: SourceOptions
    @OptionGroup var selection: SelectionOptions

    @Flag(name: [.short, .customLong("tree")], help: "Show the process tree (parents before their children).")
    var tree = false

    @Option(help: ArgumentHelp("Show only processes of this systemd unit ('nginx' means nginx.service), or of any unit or slice under it (user@1000.service, system.slice).", valueName: "UNIT"))
    var unit: String?

    @Option(help: ArgumentHelp("Show only processes of this container: a prefix of its id (as docker ps shows it) or its name.", valueName: "ID|NAME"))
    var container: String?

    @Option(name: .customLong("group-by"), help: ArgumentHelp("Group processes by 'cgroup' (slice, unit, container) instead of listing them by pid or tree, as systemd-cgls; with --json each process gets its depth.", valueName: "cgroup"))
    var groupBy: String?

    @Option(name: [.short, .customLong("sort-key")], help: ArgumentHelp("Sort by KEY, a column: \(Column.sortable.map(\.id).joined(separator: ", ")) (or its title). rss, vsz, mem, cpu, time, zombie_children, the I/O and the OOM columns sort largest first.", valueName: "KEY"))
    var sortKey: String?

    func validate() throws {
        _ = try sort()
        _ = try cgroupGrouping()
        if groupBy != nil, tree { throw ValidationError("--group-by and --tree cannot be used together") }
        if unit?.isEmpty == true { throw ValidationError("empty --unit") }
        if container?.isEmpty == true { throw ValidationError("empty --container") }
    }

    var procRoot: String { source.procRoot }
    var filter: String? { selection.filter }
    var user: String? { selection.user }
    func pidSet() throws -> Set<Int32>? { try selection.pidSet() }
    func uid() throws -> UInt32? { try selection.uid() }

    /// Whether any option leaves processes out (ps exits 1 when such a choice selects none).
    var selects: Bool { !selection.isEmpty || unit != nil || container != nil }

    /// Whether the listing needs each process's cgroup.
    var needsCgroup: Bool { unit != nil || container != nil || groupBy != nil }

    /// `--group-by cgroup`.
    func cgroupGrouping() throws -> Bool {
        guard let groupBy else { return false }
        guard groupBy == "cgroup" else {
            throw ValidationError("invalid --group-by '\(groupBy)': expected 'cgroup' (swtop export groups by auto, unit, container, name or user)")
        }
        return true
    }

    func sort() throws -> Column? {
        guard let sortKey else { return nil }
        guard let key = Column.named(sortKey), key.sort != nil else {
            throw ValidationError("unknown sort key '\(sortKey)' in --sort-key: expected one of \(Column.sortable.map(\.id).joined(separator: ", "))")
        }
        return key
    }

    func listing() throws -> ProcessListing {
        ProcessListing(
            filter: ProcessFilter(pids: try pidSet(), uid: try uid(), text: filter, unit: unit, container: container),
            sortKey: try sort(), tree: tree, byCgroup: try cgroupGrouping())
    }
}
