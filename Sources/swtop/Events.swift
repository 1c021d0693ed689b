import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Journal
import Lifecycle
import OutputFormats
import ProcFS
import ProcessModel
import Sampling

/// `swtop events [--json] [--for SECONDS]`: what happens to processes, as it happens.
struct Events: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        // Parsed on its own (CommandStart): its usage still reads "swtop events".
        _superCommandName: "swtop",
        abstract: "Stream what happens to processes: exits (code, signal, core dump, OOM kill), zombies, orphans, crash loops.",
        discussion: """
            One line per event until interrupted (Ctrl-C exits 0) or for --for SECONDS; with \
            --json, JSON Lines (schema "swtop-event/1", see the README), flushed as they happen. \
            The first line says which sources are in use: as root the kernel's proc connector \
            reports every exit, even of a process that lived a millisecond; without root, exits \
            are seen through pidfds (Linux 6.15+) and zombies, for processes that lived through a \
            refresh. -p, -u, -F, --unit and --container filter as elsewhere. The lines put what \
            needs attention first: clean exits (exit 0, nobody asked the process to stop) are left \
            out unless --all (or --outcome) is given; --json always prints every event.
            """)

    @OptionGroup var selection: SelectionOptions

    @Flag(help: "Print JSON Lines, one object per event (every event: clean exits too).")
    var json = false

    @Flag(help: "Also print clean exits (exit 0, nobody asked the process to stop), which the lines leave out.")
    var all = false

    @Option(name: .customLong("for"), help: ArgumentHelp("Stop after this many seconds (exit status 0).", valueName: "SECONDS"))
    var duration: Double?

    @Option(help: ArgumentHelp("Report a zombie once its parent has left it unreaped this long.", valueName: "SECONDS"))
    var zombieAfter: Double = 5

    @Option(help: ArgumentHelp("Seconds between reads of /proc (for new processes, zombies and orphans; without root also for exits).", valueName: "SECONDS"))
    var refresh: Double = 1

    @OptionGroup var journal: JournalOptions

    @OptionGroup var filters: EventFilters

    func validate() throws {
        if let duration {
            try OptionValue.check(duration, "--for", 0...31_536_000)
            if duration == 0 { throw ValidationError("invalid --for '0': expected seconds, more than 0") }
        }
        try OptionValue.check(zombieAfter, "--zombie-after", 0...86_400)
        try OptionValue.check(refresh, "--refresh", 0.1...3600)
    }

    func run() throws {
        try Self.reportingFailures {
            let filter = try selection.processFilter()
            let chosen = filters.selection(filter)
            let asJSON = json
            // What is printed: the lines leave clean exits out unless asked for (--all, or an
            // --outcome named); what is recorded stays `chosen`.
            var shown = chosen
            shown.hidesCleanExits = !asJSON && !all && filters.outcome == nil
            if let range = try journal.range(now: Clock.now()), !journal.follow {
                return try RecordedEvents.print(directory: journal.directory, range: range, selection: shown, json: asJSON)
            }
            // Without the proc connector, exits are seen through a pidfd per process: half the
            // fds for them.
            let sampler = try Sampler(root: "/proc", keepFilesOpen: true, shareFDs: LifecycleMonitor.connectorUsable ? 0 : 0.5)
            // The cgroup for each event's unit and container (read once a process, and again
            // only where it ran since: see LiveRefresh; between snapshots at each exec).
            let sample = SampleOptions(files: [.status, .cmdline, .cgroup])
            // Recorded events up to this moment, live ones after it: none told twice or missed.
            let watchingSince = Clock.now()
            // Subscribed before the first reading, so no exit falls between the two.
            let monitor = LifecycleMonitor(
                reader: sampler.reader, options: LifecycleMonitor.Options(zombieAfter: zombieAfter, pidfdBudget: sampler.sharedFDs),
                build: sampler.entry)
            let first = try sampler.sample(sample)
            if asJSON {
                Output.write(EventJSON.header(sources: monitor.sources, notes: monitor.notes))
            } else {
                Output.line("swtop events: watching with " + monitor.sources.joined(separator: ", ")
                    + monitor.notes.map { "; " + $0 }.joined() + (shown.hidesCleanExits ? "; " + Self.cleanExitsNote : ""))
            }
            _ = monitor.update(with: first)
            // The recorded events up to now (the monitor is already watching: none falls between).
            if let range = try journal.range(now: watchingSince) {
                try RecordedEvents.print(directory: journal.directory, range: (range.since, watchingSince), selection: shown, json: asJSON)
            }
            let recorder = journal.record
                ? Recorder(directory: journal.directory, options: journal.recorderOptions, sources: monitor.sources) { Output.error($0) } : nil
            // After the loop, however it ends: the `stopped` line, the file synced.
            defer { recorder?.stop() }
            Interrupt.install()

            let start = Clock.monotonic()
            var lastScan = start
            var lastDrain = start
            var busy = false
            var lostReported = 0
            var lostSignalsReported = 0
            while !Interrupt.received, Output.stdoutError == nil {
                let now = Clock.monotonic()
                if let duration, now - start >= duration { break }
                // With the connector, /proc is read only when wanted or every 30 s; the loop
                // still wakes each --refresh for zombies' due checks. (Waking at a moment already
                // past made it spin.)
                var wake = monitor.isEventDriven && !monitor.wantsSnapshot ? min(lastScan + 30, now + refresh) : max(lastScan + refresh, now)
                if let duration { wake = min(wake, start + duration) }
                let wokeEarly = Self.wait(for: monitor.pollFDs, seconds: wake - now)
                // When processes end by the hundred, take them in batches: one wake-up per 20 ms
                // instead of one per event (the connector's buffer holds far more). Otherwise at
                // once, so new programs are read while they still run.
                let sinceDrain = Clock.monotonic() - lastDrain
                if busy, sinceDrain < 0.02 { Clock.sleep(seconds: 0.02 - sinceDrain) }
                lastDrain = Clock.monotonic()
                var events = monitor.pollSources()
                busy = events.count >= 32
                // A source that reports readable with nothing to read (seen once after a burst of
                // thousands of forks at start) must not make this loop spin: at most 20 empty
                // wake-ups a second.
                if wokeEarly, events.isEmpty { Clock.sleep(seconds: 0.05) }
                let after = Clock.monotonic()
                // With the proc connector every exit is reported as it happens: /proc is read
                // again only when exits may have left zombies or orphans, and now and then.
                if after - lastScan >= refresh, !monitor.isEventDriven || monitor.wantsSnapshot || after - lastScan >= 30 {
                    events += monitor.update(with: try sampler.sample(sample))
                    lastScan = after
                }
                if monitor.lostEvents > lostReported {
                    let lost = monitor.lostEvents - lostReported
                    lostReported = monitor.lostEvents
                    Output.error("\(lost) events lost: the proc connector's buffer overflowed")
                    recorder?.recordKernelLoss(lost)
                }
                if monitor.lostSignals > lostSignalsReported {
                    let lost = monitor.lostSignals - lostSignalsReported
                    lostSignalsReported = monitor.lostSignals
                    Output.error("\(lost) signals lost: the signal tracepoint's ring buffer overflowed (their senders are not known)")
                    recorder?.recordKernelLoss(lost)
                }
                for event in events where chosen.matches(event) {
                    if shown.matches(event) {
                        Output.write(asJSON ? EventJSON.render(event) : Array((EventLine.render(event) + "\n").utf8))
                    }
                    recorder?.record(event)
                }
                recorder?.tick()
            }
        }
    }

    /// The start line's note, where clean exits are left out.
    static let cleanExitsNote = "clean exits (exit 0) hidden: --all shows them"

    /// Waits until one of `fds` is readable, `seconds` pass, or a signal arrives; whether it
    /// returned before the time was up.
    @discardableResult
    static func wait(for fds: [Int32], seconds: Double) -> Bool {
        var polls = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let ms = Int32(max(0, min(seconds, 3600)) * 1000)
        return polls.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), ms) } != 0
    }
}

/// Ctrl-C (and SIGTERM, SIGHUP) end `swtop events` with status 0, after the line being written.
enum Interrupt {
    nonisolated(unsafe) static var received = false

    static func install() {
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in Interrupt.received = true }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0  // no SA_RESTART: poll returns at once
            sigaction(signal, &action, nil)
        }
        // A parent may have started swtop with them blocked; they must still end it.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblock, signal) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }
}
