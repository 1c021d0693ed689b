import Journal
import Testing

/// When nobody recorded, from the journal's `recording` lines.
struct RecordingGapsTests {
    typealias Gap = RecordingGaps.Gap

    @Test func stoppedThenStartedIsAGap() {
        var gaps = RecordingGaps(since: 0)
        gaps.take(time: 100, started: true)
        gaps.take(time: 150, started: nil)
        gaps.take(time: 200, started: false)
        gaps.take(time: 500, started: true)
        gaps.end(at: 900)
        #expect(gaps.gaps == [Gap(from: 0, to: 100), Gap(from: 200, to: 500)])
    }

    /// A recorder killed (no stopped line): from the last line it wrote to the next start.
    @Test func startedWithoutStopEndsAtItsLastLine() {
        var gaps = RecordingGaps(since: 50)
        gaps.take(time: 60, started: nil)
        gaps.take(time: 100, started: true)
        gaps.take(time: 130, started: nil)
        gaps.take(time: 140, started: nil)
        gaps.take(time: 300, started: true)
        gaps.end(at: 900)
        // Lines before the first start: an earlier recorder, killed after its last line (60).
        #expect(gaps.gaps == [Gap(from: 60, to: 100), Gap(from: 140, to: 300)])
    }

    /// Stopped and never started again: nobody recorded up to the end of the range (the
    /// screen's start); still recording at the end: no gap invented.
    @Test func theEndOfTheRange() {
        var stopped = RecordingGaps(since: 0)
        stopped.take(time: 10, started: true)
        stopped.take(time: 20, started: false)
        stopped.end(at: 90)
        #expect(stopped.gaps == [Gap(from: 0, to: 10), Gap(from: 20, to: 90)])
        var running = RecordingGaps(since: 0)
        running.take(time: 10, started: true)
        running.take(time: 20, started: nil)
        running.end(at: 90)
        #expect(running.gaps == [Gap(from: 0, to: 10)])
        var empty = RecordingGaps(since: 0)
        empty.end(at: 90)
        #expect(empty.gaps == [])
    }

    /// A journal of nothing but restarts keeps only the newest gaps; a start at the same moment
    /// as the stop is no gap.
    @Test func keepsTheNewestGapsOnly() {
        var gaps = RecordingGaps(since: 0, limit: 3)
        for i in 1...10 {
            gaps.take(time: Double(i * 10), started: true)
            gaps.take(time: Double(i * 10 + 5), started: false)
        }
        gaps.take(time: 105, started: true)
        #expect(gaps.gaps == [Gap(from: 75, to: 80), Gap(from: 85, to: 90), Gap(from: 95, to: 100)])
    }
}
