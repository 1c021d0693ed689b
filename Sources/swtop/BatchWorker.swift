#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// A second thread that takes batches in the order they are handed to it: the journal read in
/// words uses both CPUs, the caller reading and parsing the lines while this one words them
/// and writes them out, in order. At most `depth` batches wait, so memory stays flat however
/// large the journal. Where no thread can be started, `submit` does the work itself.
final class BatchWorker<Item>: @unchecked Sendable {
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `lock`.
    private var waiting: [[Item]] = []
    private var finished = false
    private let depth: Int
    private let work: ([Item]) -> Void
    private var thread: pthread_t?

    init(depth: Int = 2, work: @escaping ([Item]) -> Void) {
        pthread_mutex_init(lock, nil)
        pthread_cond_init(changed, nil)
        self.depth = depth
        self.work = work
        thread = TwoThreads.worthIt ? TwoThreads.start { [self] in run() } : nil
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(lock)
        changed.deallocate()
        lock.deallocate()
    }

    /// Hands `batch` over, waiting while `depth` batches wait already.
    func submit(_ batch: [Item]) {
        guard thread != nil else { return work(batch) }
        pthread_mutex_lock(lock)
        while waiting.count >= depth { pthread_cond_wait(changed, lock) }
        waiting.append(batch)
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(lock)
    }

    /// Returns once every batch handed over has been worked through (what the work wrote is
    /// then the caller's to read).
    func finish() {
        guard let thread else { return }
        pthread_mutex_lock(lock)
        finished = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(lock)
        pthread_join(thread, nil)
        self.thread = nil
    }

    private func run() {
        while true {
            pthread_mutex_lock(lock)
            while waiting.isEmpty, !finished { pthread_cond_wait(changed, lock) }
            guard !waiting.isEmpty else {
                pthread_mutex_unlock(lock)
                return
            }
            let batch = waiting.removeFirst()
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(lock)
            work(batch)
        }
    }
}
