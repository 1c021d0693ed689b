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
    public func record(to directory: String) throws(Failure) -> Summary {
        let made = SystemCalls.makeDirectory(directory)
        if made != 0 {
            guard let empty = SystemCalls.isEmptyDirectory(directory) else {
                throw Failure(description: "cannot create \(directory): \(errnoText(made))")
            }
            guard empty else { throw Failure(description: "\(directory) is not empty") }
        }
        for name in Self.systemFiles {
            if case .success(let bytes) = reader.read(name) {
                try write(bytes, to: directory + "/" + name)
            }
        }
        if case .success(let bytes) = reader.read("sys/kernel/hostname") {
            _ = SystemCalls.makeDirectory(directory + "/sys")
            _ = SystemCalls.makeDirectory(directory + "/sys/kernel")
            try write(bytes, to: directory + "/sys/kernel/hostname")
        }
        var processes = 0
        var threads = 0
        let pids = (try? reader.pids()) ?? []
        for pid in pids.sorted() {
            guard case .success(let stat) = reader.read("\(pid)/stat"), ProcStat.parse(stat) != nil else { continue }
            let dir = directory + "/\(pid)"
            guard SystemCalls.makeDirectory(dir) == 0 else { continue }
            try write(stat, to: dir + "/stat")
            for name in Self.processFiles.dropFirst() {
                if case .success(let bytes) = reader.read("\(pid)/\(name)") { try write(bytes, to: dir + "/" + name) }
            }
            let tids = reader.tids(of: pid)
            if !tids.isEmpty { _ = SystemCalls.makeDirectory(dir + "/task") }
            for tid in tids.sorted() {
                let tdir = dir + "/task/\(tid)"
                guard case .success(let tstat) = reader.read("\(pid)/task/\(tid)/stat"),
                    SystemCalls.makeDirectory(tdir) == 0
                else { continue }
                try write(tstat, to: tdir + "/stat")
                for name in Self.threadFiles.dropFirst() {
                    if case .success(let bytes) = reader.read("\(pid)/task/\(tid)/\(name)") {
                        try write(bytes, to: tdir + "/" + name)
                    }
                }
                threads += 1
            }
            processes += 1
        }
        return Summary(processes: processes, threads: threads)
    }

    private func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        let code = SystemCalls.writeFile(path, bytes)
        if code != 0 { throw Failure(description: "cannot write \(path): \(errnoText(code))") }
    }
}
