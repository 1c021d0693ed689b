import ArgumentParser
import ProcFS
import ProcessModel

@main
struct Swtop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swtop",
        abstract: "An htop-like process monitor for Linux servers.",
        discussion: """
            Without --once, swtop starts the interactive screen. With --once it prints one \
            snapshot and exits: a plain table, or the "swtop/1" JSON document with --json.
            """,
        version: Version.text,
        // Listed for `swtop --help` and `swtop help COMMAND`; a command line that names one
        // first is parsed as that command alone (CommandStart).
        subcommands: [Events.self, Record.self, Stop.self, SignalCommand.self, ReniceCommand.self, LimitsCommand.self, Export.self, Run.self]
    )

    @OptionGroup var options: ProcessOptions

    @Flag(help: "Print one snapshot and exit.")
    var once = false

    @Flag(help: "With --once: print the snapshot as JSON (schema \"swtop/1\"; see the README).")
    var json = false

    @Flag(help: "With --once --json: include each process's resource limits (/proc/PID/limits); `swtop limits PID` shows one process's as a table.")
    var limits = false

    @Option(name: [.customShort("o"), .customLong("fields")], help: ArgumentHelp("With --once: print only these columns, in the table and the JSON (comma-separated names --sort-key takes, as ps -o: pid,ppid,stat,rss,vsz,nlwp,ni,comm); pid is always included, and only the files they need are read.", valueName: "LIST"))
    var fields: [String] = []

    @Flag(help: "A row per thread, with its tid (on the screen: start with userland threads shown, as H).")
    var threads = false

    @Option(help: ArgumentHelp("With --once: seconds between the two samples that give CPU%; 0 takes one sample (CPU% is then null). A replayed --proc-root has one sample.", valueName: "SECONDS"))
    var interval: Double = 0.5

    @Option(name: [.short, .customLong("delay")], help: ArgumentHelp("The screen's refresh delay in tenths of a second, as in htop.", valueName: "TENTHS"))
    var delay: Int?

    @Flag(name: [.customShort("C"), .customLong("no-color")], help: "Use no colours on the screen (also when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "Do not allow processes to be changed from the screen.")
    var readonly = false

    @Flag(name: .customLong("no-config"), help: "Neither read nor write the settings file ($XDG_CONFIG_HOME/swtop/swtoprc).")
    var noConfig = false

    // Not --grace: `swtop stop` has a --grace of its own, and ArgumentParser gives a parent's
    // option the value when both have the name (`swtop stop PID --grace 1` would get 10 s).
    @Option(name: .customLong("stop-grace"), help: ArgumentHelp("The screen's graceful stop (F9): seconds between SIGTERM and SIGKILL.", valueName: "SECONDS"))
    var screenGrace: Double = 10

    @Option(help: ArgumentHelp("The journal whose last 24 h the screen's events view (E) shows before the live events (\(JournalOptions.defaultDirectoryWords); written by swtop events --record).", valueName: "DIR"))
    var journal: String?

    static func main() {
        CommandStart.main(NegativeArguments.checked(ToolHabits.rewritten(Array(CommandLine.arguments.dropFirst()))))
    }

    func validate() throws {
        if let delay {
            try OptionValue.check(Double(delay), "--delay", 1...36_000, shown: String(delay), unit: "tenths of a second")
        }
        try OptionValue.check(interval, "--interval", 0...3600)
    }

    func run() throws {
        // Checked here, not in validate(): ArgumentParser validates parent commands too, and
        // `swtop limits PID --json` has a --json of its own.
        if json && !once { throw ValidationError("--json needs --once") }
        // The plain table has no room for sixteen limits a process: `swtop limits PID` shows them.
        if limits && !(once && json) { throw ValidationError("--limits needs --once --json (for one process's limits as a table: swtop limits PID)") }
        try OptionValue.check(screenGrace, "--stop-grace", 0...3600)
        try JournalOptions.check(journal: journal)
        if journal != nil && once { throw ValidationError("--journal needs the screen (recorded events without it: swtop events --since WHEN --journal DIR)") }
        if !fields.isEmpty && !once { throw ValidationError("--fields needs --once") }
        // An unknown field is one line, naming the valid ones, and the usage status.
        var chosen: [Column]?
        do {
            if !fields.isEmpty { chosen = try FieldList.parse(fields, threads: threads) }
        } catch {
            Output.error(error.description)
            throw ExitCode(64)
        }
        try Self.reportingFailures {
            guard once else {
                try Screen(command: self).run()
                return
            }
            try Once(command: self, fields: chosen).run()
        }
    }
}

/// A runtime failure: one line on stderr, exit status 1.
struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension ParsableCommand {
    /// Runs `body`, turning a Failure into its one line on stderr and exit status 1.
    static func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as Failure {
            Output.error(failure.description)
            throw ExitCode(1)
        } catch let failure as ProcRootError {
            Output.error(failure.description)
            throw ExitCode(1)
        }
    }
}
