// Linux calls Swift cannot reach from Glibc alone: the variadic ioctl and syscall, and the calls
// glibc declares only under _GNU_SOURCE (pidfd, prlimit). Header-only: nothing to compile.
#ifndef SWTOP_CLINUX_SHIM_H
#define SWTOP_CLINUX_SHIM_H

#include <errno.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

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

#endif
