#if canImport(Glibc)
import Glibc
#endif
import CLinux
import ProcFS

/// The kernel's proc connector: a netlink socket that hears of every fork, exec and exit on the
/// machine as it happens. Root only (CAP_NET_ADMIN), and only in the initial PID and user
/// namespaces: elsewhere the kernel ignores the subscription without saying so.
public final class ProcConnector {
    public let fd: Int32
    /// Events the kernel sent that never arrived: gaps in the per-CPU sequence numbers, and
    /// ENOBUFS (the socket's buffer overflowed; how many were dropped is then only known from
    /// the gaps of the events that follow).
    public private(set) var lost = 0
    /// Times the socket's buffer overflowed.
    public private(set) var overflows = 0
    private var nextSequence: [UInt32: UInt32] = [:]
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// Subscribes, or returns the errno as the reason it could not.
    public static func open() -> Result<ProcConnector, ConnectorError> {
        let fd = swtop_proc_connector_open(16 << 20)
        guard fd >= 0 else { return .failure(ConnectorError(code: -fd)) }
        return .success(ProcConnector(fd: fd))
    }

    private init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    /// Every event waiting on the socket, in the order the kernel sent them, without blocking.
    public func drain() -> [ConnectorEvent] {
        var events: [ConnectorEvent] = []
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == ENOBUFS {
                    overflows += 1
                    continue
                }
                break  // EAGAIN: nothing more now
            }
            if n == 0 { break }
            buffer.withUnsafeBytes { raw in
                for message in ConnectorMessage.parse(UnsafeRawBufferPointer(rebasing: raw[0..<n])) {
                    if let expected = nextSequence[message.cpu], message.sequence != expected {
                        // Sequence numbers wrap at 2^32; a gap is how many never came.
                        let gap = message.sequence &- expected
                        if gap < 1 << 31 { lost += Int(gap) }
                    }
                    nextSequence[message.cpu] = message.sequence &+ 1
                    if let event = message.event { events.append(event) }
                }
            }
        }
        return events
    }
}

/// Why the proc connector could not be used.
public struct ConnectorError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var description: String {
        code == EPERM || code == EACCES ? "not root: the proc connector needs CAP_NET_ADMIN" : "proc connector: " + errnoText(code)
    }
}
