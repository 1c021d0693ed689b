/// Negative numbers on the command line. ArgumentParser reads a leading "-" as an option, so
/// `--interval -1` said "Missing value" and `swtop renice -5 PID` could not be typed.
/// - `swtop renice -5 PID` and `swtop signal -9 PID` (`-KILL`, `-0`), as renice(1) and kill(1)
///   take them: the value is put after "--", which ends the options (a signal loses its "-":
///   `-9` is signal 9).
/// - A negative number after an option that takes a count or a time is joined to it
///   (`--interval=-1`), so the option's own check says it must not be negative.
enum NegativeArguments {
    static func checked(_ arguments: [String]) -> [String] {
        joiningNegativeValues(protected(arguments))
    }

    static func protected(_ arguments: [String]) -> [String] {
        guard arguments.count >= 2, let command = arguments.first else { return arguments }
        let value = arguments[1]
        guard value.count >= 2, value.hasPrefix("-"), !value.hasPrefix("--") else { return arguments }
        let (options, positionals) = ToolHabits.separating(Array(arguments[2...]))
        switch command {
        case "renice" where Int32(value) != nil:
            return [command] + options + ["--", value] + positionals
        // `-TERM`, `-9`, `-RTMIN+2`, `-0`: one dash and a signal's characters (an unknown name is
        // then "unknown signal", not an unknown option).
        case "signal" where value != "-h" && value.dropFirst().allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" }):
            return [command] + options + ["--", String(value.dropFirst())] + positionals
        default:
            return arguments
        }
    }

    /// The options whose value is a count, a time or an id, by every name they have: none takes
    /// a negative value.
    static let numericOptions: [String: String] = [
        "--interval": "--interval", "-d": "--delay", "--delay": "--delay", "--stop-grace": "--stop-grace",
        "-u": "--user", "--user": "--user", "-p": "--pid", "--pid": "--pid",
        "--for": "--for", "--zombie-after": "--zombie-after", "--refresh": "--refresh",
        "--grace": "--grace", "--every": "--every", "--top": "--top",
    ]

    static func joiningNegativeValues(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let token = arguments[i]
            if token == "--" {
                out += arguments[i...]
                break
            }
            if let long = numericOptions[token], i + 1 < arguments.count, isNegativeNumber(arguments[i + 1]) {
                out.append(long + "=" + arguments[i + 1])
                i += 2
                continue
            }
            out.append(token)
            i += 1
        }
        return out
    }

    static func isNegativeNumber(_ text: String) -> Bool {
        text.hasPrefix("-") && Double(text) != nil
    }
}
