#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// The scheduler accounts of many tasks at once, from the kernel's taskstats family (generic
/// netlink): the three numbers of each task's `schedstat` without opening a file per task.
///
/// One datagram carries a batch of requests (the kernel answers every netlink message in it, in
/// order, before the send returns) and one recvmmsg takes the replies back: about 5 µs a task
/// here, against 8-11 µs for opening, reading and closing `/proc/PID/schedstat`, and no fd per
/// task (a kept `schedstat` fd read with pread costs about 2.5 µs, so that stays the first choice).
///
/// Root only (the family needs CAP_NET_ADMIN), only where the family exists (CONFIG_TASKSTATS;
/// the initial network namespace) and where the kernel keeps the numbers (CONFIG_SCHED_INFO,
/// CONFIG_TASK_DELAY_ACCT); `open` checks all of it with a request for swtop itself. Replies the
/// receive buffer could not hold are dropped by the kernel: their ids are simply not answered,
/// and the batch shrinks.
public final class TaskAccounts {
    private let fd: Int32
    private let family: UInt16
    /// Requests per datagram: all their replies must fit in the receive buffer.
    private(set) var batch: Int
    private var sequence: UInt32 = 1
    private var request: [UInt8]
    private var replies: [UInt8]
    private var lengths: [Int32]
    /// Replies the kernel dropped because the receive buffer was full (ENOBUFS), in all.
    public private(set) var overflows = 0

    /// One reply is about 600 bytes (struct taskstats is 560 bytes in version 16); a longer one
    /// (a future version) is cut short and counts as unanswered.
    static let slot = 1024
    static let requestBytes = 28
    static let largestBatch = 128
    /// A reply takes about 2 KiB of the receive buffer as the kernel counts it (its skb).
    static let receiveBytesPerReply = 4096
    static let receiveBuffer: Int32 = 4 << 20

    /// A socket that answered for this process, or nil (not root, no such family, a kernel that
    /// keeps no scheduler statistics). The kernel takes ids in the caller's PID namespace: use it
    /// only for a /proc of that namespace (`ProcReader.isOwnPIDNamespace`).
    public static func open() -> TaskAccounts? {
        let fd = swtop_genetlink_open(receiveBuffer)
        guard fd >= 0 else { return nil }
        guard let family = resolveFamily(fd) else {
            Glibc.close(fd)
            return nil
        }
        let accounts = TaskAccounts(fd: fd, family: family)
        // Asking for swtop itself tells whether the kernel answers and keeps the numbers.
        var own: ProcSchedstat?
        accounts.accounts([getpid()]) { _, account in own = account }
        guard let own, own.isUsable, own.timeslices > 0 else { return nil }
        return accounts
    }

    private init(fd: Int32, family: UInt16) {
        self.fd = fd
        self.family = family
        let fits = Int(swtop_receive_buffer_bytes(fd)) / Self.receiveBytesPerReply
        batch = min(Self.largestBatch, max(1, fits))
        request = [UInt8](repeating: 0, count: Self.largestBatch * Self.requestBytes)
        replies = [UInt8](repeating: 0, count: Self.largestBatch * Self.slot)
        lengths = [Int32](repeating: 0, count: Self.largestBatch)
    }

    deinit { Glibc.close(fd) }

    /// Calls `body(i, account)` for each `ids[i]` (a task id: a process's pid is its main
    /// thread's) that the kernel answered. An id not answered (the task is gone, or the reply
    /// was dropped) is left for the caller to read otherwise.
    public func accounts(_ ids: [Int32], _ body: (Int, ProcSchedstat) -> Void) {
        var start = 0
        while start < ids.count {
            let count = min(batch, ids.count - start)
            ask(ids, start..<(start + count), body)
            start += count
        }
    }

    private func ask(_ ids: [Int32], _ range: Range<Int>, _ body: (Int, ProcSchedstat) -> Void) {
        let first = sequence
        sequence &+= UInt32(range.count)
        let bytes = range.count * Self.requestBytes
        let family = family
        request.withUnsafeMutableBytes { out in
            for (n, i) in range.enumerated() {
                let at = n * Self.requestBytes
                // struct nlmsghdr: length, type, flags (NLM_F_REQUEST), sequence, port (0: the kernel fills it).
                out.storeBytes(of: UInt32(Self.requestBytes), toByteOffset: at, as: UInt32.self)
                out.storeBytes(of: family, toByteOffset: at + 4, as: UInt16.self)
                out.storeBytes(of: 1, toByteOffset: at + 6, as: UInt16.self)
                out.storeBytes(of: first &+ UInt32(n), toByteOffset: at + 8, as: UInt32.self)
                out.storeBytes(of: 0, toByteOffset: at + 12, as: UInt32.self)
                // struct genlmsghdr: TASKSTATS_CMD_GET, version 1; then TASKSTATS_CMD_ATTR_PID.
                out.storeBytes(of: 0x0000_0101, toByteOffset: at + 16, as: UInt32.self)
                out.storeBytes(of: 0x0001_0008, toByteOffset: at + 20, as: UInt32.self)
                out.storeBytes(of: ids[i], toByteOffset: at + 24, as: Int32.self)
            }
        }
        let sent = request.withUnsafeBytes { swtop_netlink_send(fd, $0.baseAddress, UInt($0.count < bytes ? $0.count : bytes)) }
        guard sent == bytes else { return }
        // Every reply is queued (or dropped) by the time the send returns: read until none is left.
        var dropped = false
        while true {
            let received = replies.withUnsafeMutableBytes { buffer in
                lengths.withUnsafeMutableBufferPointer { lengths in
                    swtop_netlink_receive_many(fd, buffer.baseAddress, UInt32(Self.slot), lengths.baseAddress, UInt32(lengths.count))
                }
            }
            if received == -ENOBUFS {
                dropped = true
                continue
            }
            guard received > 0 else { break }
            replies.withUnsafeBytes { buffer in
                for k in 0..<min(Int(received), lengths.count) {
                    let length = Int(lengths[k])
                    guard length > 0, length <= Self.slot else { continue }
                    let reply = UnsafeRawBufferPointer(rebasing: buffer[(k * Self.slot)..<(k * Self.slot + length)])
                    TaskstatsReply.forEach(reply, family: family) { seq, answer in
                        let n = Int(seq &- first)
                        guard n < range.count, case .account(let id, let account) = answer else { return }
                        let i = range.lowerBound + n
                        if ids[i] == id { body(i, account) }
                    }
                }
            }
        }
        if dropped {
            overflows += 1
            batch = max(1, batch / 2)
        }
    }

    /// The taskstats family's id, asked of the generic netlink controller.
    private static func resolveFamily(_ fd: Int32) -> UInt16? {
        // nlmsghdr (to GENL_ID_CTRL), genlmsghdr (CTRL_CMD_GETFAMILY, version 1), then
        // CTRL_ATTR_FAMILY_NAME "TASKSTATS\0" (4 + 10 bytes, padded to 16).
        let size = 16 + 4 + 16
        var message = [UInt8](repeating: 0, count: size)
        message.withUnsafeMutableBytes { out in
            out.storeBytes(of: UInt32(size), toByteOffset: 0, as: UInt32.self)
            out.storeBytes(of: 0x10, toByteOffset: 4, as: UInt16.self)
            out.storeBytes(of: 1, toByteOffset: 6, as: UInt16.self)
            out.storeBytes(of: 0x0000_0103, toByteOffset: 16, as: UInt32.self)
            out.storeBytes(of: 0x0002_000E, toByteOffset: 20, as: UInt32.self)
            for (k, byte) in "TASKSTATS".utf8.enumerated() { out[24 + k] = byte }
        }
        guard message.withUnsafeBytes({ swtop_netlink_send(fd, $0.baseAddress, UInt($0.count)) }) == message.count else { return nil }
        var reply = [UInt8](repeating: 0, count: 4096)
        var length: Int32 = 0
        let received = reply.withUnsafeMutableBytes { swtop_netlink_receive_many(fd, $0.baseAddress, UInt32($0.count), &length, 1) }
        guard received == 1, length > 0 else { return nil }
        return reply.withUnsafeBytes { TaskstatsReply.familyID(UnsafeRawBufferPointer(rebasing: $0[0..<Int(length)])) }
    }
}
