import ArgumentParser
import ProcFS
import ProcessModel
import PrometheusExport

/// The options that choose and arrange processes, shared by `--once` and the screen.
struct ProcessOptions: ParsableArguments {
    @Option(name: .customLong("proc-root"), help: ArgumentHelp("Read processes from DIR instead of /proc (e.g. a tree written by `swtop record`).", valueName: "DIR"))
    var procRoot: String = "/proc"

    @Option(name: [.short, .customLong("pid")], help: ArgumentHelp("Show only these processes (comma-separated pids; -p may be repeated, as with ps).", valueName: "LIST"))
    var pids: [String] = []

    @Option(name: [.short, .customLong("user")], help: ArgumentHelp("Show only processes of this user (name or uid).", valueName: "USER"))
    var user: String?

    @Option(name: [.customShort("F"), .customLong("filter")], help: ArgumentHelp("Show only processes whose name or command line contains TEXT (case-insensitive; 'a|b' matches either).", valueName: "TEXT"))
    var filter: String?

    @Flag(name: [.short, .customLong("tree")], help: "Show the process tree (parents before their children).")
    var tree = false

    @Option(help: ArgumentHelp("Show only processes of this systemd unit ('nginx' means nginx.service), or of any unit or slice under it (user@1000.service, system.slice).", valueName: "UNIT"))
    var unit: String?

    @Option(help: ArgumentHelp("Show only processes of this container: a prefix of its id (as docker ps shows it) or its name.", valueName: "ID|NAME"))
    var container: String?

    // `swtop export` has a --group-by of its own (auto, unit, container, name, user); ArgumentParser
    // gives this one the value when it follows the subcommand, so both kinds are taken here and
    // each command checks its own (see `cgroupGrouping`, Export).
    @Option(name: .customLong("group-by"), help: ArgumentHelp("Group processes by 'cgroup' (slice, unit, container) instead of listing them by pid or tree, as systemd-cgls; with --json each process gets its depth. (For `swtop export`: auto, unit, container, name or user.)", valueName: "cgroup"))
    var groupBy: String?

    @Option(name: [.short, .customLong("sort-key")], help: ArgumentHelp("Sort by KEY, a column: \(Column.sortable.map(\.id).joined(separator: ", ")) (or its title). rss, vsz, mem, cpu, time, zombie_children, the I/O and the OOM columns sort largest first.", valueName: "KEY"))
    var sortKey: String?

    func validate() throws {
        _ = try pidSet()
        _ = try uid()
        _ = try sort()
        if let groupBy, groupBy != "cgroup", GroupBy(rawValue: groupBy) == nil {
            throw ValidationError("invalid --group-by '\(groupBy)': expected 'cgroup' (or, for swtop export, one of \(GroupBy.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        if groupBy != nil, tree { throw ValidationError("--group-by and --tree cannot be used together") }
        if unit?.isEmpty == true { throw ValidationError("empty --unit") }
        if container?.isEmpty == true { throw ValidationError("empty --container") }
    }

    /// Whether the listing needs each process's cgroup.
    var needsCgroup: Bool { unit != nil || container != nil || groupBy != nil }

    /// `--group-by cgroup`, for --once and the screen (export's groupings are refused there).
    func cgroupGrouping() throws -> Bool {
        guard let groupBy else { return false }
        guard groupBy == "cgroup" else {
            throw ValidationError("invalid --group-by '\(groupBy)': expected 'cgroup' (\(GroupBy.allCases.map(\.rawValue).joined(separator: ", ")) group `swtop export`)")
        }
        return true
    }

    func pidSet() throws -> Set<Int32>? {
        guard !pids.isEmpty else { return nil }
        var set = Set<Int32>()
        for part in pids.joined(separator: ",").split(separator: ",", omittingEmptySubsequences: false) {
            let text = TextLayout.trimmed(part)
            guard let pid = Int32(text), pid > 0 else {
                throw ValidationError("invalid pid '\(text)' in --pid: expected positive integers separated by commas")
            }
            set.insert(pid)
        }
        return set
    }

    func uid() throws -> UInt32? {
        guard let user else { return nil }
        guard let uid = UserNames.uid(forUser: user) else {
            throw ValidationError("unknown user '\(user)' in --user")
        }
        return uid
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
