import Journal
import Lifecycle
import ProcessModel

/// One line of the E view: an event (live or recorded, drawn alike), or a line of its own.
public enum EventRow {
    case event(LifecycleEvent)
    case text(String, Role)

    /// A dim rule that says what the lines below it are: "── recorded in /var/log/swtop ──".
    static func rule(_ words: String) -> EventRow { .text("── " + DisplayText.escaped(words) + " ──", .dim) }
}

extension ViewState {
    /// The events view's lines, newest first: the live events of the processes the list's
    /// filters pass; then, where a journal is read, the recorded ones of the last 24 h before
    /// the screen started, with when nobody recorded. Recorded events go through the same
    /// filters as live ones (`LifecycleView.matching`, and clean exits hidden without `a`).
    public var eventRows: [EventRow] {
        guard let lifecycle else { return [] }
        let filter = listing.filter
        let live = shownEvents.map(EventRow.event)
        guard let recorded else { return live }
        switch recorded.state {
        case .unreadable(let why):
            // Said once, at the top, however many refreshes and live events follow.
            return [EventRow.rule(why)] + live
        case .reading:
            return [EventRow.rule("live since " + Format.clock(recorded.until))] + live + [EventRow.rule("reading the journal in " + recorded.directory)]
        case .read:
            var past = Self.recordedRows(recorded, events: recordedEvents(recorded).shown, filter: filter)
            var header = "recorded in " + recorded.directory + ", the last \(Int(RecordedHistory.hours)) h"
            if past.isEmpty, recorded.cut == 0 { header += ": nothing" }
            if recorded.cut > 0 {
                past.append(.rule("\(recorded.cut) older recorded line\(recorded.cut == 1 ? "" : "s") left out: swtop events --since 24h --journal " + recorded.directory + " lists them"))
            }
            let rows = [EventRow.rule("live since " + Format.clock(recorded.until))] + live + [EventRow.rule(header)]
            return rows + recorded.warnings.map { EventRow.text(DisplayText.escaped($0), .dim) } + past
        }
    }

    /// The recorded `events` (those shown: filtered, clean exits left out without `a`), notes
    /// and gaps, newest first, a rule where the (local) day changes.
    static func recordedRows(_ recorded: RecordedHistory, events: [LifecycleEvent], filter: ProcessFilter) -> [EventRow] {
        let notes = recorded.notes.filter { note in
            guard !filter.isEmpty, let p = note.process else { return true }
            return filter.matches(pid: p.pid, uid: p.uid, name: p.name, command: p.cmdline.joined(separator: " "))
        }
        let gaps = recorded.gaps
        var e = events.count - 1, n = notes.count - 1, g = gaps.count - 1
        var rows: [EventRow] = []
        rows.reserveCapacity(events.count + notes.count + gaps.count)
        var day: String?
        // A gap sits above the events before it and below those after it: it is placed by its end.
        while e >= 0 || n >= 0 || g >= 0 {
            let te = e >= 0 ? events[e].time : -.infinity
            let tn = n >= 0 ? notes[n].time : -.infinity
            let tg = g >= 0 ? gaps[g].to : -.infinity
            let time = max(te, tn, tg)
            let today = Format.localDate(time)
            if let shown = day, shown != today { rows.append(.rule(today)) }
            day = today
            if te == time {
                rows.append(.event(events[e]))
                e -= 1
            } else if tn == time {
                let note = notes[n]
                rows.append(.text(LifecycleView.line(time: note.time, process: note.process, words: note.text), .normal))
                n -= 1
            } else {
                rows.append(.rule(Self.gapWords(gaps[g], day: today)))
                g -= 1
            }
        }
        return rows
    }

    /// "not recorded 03:12:05 – 09:00:00", with the date of a start on another day than `day`
    /// (the end's); "not recorded for under a second at 09:00:00" (a recorder restarted at once).
    static func gapWords(_ gap: RecordingGaps.Gap, day: String) -> String {
        let from = Format.clock(gap.from), to = Format.clock(gap.to)
        let fromDay = Format.localDate(gap.from)
        if from == to, fromDay == day { return "not recorded for under a second at " + to }
        return "not recorded " + (fromDay == day ? "" : fromDay + " ") + from + " – " + to
    }
}
