import ArgumentParser
import Journal
import ProcessModel

/// `swtop events`' filters, which choose the events alike when they are live, recorded and
/// read back: --name, --unit, --container, --outcome, --failures (-p, -u and -F are swtop's,
/// SelectionOptions).
struct EventFilters: ParsableArguments {
    @Option(help: ArgumentHelp("Only events of processes with exactly this name.", valueName: "NAME"))
    var name: String?

    @Option(help: ArgumentHelp("Only events of processes of this systemd unit ('nginx' means nginx.service), or of any unit or slice under it (user@1000.service, system.slice), as --once chooses them.", valueName: "UNIT"))
    var unit: String?

    @Option(help: ArgumentHelp("Only events of processes of this container: a prefix of its id (as docker ps shows it) or its name, as --once chooses them.", valueName: "ID|NAME"))
    var container: String?

    @Option(help: ArgumentHelp("Only exits and zombies that ended so (and crash loops whose last run did): \(EventSelection.outcomeNames.joined(separator: ", ")).", valueName: "OUTCOME"))
    var outcome: String?

    @Flag(help: "Only failures: exits and zombies that did not exit 0, and crash loops.")
    var failures = false

    func validate() throws {
        if let outcome, !EventSelection.outcomeNames.contains(outcome) {
            throw ValidationError("invalid --outcome '\(outcome)': expected one of \(EventSelection.outcomeNames.joined(separator: ", "))")
        }
        if name?.isEmpty == true { throw ValidationError("empty --name") }
        if unit?.isEmpty == true { throw ValidationError("empty --unit") }
        if container?.isEmpty == true { throw ValidationError("empty --container") }
    }

    /// The events of the processes `process` chooses that these filters keep.
    func selection(_ process: ProcessFilter) -> EventSelection {
        var process = process
        process.unit = unit
        process.container = container
        return EventSelection(process: process, name: name, outcome: outcome, failuresOnly: failures)
    }
}
