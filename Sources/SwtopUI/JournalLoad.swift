#if canImport(Glibc)
import Glibc
#endif
import ProcFS
import Synchronization

/// The journal read on a thread of its own, so the screen's first picture and its keys never
/// wait for it: the loop takes the result when it is there (`take`), once.
final class JournalLoad: Sendable {
    private let result = Mutex<RecordedHistory?>(nil)
    private let taken = Atomic<Bool>(false)
    let directory: String
    let until: Double

    /// Starts reading the last 24 h of `directory` up to `until`. Where no thread can be
    /// started, reads it here: the screen is slower to show it, but shows it.
    init(directory: String, until: Double) {
        self.directory = directory
        self.until = until
        // Nobody joins it: it ends by itself, or with the process at quit.
        if let thread = TwoThreads.start({ [self] in run() }) {
            pthread_detach(thread)
        } else {
            run()
        }
    }

    private func run() {
        let history = RecordedHistory.read(directory: directory, until: until)
        result.withLock { $0 = history }
    }

    /// The history once it is read, the first time it is asked for after that; nil before and after.
    func take() -> RecordedHistory? {
        guard !taken.load(ordering: .acquiring) else { return nil }
        guard let history = result.withLock({ $0 }) else { return nil }
        taken.store(true, ordering: .releasing)
        return history
    }
}
