/// When nobody recorded, from the journal's `recording` lines read in order: from a `stopped`
/// line to the next `started`, and from the last line of a recorder that ended without a
/// `stopped` line (killed) to the next `started`. A recorder whose last word is `started` is
/// taken to be still running: nothing is invented for a gap that the journal does not show.
public struct RecordingGaps {
    public struct Gap: Equatable, Sendable {
        public var from: Double
        public var to: Double

        public init(from: Double, to: Double) {
            self.from = from
            self.to = to
        }
    }

    enum State {
        /// No `recording` line read yet: what came before the range is not known.
        case unknown
        case recording
        case stopped(at: Double)
    }

    /// The gaps found, oldest first (the newest `limit` of them).
    public private(set) var gaps: [Gap] = []
    let limit: Int
    let since: Double
    var state = State.unknown
    /// The time of the last line read, of any kind.
    var lastLine: Double?

    /// - Parameters:
    ///   - since: where the range read begins: a `started` line before any other line in it
    ///     means nothing was recorded from `since` to it.
    ///   - limit: the most gaps kept (a journal of nothing but restarts must not grow memory).
    public init(since: Double, limit: Int = 1000) {
        self.since = since
        self.limit = max(1, limit)
    }

    /// Takes one line: `started` and `stopped` for the `recording` lines, nil for any other.
    public mutating func take(time: Double, started: Bool?) {
        defer { lastLine = time }
        switch started {
        case true?:
            switch state {
            case .stopped(let at): add(from: at, to: time)
            // A recorder that never said it stopped: killed after the last line it wrote.
            case .recording: add(from: lastLine ?? since, to: time)
            // The first recorder in the range: any earlier one wrote nothing in it after `since`.
            case .unknown: add(from: lastLine ?? since, to: time)
            }
            state = .recording
        case false?:
            state = .stopped(at: time)
        case nil:
            // An event after a stop: another recorder was running all along.
            if case .stopped = state { state = .recording }
        }
    }

    /// The range read ends at `time` (the screen's start): a recorder that stopped and was not
    /// started again leaves a gap up to it.
    public mutating func end(at time: Double) {
        if case .stopped(let at) = state { add(from: at, to: time) }
        state = .recording
    }

    mutating func add(from: Double, to: Double) {
        guard to > from else { return }
        if gaps.count == limit { gaps.removeFirst() }
        gaps.append(Gap(from: from, to: to))
    }
}
