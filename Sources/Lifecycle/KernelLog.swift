#if canImport(Glibc)
import Glibc
#endif

/// /dev/kmsg, read from where it ends when opened (root: older lines are not this run's
/// business), one record per read, never blocking.
public final class KernelLog {
    public let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 8192)

    /// nil where /dev/kmsg cannot be opened (not root, or kernel.dmesg_restrict).
    public init?() {
        fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        _ = lseek(fd, 0, SEEK_END)
    }

    deinit { close(fd) }

    /// The pids the OOM killer killed in the records since the last call.
    public func oomKills() -> [Int32] {
        var pids: [Int32] = []
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                // EPIPE: records were overwritten before they were read; the next read goes on.
                if errno == EPIPE || errno == EINTR { continue }
                break
            }
            if n == 0 { break }
            // "PRIORITY,SEQUENCE,TIME,FLAGS;MESSAGE\n" then continuation lines.
            let record = buffer[0..<n]
            guard let semicolon = record.firstIndex(of: UInt8(ascii: ";")) else { continue }
            let message = record[(semicolon + 1)...].prefix { $0 != UInt8(ascii: "\n") }
            if let pid = OOMLine.killedPID(message) { pids.append(pid) }
        }
        return pids
    }
}
