#if canImport(Glibc)
import Glibc
#endif
import Lifecycle
import ProcFS
import ProcessControl

/// The child's health: when the next check is due, the check in flight, and what the answers
/// add up to (ready after the first pass; unhealthy after `--health-retries` failures in a row,
/// not counting failures before the first pass within `--health-start-period`).
///
/// Nothing here waits: a socket check is polled by the event loop, a `--health-cmd` is a child
/// reaped with the others, and every deadline is a timer of the same loop.
final class HealthChecks {
    /// What the answers changed.
    enum Change: Equatable {
        case becameReady
        case becameUnhealthy(failures: Int)
    }

    private enum InFlight {
        case socket(SocketProbe)
        case command(pid: Int32)
    }

    let target: HealthTarget
    let options: RunOptions
    private var inFlight: InFlight?
    private var inFlightSince = 0.0
    private var nextCheck = Double.infinity
    private var startedAt = 0.0
    private(set) var failures = 0
    private(set) var ready = false
    private(set) var unhealthy = false
    private var lastOK: Bool?
    /// The last answer's detail, for the state file.
    private(set) var lastDetail: String?

    init(_ target: HealthTarget, options: RunOptions) {
        self.target = target
        self.options = options
    }

    /// A new run of the child began: its health starts from nothing, the first check after
    /// `--health-every` (as Docker's).
    func childStarted(at now: Double) {
        cancel()
        startedAt = now
        nextCheck = now + options.healthEvery
        failures = 0
        ready = false
        unhealthy = false
        lastOK = nil
        lastDetail = nil
    }

    /// The child ended or is being stopped: no more checks until it starts again.
    func childStopping() {
        cancel()
        nextCheck = .infinity
    }

    /// When `tick` next has something to do.
    var deadline: Double {
        inFlight == nil ? nextCheck : inFlightSince + options.healthTimeout
    }

    /// The socket to poll, and for what.
    var pollRequest: (fd: Int32, events: Int16)? {
        if case .socket(let probe) = inFlight { return (probe.fd, probe.events) }
        return nil
    }

    /// The pid of a `--health-cmd` running now.
    var commandPID: Int32? {
        if case .command(let pid) = inFlight { return pid }
        return nil
    }

    /// Starts a check when one is due; ends one that ran past `--health-timeout`.
    func tick(at now: Double) -> HealthResult? {
        if inFlight != nil {
            guard now >= inFlightSince + options.healthTimeout else { return nil }
            cancel()
            return HealthResult(ok: false, detail: "no answer within \(DurationText.words(options.healthTimeout))")
        }
        guard now >= nextCheck else { return nil }
        nextCheck = now + options.healthEvery
        inFlightSince = now
        switch target {
        case .command(let command):
            switch Spawn.start(["/bin/sh", "-c", command], Spawn.Setup(newGroup: true, quiet: true)) {
            case .success(let pid): inFlight = .command(pid: pid)
            case .failure(let failure): return HealthResult(ok: false, detail: "cannot run /bin/sh: " + errnoText(failure.errno))
            }
        case .http, .tcp:
            switch SocketProbe.start(target) {
            case .success(let probe): inFlight = .socket(probe)
            case .failure(let result): return result
            }
        }
        return nil
    }

    /// The polled socket is ready.
    func socketReady() -> HealthResult? {
        guard case .socket(let probe) = inFlight, let result = probe.advance() else { return nil }
        inFlight = nil
        return result
    }

    /// A reaped process: the answer when it was the check command.
    func reaped(_ pid: Int32, status: Int32) -> HealthResult? {
        guard commandPID == pid else { return nil }
        inFlight = nil
        let outcome = Outcome(waitStatus: status)
        return HealthResult(ok: outcome == .exited(code: 0), detail: "command " + outcome.words)
    }

    /// Counts an answer. `report`: whether it goes to the events (every failure, and a pass that
    /// follows a failure or is the first; not every pass of a healthy child).
    func record(_ result: HealthResult, at now: Double) -> (report: Bool, change: Change?) {
        let report = !result.ok || lastOK != true
        lastOK = result.ok
        lastDetail = result.detail
        if result.ok {
            failures = 0
            unhealthy = false
            if !ready {
                ready = true
                return (report, .becameReady)
            }
            return (report, nil)
        }
        if !ready && now - startedAt < options.healthStartPeriod { return (report, nil) }
        failures += 1
        if failures >= options.healthRetries && !unhealthy {
            unhealthy = true
            return (report, .becameUnhealthy(failures: failures))
        }
        return (report, nil)
    }

    private func cancel() {
        if case .command(let pid) = inFlight {
            // Its whole group: `sh -c 'curl ...'` may have children of its own. Reaped later
            // with the orphans.
            _ = ChildSignals.send(SIGKILL, toGroupOf: pid)
        }
        inFlight = nil
    }
}
