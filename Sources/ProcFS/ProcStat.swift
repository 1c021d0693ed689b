/// `/proc/PID/stat` (and `/proc/PID/task/TID/stat`): the positional fields swtop uses.
///
/// comm is everything between the first '(' and the LAST ')' of the whole file, because a
/// process may name itself `) R 1 2 (`, and may put a newline in its name. The fields after it
/// are positional; older kernels have fewer and newer ones may have more, so only the fields up
/// to `rss` (24) are required.
public struct ProcStat: Sendable, Equatable {
    public var pid: Int32
    /// Raw bytes of the name; decode for display, never print raw.
    public var comm: [UInt8]
    /// The state letter as the kernel wrote it (R, S, D, Z, T, t, X, I, ...).
    public var state: UInt8
    public var ppid: Int32
    public var pgrp: Int32
    public var session: Int32
    public var ttyNr: Int32
    public var flags: UInt32
    /// Clock ticks in user and kernel mode.
    public var utime: UInt64
    public var stime: UInt64
    public var priority: Int32
    public var nice: Int32
    public var numThreads: Int32
    /// Clock ticks after boot.
    public var startTime: UInt64
    /// Bytes.
    public var vsize: UInt64
    /// Pages.
    public var rss: Int64
    /// Field 39, the CPU last run on (absent on very old kernels).
    public var processor: Int32?
    /// Field 52, a zombie's raw wait status (absent before Linux 3.5; 0 without ptrace access).
    public var exitCode: Int32?

    /// PF_KTHREAD in `flags`.
    public static let kernelThreadFlag: UInt32 = 0x0020_0000

    public var isKernelThread: Bool { flags & Self.kernelThreadFlag != 0 }

    public init(
        pid: Int32, comm: [UInt8], state: UInt8, ppid: Int32, pgrp: Int32, session: Int32,
        ttyNr: Int32, flags: UInt32, utime: UInt64, stime: UInt64, priority: Int32, nice: Int32,
        numThreads: Int32, startTime: UInt64, vsize: UInt64, rss: Int64, processor: Int32? = nil,
        exitCode: Int32? = nil
    ) {
        self.pid = pid
        self.comm = comm
        self.state = state
        self.ppid = ppid
        self.pgrp = pgrp
        self.session = session
        self.ttyNr = ttyNr
        self.flags = flags
        self.utime = utime
        self.stime = stime
        self.priority = priority
        self.nice = nice
        self.numThreads = numThreads
        self.startTime = startTime
        self.vsize = vsize
        self.rss = rss
        self.processor = processor
        self.exitCode = exitCode
    }

    /// Parses the whole file; nil when it is empty, truncated or malformed.
    public static func parse(_ bytes: [UInt8]) -> ProcStat? {
        bytes.withBytes { parse($0) }
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ProcStat? {
        // Split at the first '(' and the last ')'.
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")),
            let close = bytes.lastIndex(of: UInt8(ascii: ")")),
            open < close
        else { return nil }

        guard let pidValue = parseInt64(bytes, trimmed(bytes, 0..<open)),
            let pid = Int32(exactly: pidValue), pid > 0
        else { return nil }
        let comm = Array(bytes[(open + 1)..<close])

        var scanner = ByteScanner(bytes, from: close + 1)
        // Field 3: the state, a single letter.
        guard let stateToken = scanner.nextToken(), stateToken.count == 1 else { return nil }
        let state = bytes[stateToken.lowerBound]

        // Fields 4 onwards, positional. Collect the token ranges once.
        var fields: [Range<Int>] = []
        fields.reserveCapacity(52)
        while let token = scanner.nextToken() { fields.append(token) }
        // fields[0] is field 4.
        func field(_ number: Int) -> Range<Int>? {
            let i = number - 4
            return i < fields.count ? fields[i] : nil
        }
        func int32(_ number: Int) -> Int32? {
            guard let r = field(number), let v = parseInt64(bytes, r) else { return nil }
            return Int32(exactly: v)
        }
        func uint64(_ number: Int) -> UInt64? {
            guard let r = field(number) else { return nil }
            return parseUInt64(bytes, r)
        }
        guard let ppid = int32(4), let pgrp = int32(5), let session = int32(6),
            let ttyNr = int32(7), let flagsValue = uint64(9), let flags = UInt32(exactly: flagsValue),
            let utime = uint64(14), let stime = uint64(15), let priority = int32(18),
            let nice = int32(19), let numThreads = int32(20), let startTime = uint64(22),
            let vsize = uint64(23), let rssRange = field(24), let rss = parseInt64(bytes, rssRange)
        else { return nil }

        return ProcStat(
            pid: pid, comm: comm, state: state, ppid: ppid, pgrp: pgrp, session: session,
            ttyNr: ttyNr, flags: flags, utime: utime, stime: stime, priority: priority, nice: nice,
            numThreads: numThreads, startTime: startTime, vsize: vsize, rss: rss,
            processor: int32(39), exitCode: int32(52))
    }
}

func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
    var lo = range.lowerBound
    var hi = range.upperBound
    while lo < hi, isWhitespace(bytes[lo]) { lo += 1 }
    while hi > lo, isWhitespace(bytes[hi - 1]) { hi -= 1 }
    return lo..<hi
}
