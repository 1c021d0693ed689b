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

/// How long a zombie has gone unreaped.
public struct ZombieAge: Sendable, Equatable {
    public var seconds: Double
    /// The zombie was there when swtop began watching: it has waited at least `seconds`, how
    /// much longer the kernel does not say (a zombie's `stat` holds its start, not its death).
    public var isLowerBound: Bool

    public init(seconds: Double, isLowerBound: Bool) {
        self.seconds = seconds
        self.isLowerBound = isLowerBound
    }
}

/// How long each zombie has gone unreaped: swtop's one tracker of it. The lifecycle monitor
/// tells it each death the kernel reported (its time is exact); every snapshot tells it the
/// zombies it shows (a zombie not heard of before died since the last snapshot, so its first
/// sight is its death, to a refresh). A zombie that was already there at the first snapshot
/// died before swtop watched: its age is a lower bound, the time watched, never "new".
///
/// Times are one clock, the snapshots' (seconds since the epoch).
public struct ZombieAges: Sendable {
    private var since: [ProcessKey: (time: Double, isLowerBound: Bool)] = [:]
    /// When the first snapshot was taken; nil before it.
    private var watchingSince: Double?

    public init() {}

    /// The kernel reported this process's death at `time`.
    public mutating func died(_ key: ProcessKey, at time: Double) {
        if since[key] == nil { since[key] = (time, false) }
    }

    /// Takes a snapshot's zombies at its time `now`: records those not known yet, and forgets
    /// what is no longer one (deaths reported after the snapshot was read are kept).
    public mutating func observe(zombies: [ProcessEntry], now: Double) {
        let first = watchingSince == nil
        if first { watchingSince = now }
        var next: [ProcessKey: (time: Double, isLowerBound: Bool)] = [:]
        for p in zombies where p.state == .zombie && !p.isSecondaryThread { next[p.key] = since[p.key] ?? (now, first) }
        for (key, value) in since where next[key] == nil && value.time >= now { next[key] = value }
        since = next
    }

    /// `observe` of a snapshot's processes, then each parent's `oldestZombieChildAge`.
    public mutating func update(_ processes: inout [ProcessEntry], now: Double) {
        observe(zombies: processes.filter { $0.state == .zombie }, now: now)
        var oldest: [Int32: Double] = [:]
        for p in processes where p.state == .zombie && !p.isSecondaryThread {
            guard let time = since[p.key]?.time else { continue }
            oldest[p.ppid] = min(oldest[p.ppid] ?? time, time)
        }
        for i in processes.indices where !processes[i].isSecondaryThread {
            // Read before writing: a write, even of the same value, copies an array the sampler
            // and the previous refresh share (a few hundred KB at 5,000 processes).
            let age = oldest[processes[i].pid].map { now - $0 }
            if processes[i].oldestZombieChildAge != age { processes[i].oldestZombieChildAge = age }
        }
    }

    /// How long the zombie `key` has waited at `now`; nil when it is not a known zombie.
    public func age(of key: ProcessKey, now: Double) -> ZombieAge? {
        since[key].map { ZombieAge(seconds: max(0, now - $0.time), isLowerBound: $0.isLowerBound) }
    }

    /// Whether `key` died before swtop watched (it was a zombie in the first snapshot).
    public func diedBeforeWatching(_ key: ProcessKey) -> Bool { since[key]?.isLowerBound ?? false }
}
