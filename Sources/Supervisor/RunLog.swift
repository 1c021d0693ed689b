#if canImport(Glibc)
import Glibc
#endif
import Lifecycle
import ProcessControl
import ProcessModel

/// The human side: one line on stderr per transition, with the time of day:
/// "swtop run: 12:00:01 1234 exited 1 after 1.0 s (quick crash); restarting in 4 s".
/// Coloured on a terminal, plain with NO_COLOR or when stderr is not one.
struct RunLog {
    enum Tone {
        case plain, good, warning, bad

        var code: String {
            switch self {
            case .plain: return ""
            case .good: return "\u{1B}[32m"
            case .warning: return "\u{1B}[33m"
            case .bad: return "\u{1B}[31m"
            }
        }
    }

    let coloured: Bool

    init() {
        let noColor = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        coloured = !noColor && isatty(2) == 1
    }

    /// A transition at `time` (seconds since the epoch).
    func say(_ text: String, at time: Double, _ tone: Tone = .plain) {
        let body = tone == .plain || !coloured ? text : tone.code + text + "\u{1B}[0m"
        put("swtop run: \(Format.clock(time)) " + body)
    }

    /// Something wrong with swtop run itself.
    func problem(_ text: String) {
        put("swtop run: " + text)
    }

    private func put(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var n: Int
            repeat { n = write(2, buffer.baseAddress, buffer.count) } while n < 0 && errno == EINTR
        }
    }

    /// The line for an event, and its colour.
    static func words(_ event: RunEvent) -> (String, Tone) {
        let pid = event.child.pid
        switch event.kind {
        case .start(let attempt):
            let command = DisplayText.escaped(event.child.command)
            return ("\(pid) started: \(command)" + (attempt > 1 ? " (attempt \(attempt))" : ""), .plain)
        case .exit(let record, _):
            let outcome = record.outcome
            var text = "\(pid) \(outcome.words) after \(LifecycleEvent.duration(record.lifetime ?? 0))"
            if let stop = record.stop {
                let signal = Signal(number: stop.signal)?.name ?? "signal \(stop.signal)"
                text += stop.kind == .graceful
                    ? " (stopped gracefully: \(signal), \(LifecycleEvent.duration(stop.after)))"
                    : " (stop forced: SIGKILL after \(signal) was ignored)"
            }
            return (text, outcome.isFailure ? .bad : .plain)
        case .restart(let delay, let reason, _):
            return ("\(pid) restarting in \(DurationText.words(delay))" + (reason == .unhealthy ? " (unhealthy)" : ""), .warning)
        case .health(let ok, let detail):
            return ("\(pid) health check \(ok ? "passed" : "failed"): \(DisplayText.escaped(detail))", ok ? .good : .warning)
        case .ready:
            return ("\(pid) ready", .good)
        case .unhealthy(let failures):
            return ("\(pid) unhealthy: \(failures) checks failed in a row", .bad)
        case .gaveUp(let restarts, let lastExit):
            return ("giving up after \(restarts) restarts; exit status \(lastExit)", .bad)
        }
    }
}
