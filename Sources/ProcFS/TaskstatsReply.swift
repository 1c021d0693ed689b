/// Replies of the kernel's taskstats generic netlink family, and of the family controller that
/// names it: bytes the kernel wrote, parsed with every length checked, so nothing reads past what
/// was received and no value traps.
///
/// A reply to TASKSTATS_CMD_GET for a task id is a netlink message (16-byte header) holding a
/// generic netlink header (4 bytes) and one attribute TASKSTATS_TYPE_AGGR_PID, in which nest
/// TASKSTATS_TYPE_PID (the id) and TASKSTATS_TYPE_STATS (struct taskstats). A request that
/// failed (the task is gone: ESRCH) is answered by an NLMSG_ERROR message instead. Each carries
/// the request's sequence number.
public enum TaskstatsReply {
    /// What the kernel answered to one request.
    public enum Answer: Sendable, Equatable {
        /// The task's scheduler account, the three numbers of its `schedstat`.
        case account(id: Int32, ProcSchedstat)
        /// The request failed with this errno (ESRCH: no such task; EPERM: not CAP_NET_ADMIN).
        case failed(errno: Int32)
    }

    /// struct taskstats: the offsets of the fields used, the same in every version since 1
    /// (version is the first u16). `cpu_run_virtual_total` is `se.sum_exec_runtime`,
    /// `cpu_delay_total` is `sched_info.run_delay` and `cpu_count` `sched_info.pcount`:
    /// schedstat's three numbers, from the same fields of the task (kernel/delayacct.c).
    /// (`cpu_run_real_total` is utime + stime, a different number.)
    static let cpuCountOffset = 16
    static let cpuDelayOffset = 24
    static let cpuRunVirtualOffset = 72
    static let neededStatsBytes = 80

    static let nlmsgError: UInt16 = 2
    static let typePID: UInt16 = 1
    static let typeStats: UInt16 = 3
    static let typeAggregatePID: UInt16 = 4

    /// Calls `body` with the sequence number and answer of each message in `bytes` (one datagram,
    /// or several back to back) whose type is `family` or NLMSG_ERROR; other messages, and
    /// messages that do not parse, are skipped (their requests count as unanswered).
    public static func forEach(_ bytes: UnsafeRawBufferPointer, family: UInt16, _ body: (UInt32, Answer) -> Void) {
        var offset = 0
        while offset + 16 <= bytes.count {
            let length = Int(bytes.integer(UInt32.self, at: offset))
            guard length >= 16, length <= bytes.count - offset else { return }
            let type = bytes.integer(UInt16.self, at: offset + 4)
            let sequence = bytes.integer(UInt32.self, at: offset + 8)
            let payload = UnsafeRawBufferPointer(rebasing: bytes[(offset + 16)..<(offset + length)])
            if type == nlmsgError {
                // struct nlmsgerr: a negative errno, then the request's header. 0 is an ack.
                if payload.count >= 4 {
                    let code = Int32(bitPattern: payload.integer(UInt32.self, at: 0))
                    if code < 0, code > Int32.min { body(sequence, .failed(errno: -code)) }
                }
            } else if type == family, let answer = account(payload) {
                body(sequence, answer)
            }
            // Messages are 4-byte aligned; the last one's padding may be cut off.
            let next = offset + ((length + 3) & ~3)
            guard next > offset else { return }
            offset = next
        }
    }

    /// The answer in one reply's payload (after the netlink header), or nil.
    static func account(_ payload: UnsafeRawBufferPointer) -> Answer? {
        guard payload.count >= 4 else { return nil }
        var id: Int32?
        var stats: ProcSchedstat?
        forEachAttribute(UnsafeRawBufferPointer(rebasing: payload[4...])) { type, value in
            guard type == typeAggregatePID else { return }
            forEachAttribute(value) { inner, value in
                if inner == typePID, value.count >= 4 {
                    id = Int32(bitPattern: value.integer(UInt32.self, at: 0))
                } else if inner == typeStats, value.count >= neededStatsBytes {
                    stats = ProcSchedstat(
                        runNanoseconds: value.integer(UInt64.self, at: cpuRunVirtualOffset),
                        waitNanoseconds: value.integer(UInt64.self, at: cpuDelayOffset),
                        timeslices: value.integer(UInt64.self, at: cpuCountOffset))
                }
            }
        }
        guard let id, let stats else { return nil }
        return .account(id: id, stats)
    }

    /// The family id in the controller's reply to CTRL_CMD_GETFAMILY (attribute
    /// CTRL_ATTR_FAMILY_ID, a u16), or nil (an error reply: the family does not exist here).
    public static func familyID(_ bytes: UnsafeRawBufferPointer) -> UInt16? {
        guard bytes.count >= 20 else { return nil }
        let length = Int(bytes.integer(UInt32.self, at: 0))
        guard length >= 20, length <= bytes.count, bytes.integer(UInt16.self, at: 4) == 0x10 else { return nil }
        var id: UInt16?
        forEachAttribute(UnsafeRawBufferPointer(rebasing: bytes[20..<length])) { type, value in
            if type == 1, value.count >= 2 { id = value.integer(UInt16.self, at: 0) }
        }
        return id
    }

    /// Netlink attributes: a u16 length (header included), a u16 type (its top two bits are
    /// flags), the value, padding to 4 bytes.
    static func forEachAttribute(_ bytes: UnsafeRawBufferPointer, _ body: (UInt16, UnsafeRawBufferPointer) -> Void) {
        var offset = 0
        while offset + 4 <= bytes.count {
            let length = Int(bytes.integer(UInt16.self, at: offset))
            guard length >= 4, length <= bytes.count - offset else { return }
            body(bytes.integer(UInt16.self, at: offset + 2) & 0x3fff, UnsafeRawBufferPointer(rebasing: bytes[(offset + 4)..<(offset + length)]))
            offset += (length + 3) & ~3
        }
    }
}
