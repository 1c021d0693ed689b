import ProcessModel

/// `swtop run [OPTIONS] -- COMMAND [ARGS...]`, parsed by hand: swtop-run must start small in a
/// container image (README, `swtop run`), and swift-argument-parser alone would add about 3 MB
/// to its peak RSS.
public struct RunOptions: Sendable, Equatable {
    public enum RestartPolicy: String, Sendable, Equatable {
        case no, onFailure = "on-failure", always
    }

    public var command: [String] = []
    public var grace = 10.0
    public var group = false
    public var restart = RestartPolicy.no
    public var backoffMin = 1.0
    public var backoffMax = 60.0
    public var quickCrash = 5.0
    public var stableAfter = 30.0
    public var maxRestarts: Int?
    public var restartWindow = 60.0
    public var health: HealthTarget?
    public var healthEvery = 10.0
    public var healthTimeout = 2.0
    public var healthRetries = 3
    public var healthStartPeriod = 0.0
    public var eventsPath: String?
    public var help = false

    public init() {}

    /// Bad input: one line naming what was wrong.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public static let usage = """
        usage: swtop run [OPTIONS] -- COMMAND [ARGS...]

        Runs COMMAND as its child: reaps orphans (as PID 1 or as a subreaper), passes SIGTERM,
        SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 and SIGWINCH on, exits with the child's status
        (its code, or 128 + the signal), restarts it with back-off and checks its health.
        Durations: 500ms, 0.4s, 10s, 2m.

          --grace D               SIGKILL this long after a stop's SIGTERM (default 10s)
          --group                 pass signals to the child's process group
          --restart POLICY        no, on-failure (any end but exit 0) or always (default no)
          --backoff-min D         the first restart's wait (default 1s)
          --backoff-max D         the longest wait (default 60s)
          --quick-crash D         a run shorter than this doubles the wait (default 5s)
          --stable-after D        a run longer than this resets the wait (default 30s)
          --max-restarts N        give up after N restarts within --restart-window
          --restart-window D      (default 60s)
          --health URL            http://HOST:PORT/PATH (2xx or 3xx) or tcp://HOST:PORT (a connect)
          --health-cmd CMD        a shell command that exits 0 when healthy
          --health-every D        between checks (default 10s)
          --health-timeout D      a check that takes longer fails (default 2s)
          --health-retries N      failures in a row that make the child unhealthy (default 3)
          --health-start-period D failures this soon after a start do not count (default 0s)
          --events PATH           append swtop-event/1 JSON lines to PATH
          -h, --help              this text

        """

    public static func parse(_ arguments: [String]) throws(Invalid) -> RunOptions {
        var options = RunOptions()
        var i = 0
        func value(_ name: String, _ inline: String?) throws(Invalid) -> String {
            if let inline { return inline }
            i += 1
            guard i < arguments.count else { throw Invalid("\(name) needs a value") }
            return arguments[i]
        }
        func duration(_ name: String, _ inline: String?) throws(Invalid) -> Double {
            let text = try value(name, inline)
            guard let seconds = DurationText.seconds(text) else {
                throw Invalid("invalid \(name) '\(text)': expected a duration such as 500ms, 0.4s, 10s or 2m")
            }
            return seconds
        }
        func count(_ name: String, _ inline: String?, minimum: Int) throws(Invalid) -> Int {
            let text = try value(name, inline)
            guard let n = Int(text), n >= minimum, n <= 1_000_000 else {
                throw Invalid("invalid \(name) '\(text)': expected a whole number from \(minimum) to 1000000")
            }
            return n
        }
        while i < arguments.count {
            let argument = arguments[i]
            if argument == "--" {
                options.command = Array(arguments[(i + 1)...])
                break
            }
            guard argument.hasPrefix("-") else {
                options.command = Array(arguments[i...])
                break
            }
            var name = argument
            var inline: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                name = String(argument[..<equals])
                inline = String(argument[argument.index(after: equals)...])
            }
            switch name {
            case "-h", "--help": options.help = true
            case "--group": options.group = true
            case "--grace": options.grace = try duration(name, inline)
            case "--restart":
                let text = try value(name, inline)
                guard let policy = RestartPolicy(rawValue: text) else {
                    throw Invalid("invalid --restart '\(text)': expected no, on-failure or always")
                }
                options.restart = policy
            case "--backoff-min": options.backoffMin = try duration(name, inline)
            case "--backoff-max": options.backoffMax = try duration(name, inline)
            case "--quick-crash": options.quickCrash = try duration(name, inline)
            case "--stable-after": options.stableAfter = try duration(name, inline)
            case "--max-restarts": options.maxRestarts = try count(name, inline, minimum: 0)
            case "--restart-window": options.restartWindow = try duration(name, inline)
            case "--health", "--health-cmd":
                let text = try value(name, inline)
                guard options.health == nil else { throw Invalid("--health and --health-cmd: give one check") }
                if name == "--health" {
                    options.health = try HealthTarget.parse(text)
                } else {
                    guard !text.isEmpty else { throw Invalid("invalid --health-cmd '': expected a shell command") }
                    options.health = .command(text)
                }
            case "--health-every": options.healthEvery = try duration(name, inline)
            case "--health-timeout": options.healthTimeout = try duration(name, inline)
            case "--health-retries": options.healthRetries = try count(name, inline, minimum: 1)
            case "--health-start-period": options.healthStartPeriod = try duration(name, inline)
            case "--events":
                let path = try value(name, inline)
                guard !path.isEmpty else { throw Invalid("invalid --events '': expected a file path") }
                options.eventsPath = path
            default:
                throw Invalid("unknown option '\(DisplayText.escaped(argument))' (see swtop run --help)")
            }
            i += 1
        }
        if options.help { return options }
        guard !options.command.isEmpty else { throw Invalid("no command: swtop run [OPTIONS] -- COMMAND [ARGS...]") }
        guard options.backoffMin <= options.backoffMax else {
            throw Invalid("--backoff-min (\(DurationText.words(options.backoffMin))) is longer than --backoff-max (\(DurationText.words(options.backoffMax)))")
        }
        guard options.healthEvery > 0 else { throw Invalid("invalid --health-every: it must be longer than 0") }
        guard options.healthTimeout > 0 else { throw Invalid("invalid --health-timeout: it must be longer than 0") }
        return options
    }
}
