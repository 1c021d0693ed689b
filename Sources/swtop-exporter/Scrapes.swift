import NIOCore
import NIOPosix
import PrometheusExport
import StartupMemory

/// Runs scrapes so that /proc is read at most once per scrape: a scrape that arrives while a
/// reading is under way shares its exposition instead of starting another.
///
/// Lives on the server's one event loop: `waiting` and `reading` are touched only there
/// (checked); the exporter only on the pool's one thread, one reading at a time.
final class Scrapes: @unchecked Sendable {
    private let exporter: MetricsExporter
    private let pool: NIOThreadPool
    let loop: EventLoop
    private var waiting: [EventLoopPromise<[UInt8]>] = []
    private var reading = false
    private var scrapes = 0

    init(exporter: MetricsExporter, pool: NIOThreadPool, loop: EventLoop) {
        self.exporter = exporter
        self.pool = pool
        self.loop = loop
    }

    /// The exposition of the reading under way, or of a new one.
    func exposition() -> EventLoopFuture<[UInt8]> {
        loop.preconditionInEventLoop()
        let promise = loop.makePromise(of: [UInt8].self)
        waiting.append(promise)
        if !reading {
            reading = true
            pool.runIfActive(eventLoop: loop) { [self] in try exporter.exposition() }
                .whenComplete { [self] result in
                    loop.preconditionInEventLoop()
                    reading = false
                    scrapes += 1
                    // After the first scrape too: its first run of the serving code brought
                    // pages of start-up's back (fault-around maps 64 KB around each page).
                    if scrapes == 1 { StartupPages.giveBack() }
                    let served = waiting
                    waiting = []
                    for promise in served { promise.completeWith(result) }
                }
        }
        return promise.futureResult
    }
}
