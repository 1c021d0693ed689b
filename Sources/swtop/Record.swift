import ArgumentParser
import ProcFS

/// `swtop record DIR`: the live /proc as a fixture tree.
struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        // Parsed on its own (CommandStart): its usage still reads "swtop record".
        _superCommandName: "swtop",
        abstract: "Write /proc as a tree of plain files, to replay with --proc-root or attach to a bug report.",
        discussion: "Records stat, meminfo, loadavg, uptime, and per process stat, statm, status, cmdline, limits and task/TID/{stat,statm,status}. DIR must not exist or be empty. With --proc-root SRC, records SRC instead of /proc."
    )

    @Argument(help: ArgumentHelp("The directory to write.", valueName: "DIR"))
    var directory: String

    /// `--proc-root SRC`: record from SRC.
    @OptionGroup var source: SourceOptions
    var procRoot: String { source.procRoot }

    func run() throws {
        try Self.reportingFailures {
            let reader: ProcReader
            do { reader = try ProcReader(root: procRoot) } catch { throw Failure(String(describing: error)) }
            do {
                let summary = try ProcRecorder(reader: reader).record(to: directory)
                Output.error("recorded \(summary.processes) processes and \(summary.threads) threads in \(directory)", prefix: false)
            } catch {
                throw Failure(String(describing: error))
            }
        }
    }
}
