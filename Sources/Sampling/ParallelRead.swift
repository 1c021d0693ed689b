import Synchronization
import ProcFS
import ProcessModel

/// Reading /proc is kernel time, one open and read per file, so on a machine with more than
/// one CPU the process list is split in two and the second part is read on a second thread,
/// with its own reader. Measured with 5,000 processes on 2 cores: about half the wall time.
enum ParallelRead {
    /// Every process (or thread) of `pids` that could be read, in pid order.
    static func read(_ reader: ProcReader, _ pids: ArraySlice<Int32>, _ options: SampleOptions, walked: CgroupWalk?) -> [RawProcess] {
        var raws: [RawProcess] = []
        raws.reserveCapacity(pids.count)
        for pid in pids {
            for row in reader.rows(of: pid, threads: options.threads) {
                guard var raw = reader.process(pid, tid: row.directory, files: options.files, walked: walked) else { continue }
                raw.tid = row.tid
                raws.append(raw)
            }
        }
        return raws
    }

    /// Reads `pids` with `main` and, when worth it, on a second thread with `helper` too: each
    /// takes the next 64 pids until none are left, so neither waits for the other at the end
    /// (the halves by pid differ: kernel threads have less to read). With `walkCgroups`, every
    /// process's cgroup comes from one walk of the hierarchy, made by the helper while the
    /// main thread reads (see `ProcReader.walkCgroups`).
    static func read(_ pids: [Int32], main: ProcReader, helper: ProcReader?, options: SampleOptions, walkCgroups: Bool) -> [RawProcess] {
        var perProcess = options
        let wantsCgroup = perProcess.files.remove(.cgroup) != nil
        guard let helper, pids.count >= 200 else {
            let walked = wantsCgroup && walkCgroups ? main.walkCgroups() : nil
            var raws = read(main, pids[...], perProcess, walked: nil)
            if wantsCgroup { addCgroups(&raws, main, walked) }
            return raws
        }
        let chunk = 64
        let chunks = (pids.count + chunk - 1) / chunk
        let next = ChunkCounter()
        func work(_ reader: ProcReader) -> [(index: Int, raws: [RawProcess])] {
            var done: [(index: Int, raws: [RawProcess])] = []
            while true {
                let c = next.take()
                guard c < chunks else { return done }
                done.append((c, read(reader, pids[(c * chunk)..<min((c + 1) * chunk, pids.count)], perProcess, walked: nil)))
            }
        }
        let (mine, helpers) = TwoThreads.both({ work(main) }, { (wantsCgroup && walkCgroups ? helper.walkCgroups() : nil, work(helper)) })
        var ordered = [[RawProcess]](repeating: [], count: chunks)
        for part in mine { ordered[part.index] = part.raws }
        for part in helpers.1 { ordered[part.index] = part.raws }
        var raws: [RawProcess] = []
        raws.reserveCapacity(pids.count)
        for part in ordered { raws.append(contentsOf: part) }
        if wantsCgroup { addCgroups(&raws, main, helpers.0) }
        return raws
    }

    private static func addCgroups(_ raws: inout [RawProcess], _ reader: ProcReader, _ walked: CgroupWalk?) {
        for i in raws.indices { raws[i].cgroup = reader.cgroup(of: raws[i], walked: walked) }
    }
}

/// The next chunk of work for whichever thread asks first.
private final class ChunkCounter: Sendable {
    private let next = Atomic<Int>(0)
    func take() -> Int { next.wrappingAdd(1, ordering: .relaxed).oldValue }
}
