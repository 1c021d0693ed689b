import ArgumentParser
import ProcFS
import ProcessControl
import OutputFormats
import ProcessModel

/// Pids as typed on the command line. Parsed by hand (not as Int32 options) so that "0" and "-1"
/// reach ProcessControl's refusal, with its reason, rather than being taken for options.
struct PIDList: ParsableArguments {
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Process ids.", valueName: "PID"))
    var pids: [String] = []

    func validate() throws {
        // Taken here by `.allUnrecognized`: an option the command does not have.
        for text in values where text.hasPrefix("-") && Int64(text) == nil {
            throw ValidationError("Unknown option '\(text)'")
        }
        guard !values.isEmpty else { throw ValidationError("missing PID") }
        for text in values {
            if case .failure(let problem) = PIDText.one(text) { throw ValidationError(problem.message) }
        }
    }

    /// Without the "--" a user may type before a negative pid.
    var values: [String] { pids.filter { $0 != "--" } }

    /// Each pid once, in the order given: a pid typed twice is acted on once.
    var targets: [ProcessTarget] {
        var seen = Set<Int32>()
        return values.compactMap(Int32.init).filter { seen.insert($0).inserted }.map { ProcessTarget(pid: $0) }
    }
}

/// `--readonly` for the commands that act: honoured by refusing to change anything, as the
/// screen's --readonly does (an alias `swtop='swtop --readonly'` keeps its promise).
struct ReadonlyOption: ParsableArguments {
    @Flag(help: "Change nothing: refuse to act (as the screen's --readonly).")
    var readonly = false

    /// Throws the refusal when --readonly was given.
    func refuse(_ what: String) throws {
        if readonly { throw Failure("--readonly: \(what) refused, nothing changed") }
    }
}

func label(_ pid: Int32, _ name: String?) -> String {
    name.map { "\(pid) (\(DisplayText.escaped($0)))" } ?? String(pid)
}

/// `swtop stop PID... [--grace SECONDS]`
struct Stop: ParsableCommand {
    // Every command names itself: without a name ArgumentParser derives one with
    // String(describing:), whose dynamic cast reads every protocol conformance in the binary
    // (about 0.8 MB of peak RSS, at every start).
    static let configuration = CommandConfiguration(
        commandName: "stop",
        // Parsed on its own (CommandStart): its usage still reads "swtop stop".
        _superCommandName: "swtop",
        abstract: "Stop processes gracefully: SIGTERM, wait up to the grace period, then SIGKILL.",
        discussion: """
            Each target is opened as a pidfd and checked before anything is sent, so a PID that \
            exits or is reused meanwhile gets nothing. Targets are stopped in parallel. Prints one \
            line per process saying exactly what happened.
            Exit status: 0 every target exited after SIGTERM; 3 any needed SIGKILL; 1 any could not \
            be signalled (or survived SIGKILL).
            """)

    @OptionGroup var targets: PIDList

    @Option(help: ArgumentHelp("Seconds to wait after SIGTERM before SIGKILL.", valueName: "SECONDS"))
    var grace: Double = 10

    @OptionGroup var readonly: ReadonlyOption

    func validate() throws {
        try OptionValue.check(grace, "--grace", 0...3600)
    }

    func run() throws {
        try Self.reportingFailures { try readonly.refuse("stop") }
        let results = GracefulStop(grace: grace).run(targets.targets)
        var status: Int32 = 0
        for r in results {
            let line = "\(label(r.target.pid, r.name)): \(r.outcome)"
            if r.outcome.isFailure {
                Output.error(line)
                status = 1
            } else {
                Output.line(line)
                if r.outcome.neededKill && status == 0 { status = 3 }
            }
        }
        if status != 0 { throw ExitCode(status) }
    }
}

/// `swtop renice NICE PID...`
struct ReniceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renice",
        // Parsed on its own (CommandStart): its usage still reads "swtop renice".
        _superCommandName: "swtop",
        abstract: "Set the nice value (-20 to 19) of every thread of each process.",
        discussion: """
            As renice(1), `swtop renice -n NICE [-p] PID...` works too. Lowering nice (raising \
            priority) needs root or CAP_SYS_NICE. Each thread is checked to be the process's just \
            before and after it is changed: one that took over a pid meanwhile is put back as it \
            was, and said so. Exit status 1 when any process could not be changed.
            """)

    @Argument(help: ArgumentHelp("The nice value, -20 (highest priority) to 19; `swtop renice -5 PID` works as with renice(1).", valueName: "NICE"))
    var nice: String

    @OptionGroup var targets: PIDList

    @OptionGroup var readonly: ReadonlyOption

    func validate() throws {
        guard let n = Int32(nice), Renice.range.contains(n) else {
            throw ValidationError("invalid nice '\(nice)': expected an integer from -20 to 19")
        }
    }

    func run() throws {
        guard let n = Int32(nice) else { throw ExitCode(64) }
        try Self.reportingFailures { try readonly.refuse("renice") }
        var failed = false
        for target in targets.targets {
            switch Renice.apply(n, to: target) {
            case .success(let report): Output.line("\(label(report.pid, report.name)): \(report)")
            case .failure(let error):
                Output.error("\(target.pid): \(error)")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// `swtop limits PID [--json]`, `swtop limits PID --set RESOURCE=SOFT[:HARD]`
struct LimitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limits",
        // Parsed on its own (CommandStart): its usage still reads "swtop limits".
        _superCommandName: "swtop",
        abstract: "Show a process's resource limits, or change one with --set.",
        discussion: """
            RESOURCE is one of cpu fsize data stack core rss nproc nofile memlock as locks sigpending \
            msgqueue nice rtprio rttime. SOFT and HARD are numbers or 'unlimited'; ':HARD' changes only \
            the hard limit. Raising a hard limit needs root (CAP_SYS_RESOURCE).
            """)

    @Argument(help: ArgumentHelp("The process.", valueName: "PID"))
    var pid: String

    @Flag(help: "Print the limits as JSON.")
    var json = false

    @Option(help: ArgumentHelp("Change a limit.", valueName: "RESOURCE=SOFT[:HARD]"))
    var set: [String] = []

    /// With --set: refused. Showing the limits stays allowed, as on the screen.
    @OptionGroup var readonly: ReadonlyOption

    func validate() throws {
        if case .failure(let problem) = PIDText.one(pid) { throw ValidationError(problem.message) }
        for s in set {
            if case .failure(let error) = ResourceLimits.Change.parse(s) { throw ValidationError("--set \(s): \(error)") }
        }
    }

    func run() throws {
        guard let pidValue = Int32(pid) else { throw ExitCode(64) }
        let target = ProcessTarget(pid: pidValue)
        if !set.isEmpty { try Self.reportingFailures { try readonly.refuse("limits --set") } }
        for text in set {
            guard case .success(let change) = ResourceLimits.Change.parse(text) else { throw ExitCode(64) }
            switch ResourceLimits.apply(change, to: target) {
            case .success(let limit):
                Output.line("\(pidValue): \(limit.resource) soft \(limit.soft) hard \(limit.hard)")
            case .failure(let error):
                Output.error("\(pidValue): \(error)")
                throw ExitCode(1)
            }
        }
        if !set.isEmpty { return }
        switch ResourceLimits.read(target) {
        case .failure(let error):
            Output.error("\(pidValue): \(error)")
            throw ExitCode(1)
        case .success(let (handle, limits)):
            if json {
                Output.write(LimitsTable.json(pid: handle.pid, name: handle.name, limits: limits))
            } else {
                Output.line(LimitsTable.render(limits))
            }
        }
    }
}
