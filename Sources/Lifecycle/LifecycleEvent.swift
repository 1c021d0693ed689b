import ProcessModel

/// Something that happened to a process, as `swtop events` streams it and the screen lists it.
public struct LifecycleEvent: Sendable {
    /// The exit's record and the crash loop are boxed (indirect): inline, every event would take
    /// the exit record's 264 bytes, and a shell that exits leaving 5,000 children to init makes
    /// 5,000 orphan events at once.
    public enum Kind: Sendable {
        /// It ended.
        indirect case exit(ExitRecord)
        /// It has ended and its parent has not reaped it for `unreaped` (at least that long,
        /// for a zombie that was there before swtop watched). `outcome` is from its wait status
        /// (unknown where it cannot be read).
        case zombie(outcome: Outcome, parentName: String?, unreaped: ZombieAge)
        /// Its parent exited; the kernel gave it to `process.ppid` (1 or a subreaper).
        case orphan(formerParent: Int32, formerParentName: String?)
        /// The same command, restarted by the same parent, ended abnormally `restarts` times
        /// within `window` seconds. `process` is the latest run.
        indirect case crashLoop(CrashLoop)
        /// Another process (or the kernel) asked it to stop (SIGHUP, SIGINT, SIGQUIT, SIGTERM) or
        /// sent it SIGKILL.
        case signal(signal: Int32, sender: SignalSender)
    }

    /// Seconds since the epoch.
    public var time: Double
    /// The process it is about (for an exit: the one that ended).
    public var process: ProcessFacts
    public var kind: Kind

    public init(time: Double, process: ProcessFacts, kind: Kind) {
        self.time = time
        self.process = process
        self.kind = kind
    }

    /// The JSON name of the kind: exit, zombie, orphan, crash_loop.
    public var name: String {
        switch kind {
        case .exit: return "exit"
        case .zombie: return "zombie"
        case .orphan: return "orphan"
        case .crashLoop: return "crash_loop"
        case .signal: return "signal"
        }
    }

    /// One line in words, without time and process: "OOM-killed after 3.2 s",
    /// "zombie of 1234 python3 for 2m 10s", "zombie of 1 init for ≥ 12.0 s", "orphaned: 1234
    /// exited", "crash loop: 5 restarts in 60 s, last exited 1" ("crash loop under swtop
    /// run (pid 812), back-off 8.0 s: ..." when a swtop run restarts it), "SIGTERM from deployer (pid 812,
    /// root)". An ending is told in
    /// `Outcome.described`'s words, as everywhere.
    public var words: String {
        switch kind {
        case .exit(let record):
            return record.words
        case .zombie(let outcome, let parentName, let unreaped):
            var text = "zombie of \(process.ppid)"
            if let parentName { text += " " + parentName }
            text += " for " + (unreaped.isLowerBound ? "≥ " : "") + Self.duration(unreaped.seconds)
            if outcome != .unknown { text += " (" + outcome.described() + ")" }
            return text
        case .orphan(let former, let formerName):
            return "orphaned: \(former)\(formerName.map { " " + $0 } ?? "") exited, now a child of \(process.ppid)"
        case .crashLoop(let loop):
            let under = loop.supervisor.map { " under swtop run (pid \($0.pid)), back-off " + Self.duration($0.backoff) } ?? ""
            return "crash loop\(under): \(loop.restarts) restarts in \(Int(loop.window)) s, last \(loop.lastOutcome.described())"
        case .signal(let signal, let sender):
            return Outcome.signalName(signal) + " from " + sender.words
        }
    }

    /// "0.004 s", "3.2 s", "2m 10s", "3h 5m", "2d 4h".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 60 { return fixed1(seconds) + " s" }
        let s = Int(seconds)
        if s < 3600 { return "\(s / 60)m \(s % 60)s" }
        if s < 86400 { return "\(s / 3600)h \(s % 3600 / 60)m" }
        return "\(s / 86400)d \(s % 86400 / 3600)h"
    }

    static func fixed1(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
