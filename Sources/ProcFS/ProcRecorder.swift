#if canImport(Glibc)
import Glibc
#endif

/// Writes the live /proc (or any proc root) as a fixture tree of plain files, so a snapshot can
/// be attached to a bug report and replayed with `--proc-root`.
public struct ProcRecorder {
    public struct Summary: Sendable, Equatable {
        public var processes: Int
        public var threads: Int
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    static let systemFiles = ["stat", "meminfo", "loadavg", "uptime"]
    static let processFiles = ["stat", "statm", "status", "cmdline", "limits", "cgroup", "io", "oom_score", "oom_score_adj"]
    static let threadFiles = ["stat", "statm", "status"]

    public let reader: ProcReader

    public init(reader: ProcReader) { self.reader = reader }

    /// Records into `directory`, which must not exist or be empty. A process that vanishes while
    /// it is recorded is left out; a file that cannot be read is left out.
    ///
    /// Every file and directory is created new, relative to a descriptor of its directory
    /// (SafeDirectory): a name someone else planted in an empty DIR (a link to a file of root's,
    /// a FIFO) is never followed or opened, and stops the recording with a message naming it.
    public func record(to directory: String) throws(Failure) -> Summary {
        let made = SystemCalls.makeDirectory(directory)
        let root: SafeDirectory
        switch SafeDirectory.open(directory) {
        case .success(let opened): root = opened
        case .failure(let e): throw Failure(description: "cannot create \(directory): \(errnoText(made != 0 ? made : e.code))")
        }
        if made != 0 {
            guard let empty = root.isEmpty else { throw Failure(description: "cannot create \(directory): \(errnoText(made))") }
            guard empty else { throw Failure(description: "\(directory) is not empty") }
        }
        for name in Self.systemFiles {
            if case .success(let bytes) = reader.read(name) {
                try write(bytes, name, in: root, path: directory)
            }
        }
        if case .success(let bytes) = reader.read("sys/kernel/hostname") {
            let kernel = try subdirectory("kernel", of: try subdirectory("sys", of: root, path: directory), path: directory + "/sys")
            try write(bytes, "hostname", in: kernel, path: directory + "/sys/kernel")
        }
        var processes = 0
        var threads = 0
        let pids = (try? reader.pids()) ?? []
        for pid in pids.sorted() {
            guard case .success(let stat) = reader.read("\(pid)/stat"), ProcStat.parse(stat) != nil else { continue }
            let path = directory + "/\(pid)"
            let dir = try subdirectory(String(pid), of: root, path: directory)
            try write(stat, "stat", in: dir, path: path)
            for name in Self.processFiles.dropFirst() {
                if case .success(let bytes) = reader.read("\(pid)/\(name)") { try write(bytes, name, in: dir, path: path) }
            }
            let tids = reader.tids(of: pid)
            guard !tids.isEmpty else {
                processes += 1
                continue
            }
            let tasks = try subdirectory("task", of: dir, path: path)
            for tid in tids.sorted() {
                guard case .success(let tstat) = reader.read("\(pid)/task/\(tid)/stat") else { continue }
                let tpath = path + "/task/\(tid)"
                let tdir = try subdirectory(String(tid), of: tasks, path: path + "/task")
                try write(tstat, "stat", in: tdir, path: tpath)
                for name in Self.threadFiles.dropFirst() {
                    if case .success(let bytes) = reader.read("\(pid)/task/\(tid)/\(name)") {
                        try write(bytes, name, in: tdir, path: tpath)
                    }
                }
                threads += 1
            }
            processes += 1
        }
        return Summary(processes: processes, threads: threads)
    }

    /// A new subdirectory of `parent` (an existing name, whatever it is, is someone else's).
    private func subdirectory(_ name: String, of parent: SafeDirectory, path: String) throws(Failure) -> SafeDirectory {
        let made = parent.makeDirectory(name)
        if made != 0 { throw failure(made, path + "/" + name) }
        switch parent.subdirectory(name) {
        case .success(let dir): return dir
        case .failure(let e): throw failure(e.code, path + "/" + name)
        }
    }

    private func write(_ bytes: [UInt8], _ name: String, in dir: SafeDirectory, path: String) throws(Failure) {
        let code = dir.createFile(name, bytes)
        if code != 0 { throw failure(code, path + "/" + name) }
    }

    private func failure(_ code: Int32, _ path: String) -> Failure {
        if code == EEXIST || code == ELOOP {
            return Failure(description: "\(path) appeared while recording (someone else writes in the directory); stopped, nothing of it was opened")
        }
        return Failure(description: "cannot write \(path): \(errnoText(code))")
    }
}
