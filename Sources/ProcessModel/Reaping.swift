import ProcFS

/// Whether a process reaps its children, and what to tell the user when it does not.
///
/// A container lives as long as its PID 1, and PID 1 of a PID namespace inherits every orphan
/// in it. A real init (tini, dumb-init, systemd, ...) waits for them; an ordinary program
/// (`node server.js`, a shell script) does not, and their zombies pile up.
public struct ReapingVerdict: Sendable, Equatable {
    public enum Mark: Sendable, Equatable {
        /// Nothing to say.
        case none
        /// PID 1 of its namespace (a container's main process), reaping as far as is known.
        case namespaceInit
        /// It has held a zombie child longer than `ReapingCheck.patience`.
        case notReaping
    }

    public var mark: Mark
    /// Words for the detail and the status line; nil when there is nothing to say.
    public var advice: String?

    public init(mark: Mark, advice: String?) {
        self.mark = mark
        self.advice = advice
    }
}

public enum ReapingCheck {
    /// A zombie is reaped within moments by a parent that waits; one older than this is not being.
    public static let patience = 5.0

    /// Names (comm) of programs made to be PID 1: they reap every orphan.
    public static let knownInits: Set<String> = [
        "tini", "tini-static", "docker-init", "dumb-init", "catatonit", "s6-svscan", "s6-linux-init", "systemd",
        "init", "runit", "runit-init", "runsvdir", "openrc-init", "supervisord", "pid1", "my_init",
        "podman-init", "sinit",
    ]

    public static let containerAdvice = "PID 1 of its container and does not reap: run it under an init (docker run --init)"

    /// - Parameters:
    ///   - isNamespaceInit: PID 1 of a PID namespace other than swtop's.
    ///   - initName: its name (comm), to tell a real init from an ordinary program.
    ///   - oldestZombieChildAge: seconds its oldest zombie child has gone unreaped; nil: none, or
    ///     unknown (one sample cannot tell how long a zombie has waited).
    public static func judge(isNamespaceInit: Bool, initName: String, oldestZombieChildAge: Double?) -> ReapingVerdict {
        guard let age = oldestZombieChildAge, age >= patience else {
            return ReapingVerdict(mark: isNamespaceInit ? .namespaceInit : .none, advice: nil)
        }
        // An age past any real one (a watch fed untrusted times) is no reason to trap.
        let seconds = Int(min(age, 1e15))
        if isNamespaceInit, !knownInits.contains(initName) {
            return ReapingVerdict(mark: .notReaping, advice: containerAdvice)
        }
        return ReapingVerdict(mark: .notReaping, advice: "does not reap: a zombie child unreaped for \(seconds) s")
    }

    public static func judge(_ p: ProcessEntry) -> ReapingVerdict {
        judge(isNamespaceInit: p.isNamespaceInit, initName: p.name, oldestZombieChildAge: p.oldestZombieChildAge)
    }

    /// What one look (`--once`) can tell, where no zombie's age is known: a namespace's PID 1
    /// holding zombies that is no init (not in `knownInits`) is not reaping them, as an ordinary
    /// program never waits for the orphans PID 1 inherits.
    public static func notReapingAtOneLook(_ p: ProcessEntry) -> Bool {
        p.isNamespaceInit && p.zombieChildren > 0 && !knownInits.contains(p.name)
    }

    /// The mark of a row holding zombie children, on the screen and in `--once`'s table: "1
    /// zombie", "3 zombies"; a namespace's PID 1 that does not reap says so on its own row, where
    /// the user looks first: "PID 1, not reaping: 3 zombies".
    public static func parentMark(zombies: Int, namespaceInitNotReaping: Bool) -> String {
        let count = zombies == 1 ? "1 zombie" : "\(zombies) zombies"
        return namespaceInitNotReaping ? notReapingInitWords + count : count
    }

    /// How a parent's mark starts for a namespace's PID 1 that does not reap.
    public static let notReapingInitWords = "PID 1, not reaping: "
}

/// How long each zombie has gone unreaped, as far as swtop has seen: the time it was first seen
/// as a zombie. One small type, so a better source (the lifecycle model's exit times) can take
/// its place.
public struct ZombieWatch: Sendable {
    /// When each zombie was first seen as one (monotonic seconds).
    private var firstSeen: [ProcessKey: Double] = [:]

    public init() {}

    /// Records the zombies of `processes` at `now`, forgets those reaped, and sets each parent's
    /// `oldestZombieChildAge`.
    public mutating func update(_ processes: inout [ProcessEntry], now: Double) {
        var next: [ProcessKey: Double] = [:]
        var oldest: [Int32: Double] = [:]
        for p in processes where p.state == .zombie && !p.isSecondaryThread {
            let seen = firstSeen[p.key] ?? now
            next[p.key] = seen
            oldest[p.ppid] = min(oldest[p.ppid] ?? seen, seen)
        }
        firstSeen = next
        for i in processes.indices where !processes[i].isSecondaryThread {
            processes[i].oldestZombieChildAge = oldest[processes[i].pid].map { now - $0 }
        }
    }
}
