#if canImport(Glibc)
import Glibc
#endif
import Journal
import OutputFormats
import ProcFS
import ProcessModel

/// `swtop events --since WHEN`: the journal read back and printed as the live stream prints it:
/// with --json the lines as recorded, else the same words (EventLine) for the same events.
enum RecordedEvents {
    /// Prints the recorded events from `range.since` to `range.until`, filtered by `selection`.
    static func print(directory path: String, range: (since: Double, until: Double), selection: EventSelection, json: Bool) throws {
        let directory = try open(path)
        let reader = JournalReader(directory: directory)
        if !json { return printWords(reader, range: range, selection: selection) }
        // Written in blocks: a write(2) a line would cost more than reading the journal.
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        reader.read(since: range.since, until: range.until, warn: { Output.error($0) }) { line, time in
            // Most lines are settled by their fields; only the rest are read into events.
            if selection.isEmpty || (selection.quickVerdict(line) ?? RecordedEvent(line, time: time).map(selection.matches) ?? false) {
                out += line.bytes
                out.append(UInt8(ascii: "\n"))
                if out.count >= 1 << 16 {
                    Output.write(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
        }
        Output.write(out)
    }

    /// In words: this thread reads and parses the lines, a second (`BatchWorker`) reads each
    /// into its event, words and writes it, in order; a million lines take both CPUs.
    private static func printWords(_ reader: JournalReader, range: (since: Double, until: Double), selection: EventSelection) {
        // A line whose raw fields say it is of the --unit asked for is chosen by the rest of
        // the selection, without reading its cgroup into an object.
        var rest = selection
        rest.process.unit = nil
        // Only the worker touches these until `finish` returns.
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        // The clean exits left out, said once at the end as the live stream's start line says it.
        var hidden = 0
        let worker = BatchWorker<(FlatJSONLine, Double)> { batch in
            for (line, time) in batch {
                let chosen = selection.unitMatches(line) ? rest : selection
                guard let recorded = RecordedEvent(line, time: time, reading: chosen.partsNeeded) else { continue }
                if chosen.matches(recorded) {
                    if let event = recorded.event {
                        EventLine.append(event, to: &out)
                    } else {
                        out.append(contentsOf: words(recorded, line).utf8)
                    }
                    out.append(UInt8(ascii: "\n"))
                } else if chosen.hidesCleanExits, chosen.matchesAll(recorded) {
                    hidden += 1
                }
            }
            if out.count >= 1 << 16 {
                Output.write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        var batch: [(FlatJSONLine, Double)] = []
        batch.reserveCapacity(256)
        reader.read(since: range.since, until: range.until, warn: { Output.error($0) }) { line, time in
            guard selection.mayMatch(line) else { return }
            batch.append((line, time))
            if batch.count == 256 {
                worker.submit(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        worker.submit(batch)
        worker.finish()
        Output.write(out)
        if hidden > 0 { Output.error("\(hidden) clean exits (exit 0) hidden: --all shows them") }
    }

    /// The journal directory a user named (or the default one `--since` reads); its failure
    /// in one line.
    static func open(_ path: String) throws -> JournalDirectory {
        do {
            return try JournalDirectory(path: path, create: false)
        } catch {
            throw Failure(error.description + (error.code == ENOENT ? " (nothing was recorded there: see swtop events --record)" : ""))
        }
    }

    /// The line in words: the live stream's for the events it knows, the journal's own lines'
    /// words, and a newer swtop's kinds by their name.
    static func words(_ recorded: RecordedEvent, _ line: FlatJSONLine) -> String {
        if let event = recorded.event { return EventLine.render(event) }
        let clock = Format.clock(recorded.time)
        if let words = RecordingMarker.words(line) { return clock + " " + DisplayText.escaped(words) }
        guard let p = recorded.process else { return clock + " " + DisplayText.escaped(recorded.kind) }
        return "\(clock) \(p.pid) \(p.name.isEmpty ? "?" : DisplayText.escaped(p.name)): \(DisplayText.escaped(recorded.kind))"
    }
}
