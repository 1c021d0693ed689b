import Journal
import Lifecycle
import ProcFS
import ProcessModel

/// The E view's recorded part: the journal's events of the last 24 hours before the screen
/// started (live events come after, so none is shown twice), when nobody recorded, and why
/// nothing could be read. Read once, in one streaming pass that keeps only the newest lines.
public final class RecordedHistory: Sendable {
    public enum State: Sendable, Equatable {
        /// Still being read (on its own thread, after the screen's first picture).
        case reading
        case read
        /// No journal could be read: the words say why, once, at the top of the view.
        case unreadable(String)
    }

    /// A recorded line that is not a process's event the monitor knows: events lost, or a
    /// kind a newer swtop wrote (with its process, so the list's filters apply to it).
    public struct Note: Sendable {
        public var time: Double
        public var text: String
        public var process: ProcessFacts?
    }

    /// How far back the view looks.
    public static let hours = 24.0
    /// The most recorded lines kept: the screen's memory stays small whatever the journal holds.
    public static let limit = 2000

    public let directory: String
    public let state: State
    /// Where the journal was read up to: the screen's start (the live events begin there).
    public let until: Double
    /// The recorded events, oldest first.
    public let events: [LifecycleEvent]
    /// Lost events and newer kinds, oldest first.
    public let notes: [Note]
    /// When nobody recorded, oldest first.
    public let gaps: [RecordingGaps.Gap]
    /// The older lines left out to keep `limit`.
    public let cut: Int
    /// The reader's warnings: files it could not open, lines that did not parse.
    public let warnings: [String]

    init(directory: String, state: State, until: Double, events: [LifecycleEvent] = [], notes: [Note] = [], gaps: [RecordingGaps.Gap] = [], cut: Int = 0, warnings: [String] = []) {
        self.directory = directory
        self.state = state
        self.until = until
        self.events = events
        self.notes = notes
        self.gaps = gaps
        self.cut = cut
        self.warnings = warnings
    }

    /// Reads the journal in `directory` from `hours` before `until` up to `until`.
    public static func read(directory path: String, until: Double, limit: Int = limit) -> RecordedHistory {
        let directory: JournalDirectory
        do {
            directory = try JournalDirectory(path: path, create: false)
        } catch {
            return RecordedHistory(directory: path, state: .unreadable("no journal: " + error.description), until: until)
        }
        let since = until - hours * 3600
        var newest = NewestLines(limit: limit)
        var gaps = RecordingGaps(since: since)
        var warnings: [String] = []
        JournalReader(directory: directory).read(since: since, until: until, warn: { if warnings.count < 3 { warnings.append($0) } }) { line, time in
            if let kind = line.rawString("event"), kind.elementsEqual("recording".utf8) {
                gaps.take(time: time, started: line.rawString("state")?.elementsEqual("started".utf8) ?? false)
            } else {
                gaps.take(time: time, started: nil)
                newest.append(line.bytes)
            }
        }
        gaps.end(at: until)
        var events: [LifecycleEvent] = []
        var notes: [Note] = []
        for bytes in newest.oldestFirst {
            guard let line = FlatJSONLine(bytes[...]), let recorded = RecordedEvent(line) else { continue }
            if let event = recorded.event {
                events.append(event)
            } else if let words = RecordingMarker.words(line) {
                notes.append(Note(time: recorded.time, text: words))
            } else if let p = recorded.process {
                notes.append(Note(time: recorded.time, text: recorded.kind, process: p))
            }
        }
        // Where older lines were left out, so were the gaps among them: a gap is not shown
        // next to events it did not come between.
        var kept = gaps.gaps
        if newest.dropped > 0, let oldest = [events.first?.time, notes.first?.time].compactMap({ $0 }).min() {
            kept.removeAll { $0.to < oldest }
        }
        return RecordedHistory(
            directory: path, state: .read, until: until, events: events, notes: notes, gaps: kept, cut: newest.dropped,
            warnings: warnings)
    }
}

/// The newest lines of a stream, in a ring: the memory of `limit` lines, however many pass.
struct NewestLines {
    let limit: Int
    private var ring: [[UInt8]] = []
    private var next = 0
    /// How many older lines were let go.
    private(set) var dropped = 0

    init(limit: Int) { self.limit = max(1, limit) }

    mutating func append(_ line: ArraySlice<UInt8>) {
        if ring.count < limit {
            ring.append(Array(line))
        } else {
            ring[next] = Array(line)
            next = (next + 1) % limit
            dropped += 1
        }
    }

    var oldestFirst: [[UInt8]] { Array(ring[next...] + ring[..<next]) }
}
