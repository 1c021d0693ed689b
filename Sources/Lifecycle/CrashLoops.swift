/// A command that keeps failing and being restarted.
public struct CrashLoop: Sendable {
    /// Restarts after an abnormal end within the window.
    public var restarts: Int
    public var window: Double
    /// How the run before the latest restart ended.
    public var lastOutcome: Outcome
    /// The pids of the restarted runs, oldest first (the last is the run that just started).
    public var pids: [Int32]
    /// The command (arguments joined) that loops, as its last failed run had it.
    public var command: String
    public var parent: Int32
    /// The swtop run that restarts it, when the parent is one (its state file says so).
    public var supervisor: Supervisor?

    /// A swtop run's part in a loop: it restarts the command with back-off.
    public struct Supervisor: Sendable, Equatable {
        /// swtop run's pid.
        public var pid: Int32
        public var attempt: Int
        /// The back-off its state file gave when the loop was found (seconds).
        public var backoff: Double

        public init(pid: Int32, attempt: Int, backoff: Double) {
            self.pid = pid
            self.attempt = attempt
            self.backoff = backoff
        }
    }

    public init(restarts: Int, window: Double, lastOutcome: Outcome, pids: [Int32], command: String, parent: Int32, supervisor: Supervisor? = nil) {
        self.restarts = restarts
        self.window = window
        self.lastOutcome = lastOutcome
        self.pids = pids
        self.command = command
        self.parent = parent
        self.supervisor = supervisor
    }
}

/// Finds crash loops the way Kubernetes counts restarts. A restart is a run of the same command
/// started by the same parent after a run of it ended abnormally (a non-zero exit code or a
/// signal); the loop is reported when the `threshold`th restart within `window` seconds starts,
/// and stays flagged until the command has gone `window` seconds without ending.
///
/// The same command:
/// - a program a process exec'd: its command line (argv) as read at the exec; a process whose
///   command line could not be read is no run of anything, so it never forms a loop;
/// - a child that runs its parent's program (forked, no exec: a pre-fork server's worker): one
///   command per parent, whatever title it sets itself later;
/// - a process swtop saw neither fork nor exec (it was there before, or without root it lived
///   between two readings): its command line as first read; for one that was there before,
///   either kind, as swtop did not see how it started.
///
/// So a script that runs a failing command three times and goes on has made two restarts, and
/// three children forked at once none: neither is a loop, while `while :; do server; sleep 1;
/// done` and a master that respawns its killed workers are.
public struct CrashLoopDetector: Sendable {
    /// Restarts within the window that make a loop.
    public static let threshold = 3
    public static let window = 60.0

    /// What makes runs "the same command": an exec'd command line, or the parent's own program
    /// (`command` nil), under one parent.
    public struct Identity: Hashable, Sendable {
        public var command: String?
        public var parent: Int32

        /// A run of a command line under `parent`; nil for an unknown command line.
        public static func command(_ cmdline: [String], parent: Int32) -> Identity? {
            cmdline.isEmpty || cmdline.allSatisfy(\.isEmpty) ? nil : Identity(command: cmdline.joined(separator: " "), parent: parent)
        }

        /// A child running its parent's program.
        public static func fork(of parent: Int32) -> Identity { Identity(command: nil, parent: parent) }
    }

    struct History {
        /// An abnormal end not yet followed by a restart.
        var failedEnd: Outcome?
        /// Times and pids of the restarts within the window.
        var restarts: [(time: Double, pid: Int32)] = []
        var lastEnd = 0.0
        var lastOutcome = Outcome.unknown
        /// The command as the last failed run had it, for the report.
        var shownCommand = ""
        var looping = false
    }

    private var histories: [Identity: History] = [:]
    /// The identity of each run swtop saw start, by pid, until it ends.
    private var runs: [Int32: Identity] = [:]

    public init() {}

    /// A run started at `time`: returns the crash loop when this restart starts one.
    public mutating func started(pid: Int32, as identity: Identity?, time: Double) -> CrashLoop? {
        guard let identity else {
            runs[pid] = nil
            return nil
        }
        runs[pid] = identity
        guard var history = histories[identity], history.failedEnd != nil else { return nil }
        history.failedEnd = nil
        history.restarts.append((time, pid))
        history.restarts.removeAll { time - $0.time > Self.window }
        var started: CrashLoop?
        if !history.looping, history.restarts.count >= Self.threshold {
            history.looping = true
            started = loop(identity, history)
        }
        histories[identity] = history
        return started
    }

    /// A run ended. One swtop did not see start counts as each run it could have been.
    public mutating func ended(_ exit: ExitRecord) {
        let process = exit.process
        var identities: [Identity] = []
        if let identity = runs.removeValue(forKey: process.pid) {
            identities = [identity]
        } else if let identity = Identity.command(process.cmdline, parent: process.ppid) {
            identities = [identity, .fork(of: process.ppid)]
        }
        for identity in identities {
            var history = histories[identity] ?? History()
            history.lastEnd = exit.time
            history.lastOutcome = exit.outcome
            history.failedEnd = exit.outcome.isFailure ? exit.outcome : nil
            if exit.outcome.isFailure { history.shownCommand = process.command }
            histories[identity] = history
        }
    }

    /// Forgets loops whose command has gone a window without ending, and histories with nothing
    /// left in the window.
    public mutating func expire(now: Double) {
        histories = histories.filter { _, history in
            now - history.lastEnd <= Self.window || history.restarts.contains { now - $0.time <= Self.window }
        }
    }

    /// The commands looping now.
    public func loops(now: Double) -> [CrashLoop] {
        histories.compactMap { id, history in
            history.looping && now - history.lastEnd <= Self.window ? loop(id, history) : nil
        }
    }

    /// Whether the run with this pid is one of a command looping now.
    public func isLooping(pid: Int32, now: Double) -> Bool {
        guard let identity = runs[pid], let history = histories[identity] else { return false }
        return history.looping && now - history.lastEnd <= Self.window
    }

    private func loop(_ id: Identity, _ history: History) -> CrashLoop {
        CrashLoop(
            restarts: history.restarts.count, window: Self.window, lastOutcome: history.lastOutcome,
            pids: history.restarts.map(\.pid), command: history.shownCommand, parent: id.parent)
    }
}
