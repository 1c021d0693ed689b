/// One signal the kernel generated, as its `signal:signal_generate` tracepoint recorded it: who
/// sent it, to whom, which, and whether the kernel raised it itself.
public struct SignalSample: Sendable, Equatable {
    /// The sending process (its thread group id) and thread. For a signal the kernel raised (a
    /// fault, the OOM killer) these are whatever task was running, so `byKernel` decides.
    public var senderPID: Int32
    public var senderTID: Int32
    /// The thread the signal was generated for (for kill(2), the process's leader).
    public var targetPID: Int32
    public var signal: Int32
    /// si_code: 0 (SI_USER) from kill(2), -6 (SI_TKILL) from tgkill/raise/abort, positive when
    /// the kernel raised it (SEGV_MAPERR 1, SI_KERNEL 0x80 for the OOM killer).
    public var code: Int32
    /// The kernel's verdict: 0 delivered, 1 ignored, 2 already pending, 3 overflow, 4 info lost.
    public var result: Int32
    /// Seconds since the epoch, as the monitor's times.
    public var time: Double

    public init(senderPID: Int32, senderTID: Int32, targetPID: Int32, signal: Int32, code: Int32, result: Int32, time: Double) {
        self.senderPID = senderPID
        self.senderTID = senderTID
        self.targetPID = targetPID
        self.signal = signal
        self.code = code
        self.result = result
        self.time = time
    }

    /// The kernel raised it (a fault, the OOM killer, a broken pipe): si_code > 0.
    public var byKernel: Bool { code > 0 }
}

/// Where the fields of a tracepoint's raw record are, from its tracefs `format` file:
/// `ID: 261` and lines like `field:int sig;	offset:8;	size:4;	signed:1;`.
public struct TracepointFormat: Sendable, Equatable {
    public var id: UInt64
    /// Field name -> (offset, size) in the raw record.
    public var fields: [String: (offset: Int, size: Int)]

    public static func == (a: TracepointFormat, b: TracepointFormat) -> Bool {
        a.id == b.id && a.fields.count == b.fields.count
            && a.fields.allSatisfy { b.fields[$0.key]?.offset == $0.value.offset && b.fields[$0.key]?.size == $0.value.size }
    }

    /// nil unless the text has an ID and a field list.
    public static func parse(_ text: Substring) -> TracepointFormat? {
        var id: UInt64?
        var fields: [String: (offset: Int, size: Int)] = [:]
        for line in text.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("ID:") {
                id = UInt64(trimmed.dropFirst(3).filter { $0 != " " })
                continue
            }
            guard trimmed.hasPrefix("field:") else { continue }
            var name: String?
            var offset: Int?
            var size: Int?
            for part in trimmed.split(separator: ";") {
                let item = part.drop { $0 == " " || $0 == "\t" }
                if item.hasPrefix("field:") {
                    // "field:char comm[16]": the last word, without its array length.
                    let declaration = item.dropFirst(6)
                    guard let last = declaration.split(separator: " ").last else { continue }
                    name = String(last.prefix { $0 != "[" })
                } else if item.hasPrefix("offset:") {
                    offset = Int(item.dropFirst(7))
                } else if item.hasPrefix("size:") {
                    size = Int(item.dropFirst(5))
                }
            }
            if let name, let offset, let size, offset >= 0, size > 0, offset <= 1 << 16, size <= 1 << 16 {
                fields[name] = (offset, size)
            }
        }
        guard let id, !fields.isEmpty else { return nil }
        return TracepointFormat(id: id, fields: fields)
    }

    /// The 4-byte signed fields signal_generate records need, or nil if the format lacks one.
    public func signalOffsets() -> SignalOffsets? {
        func int32(_ name: String) -> Int? {
            guard let field = fields[name], field.size == 4 else { return nil }
            return field.offset
        }
        guard let sig = int32("sig"), let code = int32("code"), let pid = int32("pid") else { return nil }
        return SignalOffsets(sig: sig, code: code, pid: pid, result: int32("result"))
    }
}

/// Offsets of signal_generate's fields in its raw record.
public struct SignalOffsets: Sendable, Equatable {
    public var sig: Int
    public var code: Int
    public var pid: Int
    public var result: Int?

    public init(sig: Int, code: Int, pid: Int, result: Int?) {
        self.sig = sig
        self.code = code
        self.pid = pid
        self.result = result
    }
}

/// The name the kernel gave a process at exec (its program's file name, up to 15 bytes, as in
/// /proc/PID/comm), and when (seconds since the epoch).
public struct ProgramName: Sendable, Equatable {
    public var pid: Int32
    public var name: [UInt8]
    public var time: Double

    public init(pid: Int32, name: [UInt8], time: Double) {
        self.pid = pid
        self.name = name
        self.time = time
    }
}

/// The records of a perf ring buffer opened with PERF_SAMPLE_TID | PERF_SAMPLE_TIME |
/// PERF_SAMPLE_RAW, copied out contiguously: each an 8-byte header (type u32, misc u16,
/// size u16) and its body. Bytes from the kernel, every length checked.
public enum PerfRecords {
    static let sample: UInt32 = 9  // PERF_RECORD_SAMPLE
    static let lost: UInt32 = 2  // PERF_RECORD_LOST: id u64, lost u64
    // PERF_RECORD_COMM: pid u32, tid u32, comm (NUL-padded to 8 bytes), then (sample_id_all)
    // the sample's pid u32, tid u32 and time u64.
    static let comm: UInt32 = 3
    static let commExec: UInt16 = 1 << 13  // PERF_RECORD_MISC_COMM_EXEC: the rename was an exec

    /// The samples in `bytes`, the programs exec'd (each process's pid and the name the kernel
    /// gave it at exec), and how many records the kernel reported lost (the ring was full).
    /// `clockOffset` turns the samples' CLOCK_MONOTONIC times into seconds since the epoch.
    public static func parse(_ bytes: UnsafeRawBufferPointer, offsets: SignalOffsets, clockOffset: Double = 0)
        -> (samples: [SignalSample], execs: [ProgramName], lost: Int) {
        var samples: [SignalSample] = []
        var execs: [ProgramName] = []
        var lost = 0
        var at = 0
        while at + 8 <= bytes.count {
            let type = bytes.integer(UInt32.self, at: at)
            let size = Int(bytes.integer(UInt16.self, at: at + 6))
            guard size >= 8, at + size <= bytes.count else { break }
            let body = at + 8
            let end = at + size
            if type == Self.sample, body + 20 <= end {
                // pid u32, tid u32, time u64, raw size u32, raw bytes.
                let rawSize = Int(bytes.integer(UInt32.self, at: body + 16))
                let raw = body + 20
                if rawSize <= end - raw, let sample = signal(bytes, raw: raw, rawSize: rawSize, offsets: offsets,
                    sender: (Int32(bitPattern: bytes.integer(UInt32.self, at: body)), Int32(bitPattern: bytes.integer(UInt32.self, at: body + 4))),
                    nanoseconds: bytes.integer(UInt64.self, at: body + 8), clockOffset: clockOffset) {
                    samples.append(sample)
                }
            } else if type == Self.comm, body + 8 + 8 + 16 <= end, bytes.integer(UInt16.self, at: at + 4) & Self.commExec != 0 {
                let pid = Int32(bitPattern: bytes.integer(UInt32.self, at: body))
                // Only a process's own exec (its one thread left is the leader after an exec).
                if pid > 0, pid == Int32(bitPattern: bytes.integer(UInt32.self, at: body + 4)) {
                    let name = UnsafeRawBufferPointer(rebasing: bytes[(body + 8)..<min(end - 16, body + 8 + 16)])
                    let nanoseconds = bytes.integer(UInt64.self, at: end - 8)
                    execs.append(ProgramName(pid: pid, name: Array(name.prefix { $0 != 0 }), time: Double(nanoseconds) / 1e9 + clockOffset))
                }
            } else if type == Self.lost, body + 16 <= end {
                let count = bytes.integer(UInt64.self, at: body + 8)
                lost += count > UInt64(Int.max / 2) ? Int.max / 2 : Int(count)
            }
            at = end
        }
        return (samples, execs, lost)
    }

    private static func signal(_ bytes: UnsafeRawBufferPointer, raw: Int, rawSize: Int, offsets: SignalOffsets,
                               sender: (Int32, Int32), nanoseconds: UInt64, clockOffset: Double) -> SignalSample? {
        func field(_ offset: Int) -> Int32? {
            guard offset >= 0, offset + 4 <= rawSize else { return nil }
            return Int32(bitPattern: bytes.integer(UInt32.self, at: raw + offset))
        }
        guard let sig = field(offsets.sig), let code = field(offsets.code), let pid = field(offsets.pid) else { return nil }
        let result = offsets.result.flatMap(field) ?? 0
        return SignalSample(senderPID: sender.0, senderTID: sender.1, targetPID: pid, signal: sig, code: code,
                            result: result, time: Double(nanoseconds) / 1e9 + clockOffset)
    }
}
