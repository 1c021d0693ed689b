import ProcessControl

/// `swtop renice -5 PID` and `swtop signal -9 PID` (`-KILL`), as renice(1) and kill(1) take
/// them. ArgumentParser reads a leading "-" as an option, so such a value is put after "--",
/// which ends the options (a signal loses its "-": `-9` is signal 9).
enum NegativeArguments {
    static func protected(_ arguments: [String]) -> [String] {
        guard arguments.count >= 2, let command = arguments.first else { return arguments }
        let value = arguments[1]
        guard value.count >= 2, value.hasPrefix("-"), !value.hasPrefix("--") else { return arguments }
        let rest = Array(arguments[2...])
        switch command {
        case "renice" where Int32(value) != nil:
            return [command, "--", value] + rest
        case "signal" where value != "-h" && Signal(parsing: String(value.dropFirst())) != nil:
            return [command, "--", String(value.dropFirst())] + rest
        default:
            return arguments
        }
    }
}
