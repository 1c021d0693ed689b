#if canImport(Glibc)
import Glibc
#endif
import CLinux
import Lifecycle
import ProcFS
import ProcessControl
import ProcessModel
import StartupMemory

/// `swtop run`: starts the command as its child and stays its parent until the end. It reaps
/// every process that ends under it (as PID 1, or as a subreaper), passes signals on, stops the
/// child gracefully, restarts it with back-off, checks its health, and says each transition in
/// the events file and on stderr.
///
/// One thread, one poll: signals (SIGCHLD included) arrive on a signalfd, a health check's socket
/// is polled with it, and every deadline (the grace, a restart, the next check) is the poll's
/// timeout. Between them it sleeps in poll and uses no CPU.
public final class Supervisor {
    /// Why a stop was started.
    enum StopReason {
        case request, unhealthy
    }

    struct Stopping {
        var escalation: StopEscalation
        var signal: Int32
        var requestedBy: SignalSender
        var reason: StopReason
    }

    let options: RunOptions
    let log = RunLog()
    private let events: EventsFile?
    private let stateFile: StateFile?
    private let inbox: SignalInbox
    private var plan: RestartPlan
    private let health: HealthChecks?
    private let isInit = getpid() == 1
    private let users = UserNames()
    private let me: SignalSender

    /// The child running now (0: none), and what is known of it (or of the last one).
    private var childPID: Int32 = 0
    private var child: ProcessFacts?
    private var startedAt = 0.0
    private var attempt = 0
    private var restarts = 0
    /// The last signal swtop run sent to the running child: a death by it was sent by swtop run.
    private var lastSignalSent: Int32?
    private var stopping: Stopping?
    private var restartAt: Double?
    /// The wait before the restart at `restartAt`.
    private var waitingDelay: Double?
    /// A transition happened since the state file was written.
    private var stateChanged = false
    private var restartReason = RunEvent.RestartReason.exit
    /// A stop was asked for (SIGTERM or SIGINT): no more restarts.
    private var shuttingDown = false
    private var finished = false
    /// The exit status to end with: the last child's.
    private var lastStatus: Int32 = 0

    private init(options: RunOptions, events: EventsFile?, stateFile: StateFile?, inbox: SignalInbox) {
        self.options = options
        self.events = events
        self.stateFile = stateFile
        self.inbox = inbox
        plan = RestartPlan(options)
        health = options.health.map { HealthChecks($0, options: options) }
        let pid = getpid()
        let name = (try? ProcReader(root: "/proc"))?.process(pid, files: [])?.stat.comm
        me = SignalSender(
            pid: pid, name: name.map { String(decoding: $0, as: UTF8.self) } ?? "swtop-run",
            uid: getuid(), user: users.name(of: getuid()), kernel: false)
    }

    /// Runs `swtop run` with these arguments to the end; the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        let log = RunLog()
        let options: RunOptions
        do {
            options = try RunOptions.parse(arguments)
        } catch {
            log.problem(error.description)
            return 2
        }
        if options.help {
            _ = RunOptions.usage.withCString { write(1, $0, strlen($0)) }
            return 0
        }
        var events: EventsFile?
        if let path = options.eventsPath {
            switch EventsFile.open(path) {
            case .success(let file): events = file
            case .failure(let error):
                log.problem(error.description)
                return 2
            }
        }
        if getpid() != 1 {
            let rc = swtop_become_child_subreaper()
            if rc != 0 { log.problem("cannot become a subreaper (orphans will not be reaped): " + errnoText(-rc)) }
        }
        var stateFile: StateFile?
        switch StateFile.open(for: options) {
        case .success(let file): stateFile = file
        // Without a place for it only the screen misses it: said, and run on.
        case .failure(let why): if geteuid() == 0 || getenv("XDG_RUNTIME_DIR") != nil { log.problem(why.description) }
        }
        // The pages only start-up used (the loader, the runtime's set-up, parsing) are given back
        // before the child starts: they would otherwise stay in RSS for the container's life, and
        // what running touches next would add to them in the peak.
        StartupPages.giveBack()
        switch SignalInbox.open() {
        case .failure(let failure):
            log.problem("\(failure.call): " + errnoText(failure.errno))
            return 1
        case .success(let inbox):
            return Supervisor(options: options, events: events, stateFile: stateFile, inbox: inbox).run()
        }
    }

    private func run() -> Int32 {
        if let failure = startChild(at: Clock.monotonic()) { return failure }
        saveState()
        while !finished {
            waitAndHandle()
            if stateChanged { saveState() }
        }
        stateFile?.remove()
        endLeftovers()
        return lastStatus
    }

    /// Sleeps in poll until a signal, the health socket or the next deadline, then handles it.
    private func waitAndHandle() {
        var deadline = Double.infinity
        if let stopping { deadline = stopping.escalation.deadline }
        if let restartAt { deadline = min(deadline, restartAt) }
        if let health, childPID > 0, stopping == nil { deadline = min(deadline, health.deadline) }
        var fds = [pollfd(fd: inbox.fd, events: Int16(POLLIN), revents: 0)]
        if let request = health?.pollRequest { fds.append(pollfd(fd: request.fd, events: request.events, revents: 0)) }
        let timeout = Self.milliseconds(until: deadline)
        let n = fds.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), timeout) }
        guard n >= 0 || errno == EINTR else {
            log.problem("poll: " + errnoText(errno))
            finished = true
            return
        }
        if fds[0].revents != 0 {
            for arrival in inbox.drain() { handle(arrival) }
        }
        if fds.count > 1, fds[1].revents != 0, let result = health?.socketReady() { healthAnswered(result) }
        let now = Clock.monotonic()
        if var stop = stopping, childPID > 0, stop.escalation.due(at: now) == .kill {
            send(SIGKILL)
            stop.escalation.killSent(at: now)
            stopping = stop
        }
        if let restartAt, now >= restartAt, !finished {
            self.restartAt = nil
            if let failure = startChild(at: now) {
                lastStatus = failure
                finished = true
            }
        }
        if let health, childPID > 0, stopping == nil, let result = health.tick(at: now) { healthAnswered(result) }
    }

    /// Poll's timeout for a monotonic deadline: -1 for none, rounded up so it never wakes early.
    static func milliseconds(until deadline: Double) -> Int32 {
        guard deadline.isFinite else { return -1 }
        let ms = ((deadline - Clock.monotonic()) * 1000).rounded(.up)
        return ms <= 0 ? 0 : Int32(min(ms, 86_400_000))
    }

    private func handle(_ arrival: SignalInbox.Arrival) {
        switch arrival.signal {
        case SIGCHLD:
            reap()
        case SIGTERM, SIGINT:
            shuttingDown = true
            if childPID > 0 {
                send(arrival.signal)
                if stopping == nil {
                    stopping = Stopping(
                        escalation: StopEscalation(grace: options.grace, killWait: .infinity, startedAt: Clock.monotonic()),
                        signal: arrival.signal, requestedBy: sender(arrival), reason: .request)
                    health?.childStopping()
                    stateChanged = true
                }
            } else if restartAt != nil {
                restartAt = nil
                finished = true
                log.say("stopped while waiting to restart; exit status \(lastStatus)", at: Clock.now())
            }
        default:
            if childPID > 0 { send(arrival.signal) }
        }
    }

    /// Reaps every child that has ended: the supervised one, a check command, orphans.
    private func reap() {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            guard pid > 0 else { return }
            if pid == childPID {
                childEnded(status)
            } else if let result = health?.reaped(pid, status: status) {
                healthAnswered(result)
            }
        }
    }

    private func send(_ signal: Int32) {
        guard childPID > 0 else { return }
        let rc = options.group ? ChildSignals.send(signal, toGroupOf: childPID) : ChildSignals.send(signal, toChild: childPID)
        if rc == 0 { lastSignalSent = signal }
    }

    private func sender(_ arrival: SignalInbox.Arrival) -> SignalSender {
        if arrival.fromKernel { return .theKernel }
        let name = arrival.senderPID > 0
            ? (try? ProcReader(root: "/proc"))?.process(arrival.senderPID, files: [])?.stat.comm
            : nil
        return SignalSender(
            pid: arrival.senderPID, name: name.map { String(decoding: $0, as: UTF8.self) }, uid: arrival.senderUID,
            user: users.name(of: arrival.senderUID), kernel: false)
    }

    /// Starts the command (again); nil, or the exit status to end with when it cannot be run.
    private func startChild(at now: Double) -> Int32? {
        switch Spawn.start(options.command, Spawn.Setup(newGroup: true, quiet: false)) {
        case .failure(let failure):
            log.problem("cannot run '\(DisplayText.escaped(options.command[0]))': " + errnoText(failure.errno))
            // As a shell says it: 127 not found, 126 found but not runnable.
            return failure.errno == ENOENT ? 127 : 126
        case .success(let pid):
            attempt += 1
            childPID = pid
            waitingDelay = nil
            startedAt = now
            lastSignalSent = nil
            Terminal.giveForeground(to: pid, previous: child?.pid)
            let stat = (try? ProcReader(root: "/proc"))?.process(pid, files: [])?.stat
            let name = stat.map { String(decoding: $0.comm, as: UTF8.self) }
                ?? String((options.command[0].split(separator: "/").last ?? "").prefix(15))
            child = ProcessFacts(
                key: ProcessKey(id: pid, startTicks: stat?.startTime ?? 0), name: name, cmdline: options.command,
                ppid: getpid(), uid: getuid(), user: users.name(of: getuid()), startTime: Clock.now())
            emit(.start(attempt: attempt))
            health?.childStarted(at: now)
            return nil
        }
    }

    private func childEnded(_ status: Int32) {
        let now = Clock.monotonic()
        let outcome = Outcome(waitStatus: status)
        let lifetime = max(0, now - startedAt)
        lastStatus = outcome.signal.map { 128 + $0 } ?? outcome.exitCode ?? 1
        let stop = stopping.map {
            StopEnding(
                kind: $0.escalation.phase == .term ? .graceful : .forced, signal: $0.signal,
                after: now - $0.escalation.started, requestedBy: $0.requestedBy)
        }
        let sentBy = outcome.signal != nil && outcome.signal == lastSignalSent ? me : nil
        let unhealthy = stopping?.reason == .unhealthy
        stopping = nil
        childPID = 0
        health?.childStopping()
        let decision = shuttingDown ? .stop : plan.decide(outcome, lifetime: lifetime, unhealthy: unhealthy, now: now)
        var next = ""
        if case .restart(let delay, let quick) = decision {
            next = (quick ? " (quick crash)" : "") + "; restarting in " + DurationText.words(delay)
        }
        if var record = child.map({ ExitRecord(process: $0, outcome: outcome, source: .wait, time: Clock.now(), parentName: me.name) }) {
            // swtop's own stop (an unhealthy child's) is told as the screen's is; a stop that
            // another process asked for, by who asked.
            record.stoppedBySwtop = unhealthy ? stop.flatMap { StopKind(rawValue: $0.kind.rawValue) } : nil
            record.sentBy = sentBy
            record.stop = stop
            emit(.exit(record, attempt: attempt), next: next)
        }
        switch decision {
        case .stop:
            finished = true
        case .giveUp:
            emit(.gaveUp(restarts: restarts, lastExit: lastStatus))
            finished = true
        case .restart(let delay, _):
            restarts += 1
            restartReason = unhealthy ? .unhealthy : .exit
            emit(.restart(delay: delay, reason: restartReason, attempt: attempt + 1), say: false)
            restartAt = now + delay
            waitingDelay = delay
        }
    }

    private func healthAnswered(_ result: HealthResult) {
        guard let health, childPID > 0, stopping == nil else { return }
        let (report, change) = health.record(result, at: Clock.monotonic())
        if report { emit(.health(ok: result.ok, detail: result.detail)) }
        switch change {
        case .becameReady:
            emit(.ready)
        case .becameUnhealthy(let failures):
            emit(.unhealthy(failures: failures), next: options.restart == .no ? "" : "; stopping it to restart")
            guard options.restart != .no else { return }
            send(SIGTERM)
            stopping = Stopping(
                escalation: StopEscalation(grace: options.grace, killWait: .infinity, startedAt: Clock.monotonic()),
                signal: SIGTERM, requestedBy: me, reason: .unhealthy)
            health.childStopping()
        case nil:
            break
        }
    }

    private func emit(_ kind: RunEvent.Kind, next: String = "", say: Bool = true) {
        guard let child else { return }
        stateChanged = true
        let event = RunEvent(time: Clock.now(), child: child, kind: kind)
        events?.append(event.json, log: log)
        if say {
            let (text, tone) = RunLog.words(event)
            log.say(text + next, at: event.time, tone)
        }
    }

    /// The state file after a transition.
    private func saveState() {
        stateChanged = false
        guard let stateFile, !finished else { return }
        // A restart is waited for only with no child (it is set when one ends, and cleared as
        // the next starts).
        let phase: StateFile.Phase
        if childPID > 0 {
            phase = stopping == nil ? .running(child: childPID) : .stopping(child: childPID)
        } else if let restartAt {
            phase = .waiting(restartAt: Clock.now() + (restartAt - Clock.monotonic()))
        } else {
            phase = .ended
        }
        stateFile.write(StateFile.State(
            phase: phase, attempt: attempt, restarts: restarts, backoff: waitingDelay ?? plan.nextDelay,
            health: health.map { StateFile.Health(check: $0.target.stateWords, ready: $0.ready, unhealthy: $0.unhealthy, lastAnswer: $0.lastDetail) }))
    }

    /// As PID 1, when the child has ended for good: the other processes of the namespace get
    /// SIGTERM, and SIGKILL after the grace (the kernel would SIGKILL them all when PID 1 exits,
    /// with no chance to finish their writes).
    private func endLeftovers() {
        guard isInit, ChildSignals.sendToEveryOtherProcessInNamespace(SIGTERM) == 0 else { return }
        let deadline = Clock.monotonic() + options.grace
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            if pid > 0 { continue }
            if pid < 0 && errno == ECHILD {
                log.say("the namespace's other processes ended after SIGTERM", at: Clock.now())
                return
            }
            if Clock.monotonic() >= deadline { break }
            var fd = pollfd(fd: inbox.fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&fd, 1, Self.milliseconds(until: deadline))
            _ = inbox.drain()
        }
        _ = ChildSignals.sendToEveryOtherProcessInNamespace(SIGKILL)
        log.say("the namespace's other processes were still there \(DurationText.words(options.grace)) after SIGTERM: sent SIGKILL", at: Clock.now())
        var status: Int32 = 0
        while waitpid(-1, &status, 0) > 0 || errno == EINTR {}
    }
}
