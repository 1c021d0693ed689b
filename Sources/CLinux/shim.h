// Linux calls Swift cannot reach from Glibc alone: the variadic ioctl and syscall, and the calls
// glibc declares only under _GNU_SOURCE (pidfd, prlimit), and mallopt. Header-only: nothing to
// compile.
#ifndef SWTOP_CLINUX_SHIM_H
#define SWTOP_CLINUX_SHIM_H

#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <string.h>
#include <unistd.h>

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <sys/socket.h>

/// A socket subscribed to the kernel's proc connector (fork, exec, exit of every task), non-
/// blocking, with a receive buffer of `buffer_bytes` where root may force one; -errno on failure.
/// Needs CAP_NET_ADMIN; in a non-initial PID or user namespace the kernel ignores the
/// subscription without an error, which the caller must detect.
static inline int swtop_proc_connector_open(int buffer_bytes) {
    int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
    if (fd < 0) return -errno;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer_bytes, sizeof buffer_bytes) != 0)
        (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes);
    struct sockaddr_nl address = {0};
    address.nl_family = AF_NETLINK;
    address.nl_groups = CN_IDX_PROC;
    address.nl_pid = 0;
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        int code = errno;
        close(fd);
        return -code;
    }
    struct {
        struct nlmsghdr header;
        struct cn_msg message;
        enum proc_cn_mcast_op op;
    } __attribute__((packed)) request;
    memset(&request, 0, sizeof request);
    request.header.nlmsg_len = sizeof request;
    request.header.nlmsg_type = NLMSG_DONE;
    request.header.nlmsg_pid = (unsigned)getpid();
    request.message.id.idx = CN_IDX_PROC;
    request.message.id.val = CN_VAL_PROC;
    request.message.len = sizeof(enum proc_cn_mcast_op);
    request.op = PROC_CN_MCAST_LISTEN;
    if (send(fd, &request, sizeof request, 0) != (ssize_t)sizeof request) {
        int code = errno;
        close(fd);
        return -code;
    }
    return fd;
}

/// struct pidfd_info of Linux 6.16 (72 bytes; 6.15's is the first 64), which Debian 12's headers
/// lack. The kernel fills what it knows of the fields asked for in `mask`.
struct swtop_pidfd_info {
    unsigned long long mask;
    unsigned long long cgroupid;
    unsigned int pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
    int exit_code;
    unsigned int coredump_mask;
    unsigned int spare;
};

/// PIDFD_GET_INFO = _IOWR(0xFF, 11, struct pidfd_info): 0 with `info` filled, or -errno.
/// ENOTTY or EINVAL: a kernel before 6.15.
static inline int swtop_pidfd_get_info(int pidfd, struct swtop_pidfd_info *info) {
    return ioctl(pidfd, _IOWR(0xFF, 11, struct swtop_pidfd_info), info) == 0 ? 0 : -errno;
}

// The same numbers on every architecture (the unified syscall table).
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/// getdents64(2): directory entries into buf (struct linux_dirent64 records); bytes, 0 at the end.
static inline long swtop_getdents64(int fd, void *buf, unsigned long size) {
    return syscall(SYS_getdents64, fd, buf, size);
}

/// Columns of the terminal on fd, or 0 when fd is not a terminal.
/* The file system type of an open file (statfs f_type), or 0 when it cannot be had. */
static inline long swtop_file_system_type(int fd) {
    struct statfs info;
    return fstatfs(fd, &info) == 0 ? (long)info.f_type : 0;
}

static inline int swtop_terminal_columns(int fd) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return 0;
    return ws.ws_col;
}

/// pidfd_open(2): a file descriptor that refers to this process and no other, ever.
static inline int swtop_pidfd_open(int pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

/// pidfd_send_signal(2): signals exactly the process the pidfd refers to.
static inline int swtop_pidfd_send_signal(int pidfd, int sig) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, (void *)0, 0);
}

/// prctl(PR_SET_CHILD_SUBREAPER, 1) (prctl is variadic): orphaned descendants are then given to
/// this process instead of PID 1. 0, or -errno.
static inline int swtop_become_child_subreaper(void) {
    return prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL) == 0 ? 0 : -errno;
}

/// signalfd(2) for `mask` (the signals must be blocked first), non-blocking; -errno on failure.
static inline int swtop_signalfd(const sigset_t *mask) {
    int fd = signalfd(-1, mask, SFD_NONBLOCK | SFD_CLOEXEC);
    return fd >= 0 ? fd : -errno;
}

/// A resource limit as prlimit64(2) takes it.
struct swtop_rlimit {
    unsigned long long soft;
    unsigned long long hard;
};

/// prlimit64(2): reads (old) and/or sets (new) a limit of another process. Either may be NULL.
static inline int swtop_prlimit(int pid, int resource, const struct swtop_rlimit *new_limit,
                                struct swtop_rlimit *old_limit) {
    return (int)syscall(SYS_prlimit64, pid, resource, new_limit, old_limit);
}

/// RLIM_INFINITY as the kernel's 64-bit limit.
static inline unsigned long long swtop_rlim_infinity(void) { return ~0ULL; }


/// A NETLINK_GENERIC socket for asking the kernel's taskstats family, non-blocking, with a
/// receive buffer of `buffer_bytes` where root may force one (else the ordinary cap); -errno on
/// failure.
static inline int swtop_genetlink_open(int buffer_bytes) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_GENERIC);
    if (fd < 0) return -errno;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buffer_bytes, sizeof buffer_bytes) != 0)
        (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes);
    struct sockaddr_nl address = {0};
    address.nl_family = AF_NETLINK;
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        int code = errno;
        close(fd);
        return -code;
    }
    return fd;
}

/// The socket's receive buffer as the kernel accounts it (twice what was asked), or 0.
static inline int swtop_receive_buffer_bytes(int fd) {
    int bytes = 0;
    socklen_t size = sizeof bytes;
    return getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, &size) == 0 ? bytes : 0;
}

/// Sends one datagram to the kernel (netlink port 0): bytes sent, or -errno.
static inline long swtop_netlink_send(int fd, const void *bytes, unsigned long count) {
    struct sockaddr_nl kernel = {0};
    kernel.nl_family = AF_NETLINK;
    long n;
    do n = sendto(fd, bytes, count, 0, (struct sockaddr *)&kernel, sizeof kernel);
    while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : n;
}

/// recvmmsg(2) without waiting: up to `count` datagrams, the i-th into `buffer + i * slot`
/// (at most `slot` bytes; a longer one is cut short and its length set to -1), its length in
/// `lengths[i]`. How many were received (0: none waiting), or -errno (ENOBUFS: the receive buffer
/// overflowed and replies were dropped). One call for a batch instead of one recv a reply.
static inline int swtop_netlink_receive_many(int fd, void *buffer, unsigned int slot, int *lengths, unsigned int count) {
    if (count > 512) count = 512;
    struct iovec vectors[512];
    struct { struct msghdr header; unsigned int length; } messages[512];
    for (unsigned int i = 0; i < count; i++) {
        vectors[i].iov_base = (char *)buffer + (unsigned long)i * slot;
        vectors[i].iov_len = slot;
        memset(&messages[i].header, 0, sizeof messages[i].header);
        messages[i].header.msg_iov = &vectors[i];
        messages[i].header.msg_iovlen = 1;
        messages[i].length = 0;
    }
    long n;
    do n = syscall(SYS_recvmmsg, fd, messages, count, MSG_DONTWAIT, (void *)0);
    while (n < 0 && errno == EINTR);
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
    for (long i = 0; i < n; i++)
        lengths[i] = (messages[i].header.msg_flags & MSG_TRUNC) ? -1 : (int)messages[i].length;
    return (int)n;
}

#endif
