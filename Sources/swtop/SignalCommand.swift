import ArgumentParser
import ProcessControl

/// What `swtop signal` is asked to send: a signal, or 0, kill(1)'s check that a process exists
/// and may be signalled (nothing is sent).
enum SignalChoice: Equatable {
    case check
    case signal(Signal)

    init?(parsing text: String) {
        if text == "0" || text.uppercased() == "SIG0" {
            self = .check
        } else if let signal = Signal(parsing: text) {
            self = .signal(signal)
        } else {
            return nil
        }
    }
}

/// `swtop signal SIGNAL PID...`, also as kill(1) takes it: `-s SIGNAL`, `-SIGNAL`, `0`.
struct SignalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signal",
        // Parsed on its own (CommandStart): its usage still reads "swtop signal".
        _superCommandName: "swtop",
        abstract: "Send a signal (TERM, HUP, KILL, INT, QUIT, USR1, USR2, STOP, CONT, any other by name or number).",
        usage: "swtop signal [-s] <signal> <pid> ...",
        discussion: """
            As kill(1): `swtop signal -s TERM PID`, `swtop signal -TERM PID`, `swtop signal -9 PID`. \
            Signal 0 sends nothing: it checks that each process exists and may be signalled, silently \
            (a one-line reason on stderr for each that does not). \
            Exit status: 0 when every target was signalled (or, with 0, exists and may be), 1 \
            otherwise (a one-line reason each on stderr).
            """)

    @Argument(help: ArgumentHelp("The signal: a name (TERM, SIGTERM) or a number (15), or 0; also -15 or -TERM, or -s TERM, as kill(1) takes it.", valueName: "SIGNAL"))
    var signal: String

    @OptionGroup var targets: PIDList

    @OptionGroup var readonly: ReadonlyOption

    func validate() throws {
        guard SignalChoice(parsing: signal) != nil else {
            throw ValidationError("unknown signal '\(signal)': expected a name such as TERM or HUP, a number from 1 to 64, or 0")
        }
    }

    func run() throws {
        guard let choice = SignalChoice(parsing: signal) else { throw ExitCode(64) }
        if case .signal = choice { try Self.reportingFailures { try readonly.refuse("signal") } }
        var failed = false
        for target in targets.targets {
            switch ProcessHandle.open(target) {
            case .failure(let error):
                Output.error("\(target.pid): \(error)")
                failed = true
            case .success(let handle):
                let sent: Result<Void, ControlError>
                switch choice {
                case .check: sent = handle.mayBeSignalled()
                case .signal(let sig): sent = handle.send(sig)
                }
                switch sent {
                case .success:
                    if case .signal(let sig) = choice { Output.line("sent \(sig) to \(label(handle.pid, handle.name))") }
                case .failure(let error):
                    Output.error("\(label(handle.pid, handle.name)): \(error)")
                    failed = true
                }
            }
        }
        if failed { throw ExitCode(1) }
    }
}
