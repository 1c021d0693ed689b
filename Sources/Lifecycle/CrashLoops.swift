/// A command that keeps failing and being restarted.
public struct CrashLoop: Sendable {
    /// Abnormal ends within the window.
    public var restarts: Int
    public var window: Double
    public var lastOutcome: Outcome
    /// The pids of the recent runs, oldest first.
    public var pids: [Int32]
    /// The command (arguments joined) that loops.
    public var command: String
    public var parent: Int32

    public init(restarts: Int, window: Double, lastOutcome: Outcome, pids: [Int32], command: String, parent: Int32) {
        self.restarts = restarts
        self.window = window
        self.lastOutcome = lastOutcome
        self.pids = pids
        self.command = command
        self.parent = parent
    }
}

/// Finds crash loops as Kubernetes' CrashLoopBackOff would: the same command (executable and
/// arguments), restarted by the same parent, that ends abnormally (a non-zero code or a signal)
/// `threshold` times within `window` seconds. It is reported at that end, and stays flagged
/// until a run has gone `window` seconds without ending.
public struct CrashLoopDetector: Sendable {
    public static let threshold = 3
    public static let window = 60.0

    struct Identity: Hashable {
        var command: String
        var parent: Int32
    }

    struct History {
        /// Times and pids of abnormal ends within the window.
        var failures: [(time: Double, pid: Int32)] = []
        var lastEnd = 0.0
        var lastOutcome = Outcome.unknown
        var looping = false
    }

    private var histories: [Identity: History] = [:]

    public init() {}

    /// Takes one exit; returns the crash loop when this exit starts one.
    public mutating func record(_ exit: ExitRecord) -> CrashLoop? {
        let id = Identity(command: exit.process.command, parent: exit.process.ppid)
        var history = histories[id] ?? History()
        history.lastEnd = exit.time
        history.lastOutcome = exit.outcome
        if exit.outcome.isFailure {
            history.failures.append((exit.time, exit.process.pid))
        }
        history.failures.removeAll { exit.time - $0.time > Self.window }
        var started: CrashLoop?
        if !history.looping, history.failures.count >= Self.threshold {
            history.looping = true
            started = loop(id, history)
        }
        histories[id] = history
        return started
    }

    /// Forgets loops whose command has gone a window without ending, and histories with nothing
    /// left in the window.
    public mutating func expire(now: Double) {
        histories = histories.filter { now - $0.value.lastEnd <= Self.window }
    }

    /// The commands looping now.
    public func loops(now: Double) -> [CrashLoop] {
        histories.compactMap { id, history in
            history.looping && now - history.lastEnd <= Self.window ? loop(id, history) : nil
        }
    }

    /// Whether this command, under this parent, is looping now.
    public func isLooping(command: String, parent: Int32, now: Double) -> Bool {
        guard let history = histories[Identity(command: command, parent: parent)] else { return false }
        return history.looping && now - history.lastEnd <= Self.window
    }

    private func loop(_ id: Identity, _ history: History) -> CrashLoop {
        CrashLoop(
            restarts: history.failures.count, window: Self.window, lastOutcome: history.lastOutcome,
            pids: history.failures.map(\.pid), command: id.command, parent: id.parent)
    }
}
