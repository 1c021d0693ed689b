import ArgumentParser
import PrometheusExport

extension GroupBy: ExpressibleByArgument {}
extension TopBy: ExpressibleByArgument {}

/// The options of `swtop export` that shape the exposition, shared by swtop and
/// swtop-exporter (which `swtop export --listen` runs with them).
public struct ExportOptions: ParsableArguments {
    @Option(name: .customLong("group-by"), help: ArgumentHelp("Group processes by unit, container, name (the command name) or user. Default (auto): the unit where there is one, else the container, else the name.", valueName: "KEY"))
    public var groupBy: GroupBy = .automatic

    @Flag(name: .customLong("per-process"), help: "Add a series per process for the top processes (see --top, --top-by).")
    public var perProcess = false

    @Option(help: ArgumentHelp("With --per-process: how many processes.", valueName: "N"))
    public var top: Int = 10

    @Option(name: .customLong("top-by"), help: ArgumentHelp("With --per-process: rank by cpu (used since the previous exposition) or memory (resident).", valueName: "KEY"))
    public var topBy: TopBy = .cpu

    @Option(name: .customLong("max-groups"), help: ArgumentHelp("Groups with series of their own in each family; the processes (and ends) of the rest are counted under group=\"other\".", valueName: "N"))
    public var maxGroups: Int = ExportSettings.defaultMaxGroups

    public init() {}

    public func validate() throws {
        guard (0...10_000).contains(top) else {
            throw ValidationError("invalid --top '\(top)': expected 0 to 10000")
        }
        guard (1...100_000).contains(maxGroups) else {
            throw ValidationError("invalid --max-groups '\(maxGroups)': expected 1 to 100000")
        }
    }

    public var settings: ExportSettings {
        ExportSettings(groupBy: groupBy, perProcess: perProcess, top: top, topBy: topBy, maxGroups: maxGroups)
    }

    /// The same options as arguments, to hand to another program.
    public var arguments: [String] {
        var out = ["--group-by", groupBy.rawValue, "--top", String(top), "--top-by", topBy.rawValue, "--max-groups", String(maxGroups)]
        if perProcess { out.append("--per-process") }
        return out
    }
}
