import ArgumentParser
import ProcFS
#if canImport(Glibc)
import Glibc
#endif

/// How a command line becomes a command. A subcommand named first is parsed on its own, so it
/// accepts only its own options: ArgumentParser parses a parent's options anywhere on the line,
/// and `swtop stop --readonly PID` once stopped the process while `--readonly` went to the
/// screen, `swtop export -p 1` printed every group, and `swtop signal -s TERM PID` read TERM
/// as a sort key.
enum CommandStart {
    static func main(_ arguments: [String]) -> Never {
        if let first = arguments.first, let command = Swtop.configuration.subcommands.first(where: { $0._commandName == first }) {
            start(command, Array(arguments.dropFirst()))
        }
        start(Swtop.self, arguments)
    }

    /// Parses and runs `type` as the whole command line. A usage error is one line on stderr
    /// (no usage dump after it: `--help` shows that) with exit status 64.
    static func start(_ type: any ParsableCommand.Type, _ arguments: [String]) -> Never {
        do {
            var command = try type.parseAsRoot(arguments)
            // Reached through swtop's own options (`swtop --readonly stop PID`): those options
            // were parsed for the screen and would be ignored.
            let parsed = Swift.type(of: command)
            if type == Swtop.self, Swtop.configuration.subcommands.contains(where: { $0 == parsed }) {
                let name = parsed._commandName
                throw ValidationError("'\(name)' must come first: swtop's options do not apply to 'swtop \(name)' (see 'swtop \(name) --help')")
            }
            try command.run()
        } catch {
            let code = type.exitCode(for: error)
            if code == .success {
                Output.line(type.fullMessage(for: error))
            } else {
                let message = type.message(for: error)
                if !message.isEmpty { Output.error(message) }
            }
            finish(code.rawValue)
        }
        finish(0)
    }

    /// Exits, with 1 if stdout could not be written: a script must not take a cut-off
    /// snapshot for a whole one.
    static func finish(_ status: Int32) -> Never {
        if let code = Output.stdoutError {
            Output.error("cannot write output: " + errnoText(code))
            exit(status == 0 ? 1 : status)
        }
        exit(status)
    }
}
