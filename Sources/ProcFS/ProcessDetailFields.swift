/// The fields of `/proc/PID/status` the detail view shows and the list does not need: the
/// memory split, the ids in full, the signal queue. Every line is optional.
public struct StatusDetail: Sendable, Equatable {
    /// Real, effective, saved, filesystem.
    public var uids: [UInt32] = []
    public var gids: [UInt32] = []
    public var threads: Int32?
    public var tracerPID: Int32?
    /// kB.
    public var vmSizeKB: UInt64?
    public var vmRSSKB: UInt64?
    public var rssAnonKB: UInt64?
    public var rssFileKB: UInt64?
    public var rssShmemKB: UInt64?
    public var vmSwapKB: UInt64?
    public var vmLockedKB: UInt64?
    /// `SigQ: queued/limit`, signals queued to the real uid against RLIMIT_SIGPENDING.
    public var signalsQueued: UInt64?
    public var signalsLimit: UInt64?

    public init() {}

    public static func parse(_ bytes: [UInt8]) -> StatusDetail? { bytes.withBytes { parse($0) } }

    /// nil when no line it knows is there.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> StatusDetail? {
        var r = StatusDetail()
        var any = false
        forEachKeyedLine(bytes) { key, v in
            var known = true
            if bytesEqual(bytes, key, "Uid") {
                r.uids = v.ids()
            } else if bytesEqual(bytes, key, "Gid") {
                r.gids = v.ids()
            } else if bytesEqual(bytes, key, "Threads") {
                r.threads = v.nextInt64().flatMap { Int32(exactly: $0) }
            } else if bytesEqual(bytes, key, "TracerPid") {
                r.tracerPID = v.nextInt64().flatMap { Int32(exactly: $0) }
            } else if bytesEqual(bytes, key, "VmSize") {
                r.vmSizeKB = v.nextUInt64()
            } else if bytesEqual(bytes, key, "VmRSS") {
                r.vmRSSKB = v.nextUInt64()
            } else if bytesEqual(bytes, key, "RssAnon") {
                r.rssAnonKB = v.nextUInt64()
            } else if bytesEqual(bytes, key, "RssFile") {
                r.rssFileKB = v.nextUInt64()
            } else if bytesEqual(bytes, key, "RssShmem") {
                r.rssShmemKB = v.nextUInt64()
            } else if bytesEqual(bytes, key, "VmSwap") {
                r.vmSwapKB = v.nextUInt64()
            } else if bytesEqual(bytes, key, "VmLck") {
                r.vmLockedKB = v.nextUInt64()
            } else if bytesEqual(bytes, key, "SigQ") {
                if let t = v.nextToken(), let slash = bytes[t].firstIndex(of: UInt8(ascii: "/")) {
                    r.signalsQueued = parseUInt64(bytes, t.lowerBound..<slash)
                    r.signalsLimit = parseUInt64(bytes, (slash + 1)..<t.upperBound)
                }
            } else {
                known = false
            }
            any = any || known
            return true
        }
        return any ? r : nil
    }
}

/// Fields of `/proc/PID/stat` past those the list reads: 40 rt_priority and 41 policy.
public struct StatScheduling: Sendable, Equatable {
    public var realtimePriority: UInt64
    public var policy: UInt64

    public init(realtimePriority: UInt64, policy: UInt64) {
        self.realtimePriority = realtimePriority
        self.policy = policy
    }

    /// The policy as sched(7) names it.
    public var policyName: String {
        switch policy {
        case 0: return "SCHED_OTHER"
        case 1: return "SCHED_FIFO"
        case 2: return "SCHED_RR"
        case 3: return "SCHED_BATCH"
        case 5: return "SCHED_IDLE"
        case 6: return "SCHED_DEADLINE"
        case 7: return "SCHED_EXT"
        default: return "policy \(policy)"
        }
    }

    public static func parse(_ bytes: [UInt8]) -> StatScheduling? { bytes.withBytes { parse($0) } }

    /// Counts fields after the last ')' (the comm can hold anything before it); nil when the
    /// file is too short (kernels before 2.5.19).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> StatScheduling? {
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        var s = ByteScanner(bytes, from: close + 1)
        // Field 3 is the first after the name.
        var number = 3
        var rt: UInt64?
        while let token = s.nextToken() {
            if number == 40 { rt = parseUInt64(bytes, token) }
            if number == 41 {
                guard let rt, let policy = parseUInt64(bytes, token) else { return nil }
                return StatScheduling(realtimePriority: rt, policy: policy)
            }
            number += 1
        }
        return nil
    }
}

/// `/proc/PID/wchan` and `/proc/PID/stack`: what a sleeping task waits in.
public enum KernelWait {
    /// The kernel function a task sleeps in; nil when it is running ("0") or the file is empty.
    /// Raw bytes decoded, to be escaped before showing.
    public static func wchan(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var end = bytes.count
        while end > 0, isWhitespace(bytes[end - 1]) { end -= 1 }
        guard end > 0 else { return nil }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
        return text == "0" ? nil : text
    }

    /// The frames of `stack`, `[<0>] folio_wait_bit_common+0x13f/0x340` a line: the part after
    /// the address, one string a frame; a line without the bracket prefix is kept whole.
    public static func stack(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var frames: [String] = []
        var s = ByteScanner(bytes)
        while !s.isAtEnd {
            var line = s.restOfLine()
            guard !line.isEmpty else { continue }
            if bytes[line.lowerBound] == UInt8(ascii: "["), let close = bytes[line].firstIndex(of: UInt8(ascii: "]")) {
                line = min(close + 2, line.upperBound)..<line.upperBound
            }
            frames.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[line]), as: UTF8.self))
        }
        return frames
    }
}
