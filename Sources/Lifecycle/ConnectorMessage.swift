/// One event of the kernel's proc connector, as swtop uses it.
public enum ConnectorEvent: Sendable, Equatable {
    /// A new task; `childPID == childTGID` for a new process (else a new thread).
    case fork(parentTGID: Int32, childPID: Int32, childTGID: Int32)
    /// A task called execve.
    case exec(pid: Int32, tgid: Int32)
    /// A task's real uid changed.
    case uid(pid: Int32, tgid: Int32, ruid: UInt32)
    /// A task renamed itself (`prctl(PR_SET_NAME)`: nginx's and postgres' workers, node's
    /// process.title; an exec sends no comm event). Raw bytes, up to the first NUL (at most 16).
    case comm(pid: Int32, tgid: Int32, name: [UInt8])
    /// A task exited; `status` is its wait status. (The event's exit_signal is the signal sent
    /// to the parent, SIGCHLD, not the fatal one: it is not used.)
    case exit(pid: Int32, tgid: Int32, status: Int32, parentTGID: Int32)
}

/// The datagrams of a NETLINK_CONNECTOR socket subscribed to CN_IDX_PROC: netlink headers
/// around a cn_msg around a struct proc_event. Bytes from the kernel, parsed with every length
/// checked, so nothing can read past what was received.
public struct ConnectorMessage {
    /// The events in `bytes`, and each one's CPU and sequence number (per CPU, counting every
    /// event the kernel sent, so a gap is a lost event).
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> [(event: ConnectorEvent?, cpu: UInt32, sequence: UInt32)] {
        var out: [(ConnectorEvent?, UInt32, UInt32)] = []
        var offset = 0
        let nlHeader = 16, cnHeader = 20, eventHeader = 16
        while offset + nlHeader <= bytes.count {
            let length = Int(bytes.integer(UInt32.self, at: offset))
            guard length >= nlHeader, offset + length <= bytes.count else { break }
            let type = bytes.integer(UInt16.self, at: offset + 4)
            // NLMSG_DONE (3) carries each connector message; NLMSG_NOOP/ERROR/OVERRUN do not.
            let cn = offset + nlHeader
            if type == 3, length >= nlHeader + cnHeader, bytes.integer(UInt32.self, at: cn) == 1, bytes.integer(UInt32.self, at: cn + 4) == 1 {
                let sequence = bytes.integer(UInt32.self, at: cn + 8)
                let dataLength = Int(bytes.integer(UInt16.self, at: cn + 16))
                let ev = cn + cnHeader
                if dataLength >= eventHeader, ev + dataLength <= offset + length {
                    let what = bytes.integer(UInt32.self, at: ev)
                    let cpu = bytes.integer(UInt32.self, at: ev + 4)
                    let data = ev + eventHeader
                    let available = dataLength - eventHeader
                    func i32(_ index: Int) -> Int32 { Int32(bitPattern: bytes.integer(UInt32.self, at: data + 4 * index)) }
                    var event: ConnectorEvent?
                    switch what {
                    case 0x1 where available >= 16:
                        event = .fork(parentTGID: i32(1), childPID: i32(2), childTGID: i32(3))
                    case 0x2 where available >= 8:
                        event = .exec(pid: i32(0), tgid: i32(1))
                    case 0x4 where available >= 12:
                        event = .uid(pid: i32(0), tgid: i32(1), ruid: UInt32(bitPattern: i32(2)))
                    case 0x200 where available >= 24:
                        // PROC_EVENT_COMM: pid, tgid, then comm[16].
                        var name: [UInt8] = []
                        for i in 0..<16 {
                            let byte = bytes[data + 8 + i]
                            if byte == 0 { break }
                            name.append(byte)
                        }
                        event = .comm(pid: i32(0), tgid: i32(1), name: name)
                    case 0x8000_0000 where available >= 24:
                        event = .exit(pid: i32(0), tgid: i32(1), status: i32(2), parentTGID: i32(5))
                    case 0x8000_0000 where available >= 16:
                        // Before Linux 4.x the exit event had no parent.
                        event = .exit(pid: i32(0), tgid: i32(1), status: i32(2), parentTGID: 0)
                    default:
                        event = nil
                    }
                    out.append((event, cpu, sequence))
                }
            }
            // Netlink messages are 4-byte aligned.
            offset += (length + 3) & ~3
        }
        return out
    }
}
