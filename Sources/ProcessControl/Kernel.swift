#if canImport(Glibc)
import Glibc
#endif
import CLinux

/// A system call's value, or its errno.
enum SyscallResult<Value> {
    case success(Value)
    case failure(Int32)
}

/// Every system call ProcessControl makes, each wrapped once. The only code in swtop that
/// signals or changes a process.
enum Kernel {
    static var errno: Int32 { Glibc.errno }

    /// A pidfd, or the errno.
    static func openPidfd(_ pid: Int32) -> SyscallResult<Int32> {
        guard pid > 0 else { return .failure(EINVAL) }
        let fd = swtop_pidfd_open(pid)
        return fd >= 0 ? .success(fd) : .failure(Glibc.errno)
    }

    static func sendSignal(pidfd: Int32, _ signal: Int32) -> Int32 {
        swtop_pidfd_send_signal(pidfd, signal) == 0 ? 0 : Glibc.errno
    }

    /// kill(2), only where the kernel has no pidfds, and never for pid <= 0.
    static func kill(_ pid: Int32, _ signal: Int32) -> Int32 {
        guard pid > 0 else { return EINVAL }
        return Glibc.kill(pid, signal) == 0 ? 0 : Glibc.errno
    }

    static func close(_ fd: Int32) { _ = Glibc.close(fd) }

    /// Which of `fds` are readable (a pidfd is readable once its process has exited), waiting
    /// at most `milliseconds` for the first.
    static func readable(_ fds: [Int32], milliseconds: Int32) -> [Bool] {
        guard !fds.isEmpty else { return [] }
        var polls = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let n = polls.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), milliseconds) }
        if n <= 0 { return fds.map { _ in false } }
        return polls.map { $0.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 }
    }

    /// getpriority(2) of one thread: its nice (-1 is a nice value, so errno tells failure).
    static func getPriority(thread tid: Int32) -> SyscallResult<Int32> {
        guard tid > 0 else { return .failure(EINVAL) }
        Glibc.errno = 0
        let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(tid))
        return nice == -1 && Glibc.errno != 0 ? .failure(Glibc.errno) : .success(nice)
    }

    static func setPriority(thread tid: Int32, _ nice: Int32) -> Int32 {
        setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(tid), nice) == 0 ? 0 : Glibc.errno
    }

    /// prlimit64(2): the old value, after setting `new` when given.
    static func prlimit(_ pid: Int32, _ resource: Int32, new: (soft: UInt64, hard: UInt64)?) -> SyscallResult<(soft: UInt64, hard: UInt64)> {
        var old = swtop_rlimit()
        let rc: Int32
        if let new {
            var limit = swtop_rlimit(soft: new.soft, hard: new.hard)
            rc = swtop_prlimit(pid, resource, &limit, &old)
        } else {
            rc = swtop_prlimit(pid, resource, nil, &old)
        }
        return rc == 0 ? .success((old.soft, old.hard)) : .failure(Glibc.errno)
    }

    static let infinity = swtop_rlim_infinity()
}
