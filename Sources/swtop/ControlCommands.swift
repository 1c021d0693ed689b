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
        guard !values.isEmpty else { throw ValidationError("missing PID") }
        for text in values where Int32(text) == nil {
            throw ValidationError("invalid pid '\(text)': expected an integer")
        }
    }

    /// Without the "--" a user may type before a negative pid.
    var values: [String] { pids.filter { $0 != "--" } }

    var targets: [ProcessTarget] { values.compactMap(Int32.init).map { ProcessTarget(pid: $0) } }
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
        abstract: "Stop processes gracefully: SIGTERM, wait up to the grace period, then SIGKILL.",
        discussion: """
            Each target is opened as a pidfd and checked before anything is sent, so a PID that \
            exits or is reused meanwhile gets nothing. Targets are stopped in parallel. Prints one \
            line per process saying exactly what happened.
            Exit status: 0 every target exited after SIGTERM; 3 any needed SIGKILL; 1 any could not \
            be signalled (or survived SIGKILL).
            """)

    @OptionGroup var targets: PIDList

    @ParentCommand var swtop: Swtop

    @Option(help: ArgumentHelp("Seconds to wait after SIGTERM before SIGKILL.", valueName: "SECONDS"))
    var grace: Double = 10

    func validate() throws {
        try swtop.requireLiveProcesses("stop")
        guard grace.isFinite, grace >= 0, grace <= 3600 else {
            throw ValidationError("invalid --grace '\(grace)': expected seconds from 0 to 3600")
        }
    }

    func run() throws {
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

/// `swtop signal SIGNAL PID...`
struct SignalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signal",
        abstract: "Send a signal (TERM, HUP, KILL, INT, QUIT, USR1, USR2, STOP, CONT, any other by name or number).",
        discussion: "Exit status: 0 when every target was signalled, 1 otherwise (a one-line reason each on stderr).")

    @Argument(help: ArgumentHelp("The signal: a name (TERM, SIGTERM) or a number (15); also -15 or -TERM, as kill(1) takes it.", valueName: "SIGNAL"))
    var signal: String

    @OptionGroup var targets: PIDList

    @ParentCommand var swtop: Swtop

    func validate() throws {
        try swtop.requireLiveProcesses("signal")
        guard Signal(parsing: signal) != nil else {
            throw ValidationError("unknown signal '\(signal)': expected a name such as TERM or HUP, or a number from 1 to 64")
        }
    }

    func run() throws {
        guard let sig = Signal(parsing: signal) else { throw ExitCode(64) }
        var failed = false
        for target in targets.targets {
            switch ProcessHandle.open(target) {
            case .failure(let error):
                Output.error("\(target.pid): \(error)")
                failed = true
            case .success(let handle):
                switch handle.send(sig) {
                case .success: Output.line("sent \(sig) to \(label(handle.pid, handle.name))")
                case .failure(let error):
                    Output.error("\(label(handle.pid, handle.name)): \(error)")
                    failed = true
                }
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// `swtop renice NICE PID...`
struct ReniceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renice",
        abstract: "Set the nice value (-20 to 19) of every thread of each process.",
        discussion: "Lowering nice (raising priority) needs root or CAP_SYS_NICE. Exit status 1 when any process could not be changed.")

    @Argument(help: ArgumentHelp("The nice value, -20 (highest priority) to 19; `swtop renice -5 PID` works as with renice(1).", valueName: "NICE"))
    var nice: String

    @OptionGroup var targets: PIDList

    @ParentCommand var swtop: Swtop

    func validate() throws {
        try swtop.requireLiveProcesses("renice")
        guard let n = Int32(nice), Renice.range.contains(n) else {
            throw ValidationError("invalid nice '\(nice)': expected an integer from -20 to 19")
        }
    }

    func run() throws {
        guard let n = Int32(nice) else { throw ExitCode(64) }
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

    /// swtop's own --json takes the flag when it follows the subcommand; read both.
    @ParentCommand var swtop: Swtop

    @Option(help: ArgumentHelp("Change a limit.", valueName: "RESOURCE=SOFT[:HARD]"))
    var set: [String] = []

    func validate() throws {
        try swtop.requireLiveProcesses("limits")
        guard Int32(pid) != nil else { throw ValidationError("invalid pid '\(pid)': expected an integer") }
        for s in set {
            if case .failure(let error) = ResourceLimits.Change.parse(s) { throw ValidationError("--set \(s): \(error)") }
        }
    }

    func run() throws {
        guard let pidValue = Int32(pid) else { throw ExitCode(64) }
        let target = ProcessTarget(pid: pidValue)
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
            if json || swtop.json {
                Output.write(LimitsTable.json(pid: handle.pid, name: handle.name, limits: limits))
            } else {
                Output.line(LimitsTable.render(limits))
            }
        }
    }
}
