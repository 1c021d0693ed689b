#if canImport(Glibc)
import Glibc
#endif
import ProcFS
import Synchronization

/// The journal read on a thread of its own, so the screen's first picture and its keys never
/// wait for it: the loop takes the result when it is there (`take`), once.
final class JournalLoad: @unchecked Sendable {
    private let result = Mutex<RecordedHistory?>(nil)
    let directory: String
    let until: Double
    /// The reading thread, until it is joined (touched by the screen's thread only).
    private var thread: pthread_t?
    private var taken = false

    /// Starts reading the last 24 h of `directory` up to `until`. Where no thread can be
    /// started, reads it here: the screen is slower to show it, but shows it.
    init(directory: String, until: Double) {
        self.directory = directory
        self.until = until
        thread = TwoThreads.start({ [self] in run() })
        if thread == nil { run() }
    }

    private func run() {
        let history = RecordedHistory.read(directory: directory, until: until)
        result.withLock { $0 = history }
    }

    /// The history once it is read, the first time it is asked for after that; nil before and
    /// after. The thread has ended when it returns (joined), so that nothing of the reading runs
    /// after the screen gives back the pages it mapped.
    func take() -> RecordedHistory? {
        guard !taken, let history = result.withLock({ $0 }) else { return nil }
        taken = true
        if let thread { pthread_join(thread, nil) }
        thread = nil
        return history
    }

    /// Whether the history is still to be taken: the screen wakes often until it is.
    var isPending: Bool { !taken }
}
