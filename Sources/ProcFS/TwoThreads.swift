#if canImport(Glibc)
import Glibc
#endif

/// Two pieces of work at once, one on a second thread: how `--once` uses a second CPU to read
/// /proc and to write its JSON. Each closure must use only what the other does not write.
public enum TwoThreads {
    /// Runs `a` here and `b` on a second thread; both results. Where no thread can be started,
    /// runs them one after the other.
    public static func both<A, B>(_ a: () -> A, _ b: @escaping () -> B) -> (A, B) {
        let job = Job(b)
        guard let thread = start(job) else { return (a(), b()) }
        let first = a()
        pthread_join(thread, nil)
        return (first, job.result ?? b())
    }

    /// Runs `work` on a thread of its own, for as long as it takes; the thread to join, or nil
    /// where none could be started.
    public static func start(_ work: @escaping () -> Void) -> pthread_t? {
        start(Job(work))
    }

    private static func start(_ job: Work) -> pthread_t? {
        var thread = pthread_t()
        let context = Unmanaged<Work>.passRetained(job).toOpaque()
        // A C function cannot name B: it runs the job through its non-generic base class.
        let started = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<Work>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }, context)
        guard started == 0 else {
            Unmanaged<Work>.fromOpaque(context).release()
            return nil
        }
        return thread
    }

    /// Whether a second thread can run at the same time: more than one CPU online.
    public static var worthIt: Bool { onlineCPUs > 1 }

    public static var onlineCPUs: Int {
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return n > 0 ? n : 1
    }

    private class Work: @unchecked Sendable {
        func run() {}
    }

    private final class Job<B>: Work, @unchecked Sendable {
        let work: () -> B
        var result: B?
        init(_ work: @escaping () -> B) { self.work = work }
        override func run() { result = work() }
    }
}
