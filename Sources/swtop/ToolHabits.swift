/// kill(1)'s and renice(1)'s forms, rewritten into swtop's own (`signal SIGNAL PID...`,
/// `renice NICE PID...`) before parsing: `swtop signal -s TERM PID`, `swtop renice -n 5 PID`
/// and `swtop renice -n 5 -p PID` work as a user of those tools types them.
enum ToolHabits {
    static func rewritten(_ arguments: [String]) -> [String] {
        guard let command = arguments.first else { return arguments }
        switch command {
        case "signal": return moving(valueOf: ["-s", "--signal"], dropping: [], in: arguments)
        case "renice": return moving(valueOf: ["-n", "--priority"], dropping: ["-p", "--pid"], in: arguments)
        default: return arguments
        }
    }

    /// `command [options] -s VALUE [options] PID...` -> `command [options] -- VALUE PID...`.
    private static func moving(valueOf names: Set<String>, dropping markers: Set<String>, in arguments: [String]) -> [String] {
        var rest: [String] = []
        var value: String?
        var marked = false
        var i = 1
        while i < arguments.count {
            let token = arguments[i]
            i += 1
            if token == "--" {
                rest += ["--"] + arguments[i...]
                break
            } else if names.contains(token), value == nil, i < arguments.count {
                value = arguments[i]
                i += 1
            } else if markers.contains(token) {
                marked = true
            } else {
                rest.append(token)
            }
        }
        guard value != nil || marked else { return arguments }
        let (options, positionals) = separating(rest)
        return [arguments[0]] + options + ["--"] + (value.map { [$0] } ?? []) + positionals
    }

    /// Options (which stay before "--", for ArgumentParser to take or to name as unknown) and
    /// the rest: values, pids, negative numbers, and everything after a "--".
    static func separating(_ tokens: [String]) -> (options: [String], positionals: [String]) {
        var options: [String] = []
        var positionals: [String] = []
        for (i, token) in tokens.enumerated() {
            if token == "--" {
                positionals += tokens[(i + 1)...]
                break
            }
            if token.hasPrefix("-"), token.count > 1, Double(token) == nil {
                options.append(token)
            } else {
                positionals.append(token)
            }
        }
        return (options, positionals)
    }
}
