import ProcFS

/// OOM kills counted by the kernel, for judging a SIGKILL death without root: it was an OOM
/// kill when /proc/vmstat's `oom_kill` rose while it died and so did its memory cgroup's
/// counter (v2 `memory.events` oom_kill, v1 `memory.oom_control` oom_kill).
public struct OOMCounters {
    private let reader: ProcReader
    /// Where cgroup hierarchies are mounted (v1 memory at `memory/`, v2 at the top).
    private let cgroups: ProcReader?

    public init(reader: ProcReader, cgroupRoot: String = "/sys/fs/cgroup") {
        self.reader = reader
        cgroups = try? ProcReader(root: cgroupRoot)
    }

    /// /proc/vmstat's oom_kill (Linux 4.13+); nil where it is missing.
    public func systemKills() -> UInt64? {
        guard case .success(let value?) = reader.withFile("vmstat", { Self.counter("oom_kill", in: $0) }) else { return nil }
        return value
    }

    /// The memory cgroup of a process as /proc/PID/cgroup names it: the v1 memory
    /// controller's path, else the v2 path. nil when unreadable.
    public func memoryCgroup(of pid: Int32) -> MemoryCgroup? {
        guard case .success(let bytes) = reader.read("\(pid)/cgroup") else { return nil }
        return MemoryCgroup.parse(bytes)
    }

    /// The OOM kills counted in that cgroup; nil when its files cannot be read.
    public func kills(in cgroup: MemoryCgroup) -> UInt64? {
        // A path with ".." could leave the cgroup tree: /proc is untrusted text.
        guard !cgroup.path.split(separator: "/").contains("..") else { return nil }
        let file = cgroup.isV1 ? "memory" + cgroup.path + "/memory.oom_control" : String(cgroup.path.dropFirst()) + "/memory.events"
        guard let cgroups, case .success(let value?) = cgroups.withFile(file, { Self.counter("oom_kill", in: $0) }) else { return nil }
        return value
    }

    /// The value of a `name value` line.
    static func counter(_ name: String, in bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        let key = Array(name.utf8)
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            if lineEnd - lineStart > key.count, bytes[lineStart + key.count] == UInt8(ascii: " "),
                Array(bytes[lineStart..<(lineStart + key.count)]) == key
            {
                var value: UInt64 = 0
                for b in bytes[(lineStart + key.count + 1)..<lineEnd] {
                    guard b >= 48, b <= 57 else { break }
                    let (m, o1) = value.multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.addingReportingOverflow(UInt64(b - 48))
                    guard !o1, !o2 else { return nil }
                    value = s
                }
                return value
            }
            lineStart = lineEnd + 1
        }
        return nil
    }
}
