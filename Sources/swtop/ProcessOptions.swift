import ArgumentParser
import ProcFS
import ProcessModel

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

    @Option(name: [.short, .customLong("sort-key")], help: ArgumentHelp("Sort by KEY, a column: \(Column.sortable.map(\.id).joined(separator: ", ")) (or its title). rss, vsz, mem, cpu and time sort largest first.", valueName: "KEY"))
    var sortKey: String?

    func validate() throws {
        _ = try pidSet()
        _ = try uid()
        _ = try sort()
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
        ProcessListing(filter: ProcessFilter(pids: try pidSet(), uid: try uid(), text: filter), sortKey: try sort(), tree: tree)
    }
}
