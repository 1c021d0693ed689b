import ProcFS
import ProcessModel

/// How the screen reads /proc again and again without becoming the process that eats the CPU.
///
/// Each process keeps one fd open, on its `schedstat` (see KeptProcess). A refresh reads
/// `schedstat` first: a single-threaded process whose scheduler account did not move has not run
/// since the last refresh, so its state, CPU time, name, thread count and memory map are what
/// they were, and its row is kept without reading `stat` or `statm`. Everything else is read in
/// full (`stat` and `statm` opened by path, and `stat`'s start time checked against the row's,
/// as the PID may name another process by now):
/// - processes that ran, new processes, and processes with more than one thread (`schedstat`
///   covers only the main thread);
/// - the rows on screen (`SampleOptions.shown`), every refresh, because a few things change
///   without the process running: another process can renice it, and the kernel can reclaim its
///   memory;
/// - the children of a process that exited (vanished or became a zombie), which the kernel gave
///   a new parent;
/// - a twentieth of all processes in turn, so nothing off screen is older than twenty refreshes
///   (a safety net: what changes without running matters on screen, where rows are always read);
/// - every process when `SampleOptions.readAll` is set (the sort is by nice or priority).
///
/// Processes beyond the fd budget (see `fdBudget`) are treated the same way, with `schedstat`
/// asked of the kernel's taskstats for all of them at once, in batches (root only: see
/// TaskAccounts; half the cost of a path read), or else read by path: one open and read, cheaper
/// than `stat`. Either way it is the account of whatever task has the id now; a new task there
/// has its own account, which differs, and the start time check of the full read then tells it
/// is another process.
///
/// In the thread view each thread keeps its own `schedstat`, and a process none of whose threads ran,
/// with the same threads as before, keeps all its rows; any other process is read in full.
///
/// `status` (the uid) and `cmdline` are read when a process is new, when its name changed (it
/// exec'd), and when it ran while on screen (a process may rewrite its command line).
/// `cgroup` is read when a process is new and when it ran (only a running process is moved to
/// another cgroup); `io`, `oom_score` and `oom_score_adj` for the rows on screen, and for all
/// when `readAll` (the sort is by I/O or OOM score).
final class LiveRefresh {
    /// One per process, beside its entry in `entries` (48 bytes).
    private struct Row {
        var files: KeptProcess
        /// `schedstat` as read just before the last full read; `unread` when it was not.
        var ran: ProcSchedstat
        /// The row's tid in the thread view (the pid for a process whose task/ cannot be listed).
        var tid: Int32?

        var key: (Int32, Int32) { (files.pid, tid ?? 0) }
    }

    private enum Outcome {
        case kept
        /// Read in full; `becameZombie`: it exited since the last read (its children were given
        /// a new parent).
        case read(becameZombie: Bool)
        case gone
    }

    /// Every process is read in full once in this many refreshes.
    static let rotation = 20

    /// Whether the `refresh`th refresh (counted from 1) reads `pid` in full in any case.
    static func isRotationTurn(pid: Int32, refresh: Int) -> Bool {
        (Int(pid) &+ refresh) % rotation == 0
    }

    private let reader: ProcReader
    /// Makes an entry of what was read (user names, page size, boot time).
    private let build: (RawProcess) -> ProcessEntry
    private var rows: [Row] = []
    /// The entries the last refresh returned, one per row, as given back by `keep` (shared with
    /// the snapshot that holds them; the boxes of fields are shared with the one before).
    private var entries: [ProcessEntry] = []
    private var refreshes = 0
    /// The pids read in full by the last refresh (for the tests: everything else was kept).
    private(set) var lastFullReads: [Int32] = []

    /// How many fds the kept files may hold: the rest of the process's fds must stay free for
    /// what the user does (pidfds to signal, the limits view, the terminal).
    private let fdBudget: Int
    private var keptFDs = 0

    /// Opens the taskstats socket, the first time a row keeps no fd (nil: not available).
    private let openAccounts: () -> TaskAccounts?
    private var accounts: TaskAccounts?
    private var accountsTried = false
    /// This refresh's `schedstat` from taskstats, by index in the last refresh's rows (`unread`:
    /// not asked, or not answered); empty while every row keeps its fd.
    private var fetched: [ProcSchedstat] = []
    private var fetchIDs: [Int32] = []
    private var fetchRows: [Int32] = []
    /// How many rows' `schedstat` the last refresh had from taskstats (for the tests).
    private(set) var lastAccountsAnswered = 0

    /// - Parameter accounts: opens a TaskAccounts for the rows beyond `fdBudget` (the default
    ///   reads their `schedstat` by path).
    init(reader: ProcReader, fdBudget: Int, accounts: @escaping () -> TaskAccounts? = { nil }, build: @escaping (RawProcess) -> ProcessEntry) {
        self.reader = reader
        self.fdBudget = fdBudget
        self.openAccounts = accounts
        self.build = build
    }

    deinit {
        for row in rows { row.files.close() }
    }

    /// The fds kept now.
    var keptFileCount: Int { keptFDs }

    private func close(_ files: KeptProcess) {
        keptFDs -= files.openCount
        files.close()
    }

    /// The entries of `pids` (sorted), in (pid, tid) order. The caller gives them back with
    /// `keep` once it has written into them (CPU%, MEM%): until then this keeps no reference, so
    /// those writes need not copy the array.
    func refresh(_ pids: [Int32], _ options: SampleOptions) -> [ProcessEntry] {
        refreshes &+= 1
        lastFullReads.removeAll(keepingCapacity: true)
        if entries.count != rows.count {
            // Not given back (a caller that did not `keep`): read every process anew.
            for row in rows { close(row.files) }
            rows.removeAll()
        }
        fetchAccounts(options)
        let oldEntries = entries
        entries = []
        // Moved out, so that it is the only reference and is changed in place.
        var rows = self.rows
        self.rows = []
        defer { self.rows = rows }
        // The rows are merged in place (at 5,000 processes a second array of rows would be
        // 240 KB more at every refresh): the last refresh's rows move up behind a gap, are read
        // from `o` and written back from `w`, which never passes `o` (the gap widens when new
        // processes need the room). `oldBase` turns `o` into the index in the last refresh.
        let oldCount = rows.count
        var gap = max(64, pids.count - oldCount + 64)
        rows.reserveCapacity(oldCount + gap)
        rows.insert(contentsOf: repeatElement(placeholder, count: gap), at: 0)
        var o = gap
        var oldBase = gap
        var w = 0
        var nextEntries: [ProcessEntry] = []
        nextEntries.reserveCapacity(pids.count + 16)
        var keptIndices: [Int] = []
        var exited = Set<Int32>()

        // A row of the last refresh that is no longer listed.
        func retireOldRow() {
            close(rows[o].files)
            if Self.isProcessRow(rows[o]) { exited.insert(rows[o].files.pid) }
            o += 1
        }

        func put(_ row: Row, _ entry: ProcessEntry) {
            if w == o, o < rows.count {
                // No room left before the rows still to read: widen the gap, by twice as much
                // each time, so that thousands of new processes before the old cost linear time.
                gap *= 2
                rows.insert(contentsOf: repeatElement(placeholder, count: gap), at: o)
                o += gap
                oldBase += gap
            }
            if w < rows.count { rows[w] = row } else { rows.append(row) }
            w += 1
            nextEntries.append(entry)
        }

        // The thread view: whether none of the threads of `pid` ran, and they are the threads of
        // the last refresh. Each thread's schedstat is its own account; the columns a thread row
        // shares with its process (THR, memory) change only when one of its threads runs, or a
        // thread comes or goes.
        func threadsAreQuiet(pid: Int32, tids: [Int32]) -> Bool {
            while o < rows.count, rows[o].key < (pid, 0) { retireOldRow() }
            guard !tids.isEmpty, o + tids.count <= rows.count else { return false }
            for (i, tid) in tids.enumerated() {
                let row = rows[o + i]
                guard row.files.pid == pid, row.tid == tid, let now = fetchedAccount(o + i - oldBase) ?? row.files.schedstat(reader),
                      now.isUsable, now == row.ran else { return false }
            }
            // No thread of the last refresh is missing.
            return o + tids.count == rows.count || rows[o + tids.count].files.pid != pid
        }

        func add(pid: Int32, tid: Int32?, dirTid: Int32?, quiet: Bool = false) {
            let k = (pid, tid ?? 0)
            while o < rows.count, rows[o].key < k { retireOldRow() }
            if o < rows.count, rows[o].key == k {
                var row = rows[o]
                var entry = oldEntries[o - oldBase]
                let known = fetchedAccount(o - oldBase)
                o += 1
                let shown = options.shown.contains(tid ?? pid)
                let force = options.readAll || shown || Self.isRotationTurn(pid: pid, refresh: refreshes)
                if options.threads, quiet, !force {
                    keptIndices.append(w)
                    put(row, entry)
                    return
                }
                switch update(&row, &entry, force: force || options.threads, shown: shown, known: known, options) {
                case .kept:
                    keptIndices.append(w)
                    put(row, entry)
                    return
                case .read(let becameZombie):
                    // Its children were given a new parent when it exited.
                    if becameZombie, Self.isProcessRow(row) { exited.insert(pid) }
                    put(row, entry)
                    return
                case .gone:
                    // Exited, or the PID now names another process: read that one as new.
                    close(row.files)
                    if Self.isProcessRow(row) { exited.insert(pid) }
                }
            }
            if let (row, entry) = newRow(pid: pid, tid: tid, dirTid: dirTid, options) { put(row, entry) }
        }

        for pid in pids {
            let listed = reader.rows(of: pid, threads: options.threads)
            let tids = listed.compactMap(\.directory)
            let quiet = !tids.isEmpty && threadsAreQuiet(pid: pid, tids: tids)
            for row in listed { add(pid: pid, tid: row.tid, dirTid: row.directory, quiet: quiet) }
        }
        while o < rows.count { retireOldRow() }
        rows.removeSubrange(w...)

        // A process whose parent exited (vanished or became a zombie) was given a new parent
        // without running itself.
        var vanished: [Int] = []
        if !exited.isEmpty {
            for i in keptIndices where exited.contains(nextEntries[i].ppid) {
                if case .gone = update(&rows[i], &nextEntries[i], force: true, shown: false, options) {
                    close(rows[i].files)
                    vanished.append(i)
                }
            }
        }
        for i in vanished.reversed() {
            rows.remove(at: i)
            nextEntries.remove(at: i)
        }
        // Thousands of processes gone at once: the room they took goes too.
        if rows.capacity > 4096, rows.count * 4 < rows.capacity { rows = Array(rows) }
        return nextEntries
    }

    /// Takes back the entries `refresh` returned, written into but in the same order, as what
    /// the next refresh compares with and keeps.
    func keep(_ returned: [ProcessEntry]) {
        entries = returned
    }

    /// What fills the gap while rows are merged: never read.
    private lazy var placeholder = Row(files: KeptProcess(pid: 0, tid: nil, reader: reader, keep: false), ran: .unread, tid: nil)

    /// Asks taskstats, in batches, for the `schedstat` of the rows that keep no fd and whose
    /// `schedstat` a refresh reads (see `update`), instead of one path read each.
    private func fetchAccounts(_ options: SampleOptions) {
        fetched.removeAll(keepingCapacity: true)
        lastAccountsAnswered = 0
        guard rows.count > keptFDs, !accountsTried || accounts != nil else { return }
        fetchIDs.removeAll(keepingCapacity: true)
        fetchRows.removeAll(keepingCapacity: true)
        for i in rows.indices where !rows[i].files.keepsSchedstat && (options.threads || entries[i].threads == 1) {
            fetchIDs.append(rows[i].files.tid ?? rows[i].files.pid)
            fetchRows.append(Int32(i))
        }
        guard !fetchIDs.isEmpty else { return }
        if !accountsTried {
            accountsTried = true
            accounts = openAccounts()
        }
        guard let accounts else { return }
        fetched.append(contentsOf: repeatElement(.unread, count: rows.count))
        var answered = 0
        accounts.accounts(fetchIDs) { i, account in
            fetched[Int(fetchRows[i])] = account
            answered += 1
        }
        lastAccountsAnswered = answered
    }

    /// The `schedstat` taskstats gave this refresh for the last refresh's row `index`, if any.
    private func fetchedAccount(_ index: Int) -> ProcSchedstat? {
        guard index < fetched.count, fetched[index].isUsable else { return nil }
        return fetched[index]
    }

    /// A row of a process (or of its main thread), not of one of its other threads: only when it
    /// goes has the process exited, and its children been given a new parent.
    private static func isProcessRow(_ row: Row) -> Bool {
        row.tid.map { $0 == row.files.pid } ?? true
    }

    private func newRow(pid: Int32, tid: Int32?, dirTid: Int32?, _ options: SampleOptions) -> (Row, ProcessEntry)? {
        let keep = keptFDs + KeptProcess.filesKept <= fdBudget
        let files = KeptProcess(pid: pid, tid: dirTid, reader: reader, keep: keep)
        keptFDs += files.openCount
        let ran = files.schedstat(reader)
        guard let stat = files.stat(reader) else {
            close(files)
            return nil
        }
        lastFullReads.append(pid)
        var raw = RawProcess(stat: stat, pid: pid, tid: tid)
        if options.files.contains(.status) { raw.status = files.status(reader) }
        // status's VmSize and VmRSS are statm's counters.
        if options.files.contains(.statm), raw.status?.hasMemory != true { raw.statm = files.statm(reader) }
        if options.files.contains(.cmdline) { raw.cmdline = files.cmdline(reader) }
        // A zombie has no command line any more.
        if stat.state == UInt8(ascii: "Z") { raw.cmdline = [] }
        if options.files.contains(.cgroup) { raw.cgroup = reader.cgroup(pid) }
        readOnScreenFiles(&raw, shown: options.shown.contains(tid ?? pid), options)
        return (Row(files: files, ran: ran ?? .unread, tid: tid), build(raw))
    }

    /// `io` and the OOM score: read for the rows on screen, and for every row when the sort
    /// needs them (`readAll`); two files a process that nothing off screen shows.
    private func readOnScreenFiles(_ raw: inout RawProcess, shown: Bool, _ options: SampleOptions) {
        guard shown || options.readAll else { return }
        if options.files.contains(.io) { raw.io = reader.io(raw.pid) }
        if options.files.contains(.oom) { (raw.oomScore, raw.oomScoreAdj) = reader.oom(raw.pid) }
    }

    /// - Parameter known: the row's `schedstat` as taskstats gave it this refresh, if it did.
    private func update(_ row: inout Row, _ entry: inout ProcessEntry, force: Bool, shown: Bool, known: ProcSchedstat? = nil, _ options: SampleOptions) -> Outcome {
        var ran: ProcSchedstat?
        // A thread row's schedstat is that thread's; a process's covers its main thread only.
        if options.threads || entry.threads == 1 {
            if let now = known ?? row.files.schedstat(reader) {
                // An unusable account (no statistics) never counts as "did not run".
                if !force, now.isUsable, now == row.ran { return .kept }
                ran = now
            } else if row.files.keepsSchedstat {
                return .gone
            }
            // Not read by path: gone, or a kernel without the file; reading stat tells.
        }
        guard let stat = row.files.stat(reader), stat.startTime == entry.startTicks else { return .gone }
        lastFullReads.append(row.files.pid)
        let old = entry
        var raw = RawProcess(stat: stat, pid: row.files.pid, tid: row.tid)
        let didRun = (ran.map { $0 != row.ran } ?? true) || stat.utime != old.utimeTicks || stat.stime != old.stimeTicks
        let renamed = String(decoding: stat.comm, as: UTF8.self) != old.name
        let reread = renamed || (shown && didRun)
        if reread {
            if options.files.contains(.status) { raw.status = row.files.status(reader) }
            if options.files.contains(.cmdline) { raw.cmdline = row.files.cmdline(reader) }
        }
        if options.files.contains(.statm), raw.status?.hasMemory != true { raw.statm = row.files.statm(reader) }
        // A process can be moved to another cgroup (systemd-run --scope, a container's exec),
        // but only while something runs: read again when it ran, kept otherwise.
        // (A process of several threads has no schedstat read: its CPU time tells.)
        let cpuMoved = (ran.map { $0 != row.ran } ?? false) || stat.utime != old.utimeTicks || stat.stime != old.stimeTicks
        if options.files.contains(.cgroup), cpuMoved || renamed || old.membership == nil { raw.cgroup = reader.cgroup(row.files.pid) }
        readOnScreenFiles(&raw, shown: shown, options)
        entry = build(raw)
        if !reread { entry.keepCommandLine(of: old) }
        entry.keepOccasionalFields(of: old)
        if stat.state == UInt8(ascii: "Z") { entry.cmdline = [] }
        row.ran = ran ?? .unread
        return .read(becameZombie: old.state != .zombie && entry.state == .zombie)
    }
}
