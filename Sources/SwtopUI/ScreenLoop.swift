import ProcFS
import ProcessModel
import Sampling
import StartupMemory

/// Why the screen stopped other than by a quit.
public struct ScreenError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The interactive screen: sample, draw, wait for a key or the next refresh (getch's timeout is
/// the tick), apply the key, repeat. Returns on quit with the terminal restored.
public struct ScreenLoop {
    public var options: ScreenOptions
    public var theme: Theme
    /// The user name of the `-u` filter, for the status line.
    public var userName: String?

    public init(options: ScreenOptions, theme: Theme, userName: String? = nil) {
        self.options = options
        self.theme = theme
        self.userName = userName
    }

    /// Returns the settings as the screen has them at quit (F2, sort, tree), for the settings file.
    public func run(sampler: Sampler) throws(ScreenError) -> ScreenSettings {
        var state = ViewState(options)
        state.setUserFilterName(userName)
        let replay = options.replaySource != nil
        // (A proc root that is not one failed in the sampler's init, with a plain message.)
        let terminal: Terminal
        do {
            terminal = try Terminal(theme: theme)
        } catch {
            throw ScreenError(error.description)
        }
        SignalExit.install()
        defer { terminal.end() }
        // The process's start-up is over: argument parsing, the runtime's registration, ncurses
        // reading the terminfo entry. None of it runs again: give back the pages it mapped,
        // before the first sample makes the heap grow.
        StartupPages.giveBack()
        // The arrays of every process that each refresh builds go back to the kernel when freed,
        // instead of leaving holes in the heap.
        LargeBlocks.mapEachOnItsOwn()

        // What happens to processes, on the live /proc only (a replay has no kernel to ask);
        // subscribed before the first reading, so no exit falls between the two.
        // Recorded events up to this moment, live ones after it: none told twice or missed.
        let watchingSince = Clock.now()
        let lifecycle = replay ? nil : ScreenLifecycle(sampler: sampler)
        var journal: JournalLoad?
        var previous: Snapshot
        do {
            previous = try sampler.sample(state.sampleOptions())
        } catch {
            throw ScreenError(error.description)
        }
        /// A snapshot into the lifecycle monitor and the state: the monitor first, so the state
        /// has its zombie ages, then what the screen shows of it.
        var heap = FreeHeap()
        func take(_ snapshot: Snapshot, baseline: Bool) {
            lifecycle?.observe(snapshot, state: &state)
            state.update(snapshot, now: Clock.monotonic(), baseline: baseline)
            lifecycle?.show(snapshot, state: &state)
            // After a burst of orphans or exits, what was built for them is freed by now.
            heap.giveBackIfGrown()
        }
        take(previous, baseline: true)
        // The first sample read every process in full (status, command line, cgroup, user
        // names), which no later sample does: give back its code before the first picture maps
        // the drawing code, so that the two are never mapped at once (the start-up peak).
        StartupPages.giveBack()
        if let text = options.startMessage {
            state.say(text, error: true)
            // Long enough to be read: it is said once.
            state.message?.until = Clock.monotonic() + 15
        }

        var renderer = ScreenRenderer(theme: theme)
        var colorShown = state.color
        var delay: Double { Double(state.delayTenths) / 10 }
        let actions = ProcessActions(grace: options.grace)
        // So the end of a process swtop stops says whether it went at SIGTERM or needed SIGKILL.
        if let lifecycle {
            let monitor = lifecycle.monitor
            actions.noteSent = { monitor.noteSent(signal: $0, to: $1) }
            // A stop's end in the status line in the words of the list and the E view.
            actions.describeEnd = { lifecycle.ending(of: $0) }
        }
        // The first CPU% needs a second sample: take it soon rather than a full delay later.
        var nextSample = replay ? Double.infinity : Clock.monotonic() + min(delay, 1.0)
        var clear = true
        var startedUp = false
        while true {
            let (width, height) = terminal.size
            let layout = renderer.layout(state, width: width, height: height)
            state.setListHeight(layout.listHeight)
            state.setDetailPageSize(width: width, height: max(1, layout.statusRow - 1))
            terminal.draw(renderer.render(state, width: width, height: height), clear: clear)
            clear = false
            // The screen's own start-up is over with its first picture: the runtime's first use
            // of each type, ncurses' first paint. Give back what only that touched, before the
            // second sample doubles the heap.
            if !startedUp {
                StartupPages.giveBack()
                startedUp = true
                // The journal is read after the first picture, on a thread of its own.
                if lifecycle != nil, let directory = options.journal {
                    state.setRecorded(RecordedHistory(directory: directory, state: .reading, until: watchingSince))
                    journal = JournalLoad(directory: directory, until: watchingSince)
                }
            } else if let history = journal?.take() {
                state.setRecorded(history)
                journal = nil
                // Reading the journal runs once: its code's pages are given back too, as soon as
                // it is done (the loop wakes every 50 ms until then), before the second sample
                // maps its own: the two at once were the screen's peak RSS.
                StartupPages.giveBack()
                continue
            }

            let now = Clock.monotonic()
            var wait = state.paused ? 1.0 : nextSample - now
            if let message = state.message { wait = min(wait, message.until - now) }
            if journal?.isPending == true { wait = min(wait, 0.05) }
            // A graceful stop counts down in its row: wake often enough to show each second.
            if actions.isBusy { wait = min(wait, 0.2) }
            wait = min(max(wait, 0), 1.0)
            if let key = terminal.readKey(timeoutMs: Int((wait * 1000).rounded(.up))) {
                let delayBefore = state.delayTenths
                let effects: Effects
                if case .mouse(let event) = key {
                    effects = state.handle(event, on: renderer.target(at: event.x, event.y, in: state, width: width, height: height))
                } else {
                    effects = state.handle(key)
                }
                if effects.contains(.quit) { return state.settings }
                if state.color != colorShown {
                    colorShown = state.color
                    renderer.theme = colorShown ? .color : .monochrome
                    terminal.apply(theme: renderer.theme)
                    clear = true
                }
                // A shorter delay takes effect now, not after the old one.
                if state.delayTenths != delayBefore, !replay { nextSample = min(nextSample, Clock.monotonic() + delay) }
                for request in state.takeRequests() { actions.perform(request, on: &state) }
                // A page just opened is read at once, not a refresh later.
                if state.detailView?.files == nil { DetailRefresh.refresh(&state, reader: sampler.reader) }
                if effects.contains(.redraw) { clear = true }
                if effects.contains(.resample), !replay {
                    do {
                        previous = try sampler.sample(state.sampleOptions())
                    } catch {
                        throw ScreenError(error.description)
                    }
                    // Other rows than before: nothing in it is new or exited, and CPU% waits
                    // for the next sample, taken soon.
                    take(previous, baseline: true)
                    nextSample = Clock.monotonic() + min(delay, 0.5)
                }
            }
            let t = Clock.monotonic()
            state.tick(now: t)
            actions.step(&state)
            if !state.paused, t >= nextSample {
                let next: Snapshot
                do {
                    next = try sampler.sample(state.sampleOptions(), since: previous)
                } catch {
                    throw ScreenError(error.description)
                }
                previous = next
                take(next, baseline: false)
                nextSample = t + delay
                // The limits view is read again with every refresh.
                if let view = state.limitsView { actions.perform(.readLimits(view.target), on: &state) }
                // So is the detail page, until its process exits.
                DetailRefresh.refresh(&state, reader: sampler.reader)
            }
        }
    }
}
