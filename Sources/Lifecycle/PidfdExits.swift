#if canImport(Glibc)
import Glibc
#endif
import CLinux
import ProcFS

/// Exit statuses without root: a pidfd held for each process while it lives. It turns readable
/// when the process dies (before its parent reaps it), and after the reap Linux 6.15's
/// PIDFD_GET_INFO gives its wait status, even of another user's process.
///
/// All pidfds sit in one epoll set, so a refresh costs one epoll_wait however many are held.
public final class PidfdExits {
    /// Whether the kernel gives exit statuses through pidfds (6.15+).
    public let kernelGivesStatus: Bool
    /// How many pidfds may be held: they share the open-file limit with the screen's kept files.
    public let budget: Int
    public var held: Int { slots.count }

    private let epoll: Int32
    private var slots: [Int32: ProcessKey] = [:]  // pidfd -> process
    private var byKey: [ProcessKey: Int32] = [:]

    public init(budget: Int) {
        self.budget = budget
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        kernelGivesStatus = Self.probe()
    }

    deinit {
        for fd in slots.keys { close(fd) }
        if epoll >= 0 { close(epoll) }
    }

    /// Whether PIDFD_GET_INFO works here: asked of swtop's own pidfd.
    private static func probe() -> Bool {
        let fd = swtop_pidfd_open(getpid())
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = swtop_pidfd_info()
        info.mask = 8
        return swtop_pidfd_get_info(fd, &info) == 0
    }

    /// Starts watching a process, when the budget allows. Opening is checked against the start
    /// time by the caller's next read: a pidfd opened on a reused pid is dropped by `forget`.
    @discardableResult
    public func watch(_ key: ProcessKey) -> Bool {
        guard epoll >= 0, byKey[key] == nil, slots.count < budget else { return false }
        let fd = swtop_pidfd_open(key.id)
        guard fd >= 0 else { return false }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = fd
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) == 0 else {
            close(fd)
            return false
        }
        slots[fd] = key
        byKey[key] = fd
        return true
    }

    public func isWatching(_ key: ProcessKey) -> Bool { byKey[key] != nil }

    /// The watched processes that died since the last call (each once: it leaves the epoll set
    /// but its pidfd stays open for `status(of:)`).
    public func deaths() -> [ProcessKey] {
        guard epoll >= 0, !slots.isEmpty else { return [] }
        var dead: [ProcessKey] = []
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while true {
            let n = events.withUnsafeMutableBufferPointer { epoll_wait(epoll, $0.baseAddress, Int32($0.count), 0) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            for i in 0..<Int(n) {
                let fd = events[i].data.fd
                var unused = epoll_event()
                _ = epoll_ctl(epoll, EPOLL_CTL_DEL, fd, &unused)
                if let key = slots[fd] { dead.append(key) }
            }
            if Int(n) < events.count { break }
        }
        return dead
    }

    /// The wait status of a dead process once its parent has reaped it; nil before the reap,
    /// or where the kernel does not tell.
    public func status(of key: ProcessKey) -> Int32? {
        guard kernelGivesStatus, let fd = byKey[key] else { return nil }
        var info = swtop_pidfd_info()
        info.mask = 8  // PIDFD_INFO_EXIT
        guard swtop_pidfd_get_info(fd, &info) == 0, info.mask & 8 != 0 else { return nil }
        return info.exit_code
    }

    /// Stops watching and closes the pidfd.
    public func forget(_ key: ProcessKey) {
        guard let fd = byKey.removeValue(forKey: key) else { return }
        slots[fd] = nil
        var unused = epoll_event()
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, fd, &unused)
        close(fd)
    }

    /// The epoll fd, readable when a watched process dies (for a poll loop).
    public var pollFD: Int32 { epoll }
}
