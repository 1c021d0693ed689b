// The kernel's tracepoints read as perf does: perf_event_open(2) per CPU with PERF_SAMPLE_RAW,
// each CPU's ring buffer mapped and read without a system call. Header-only, like shim.h.
#ifndef SWTOP_CLINUX_PERF_TRACEPOINT_H
#define SWTOP_CLINUX_PERF_TRACEPOINT_H

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/perf_event.h>

/// Reads `events/<path>/format` of tracefs into `buffer` (at most `size` bytes): bytes read, or
/// -errno. Where tracefs is mounted (/sys/kernel/tracing, or debugfs's tracing) it is read there.
/// Otherwise a child process makes its own mount namespace (private, so nothing propagates to the
/// host's), mounts tracefs there, reads the file and exits: the mount dies with it, and neither
/// the host's mounts nor the global trace buffer are touched.
static inline long swtop_tracepoint_format(const char *event_path, char *buffer, unsigned long size) {
    static const char *const mounted[] = {"/sys/kernel/tracing/events/", "/sys/kernel/debug/tracing/events/"};
    char path[256];
    for (int i = 0; i < 2; i++) {
        if (strlen(mounted[i]) + strlen(event_path) + sizeof "/format" > sizeof path) return -ENAMETOOLONG;
        strcpy(path, mounted[i]);
        strcat(path, event_path);
        strcat(path, "/format");
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        long n = read(fd, buffer, size);
        int code = errno;
        close(fd);
        return n < 0 ? -code : n;
    }
    if (strlen("/sys/kernel/tracing/events/") + strlen(event_path) + sizeof "/format" > sizeof path) return -ENAMETOOLONG;
    strcpy(path, "/sys/kernel/tracing/events/");
    strcat(path, event_path);
    strcat(path, "/format");
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return -errno;
    pid_t child = fork();
    if (child < 0) {
        int code = errno;
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return -code;
    }
    if (child == 0) {
        // The child: system calls only (the parent may have other threads).
        int failed = 0;
        if (syscall(SYS_unshare, 0x00020000 /* CLONE_NEWNS */) != 0) failed = errno;
        else if (mount("none", "/", (void *)0, MS_REC | MS_PRIVATE, (void *)0) != 0) failed = errno;
        else if (mount("nodev", "/sys/kernel/tracing", "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, (void *)0) != 0) failed = errno;
        int fd = failed ? -1 : open(path, O_RDONLY | O_CLOEXEC);
        if (!failed && fd < 0) failed = errno;
        if (failed) {
            char byte = (char)(failed > 127 ? 127 : failed);
            (void)!write(pipe_fds[1], &byte, 1);
            _exit(1);
        }
        char chunk[4096];
        long n;
        char ok = 0;
        (void)!write(pipe_fds[1], &ok, 1);
        while ((n = read(fd, chunk, sizeof chunk)) > 0)
            if (write(pipe_fds[1], chunk, (unsigned long)n) != n) break;
        _exit(0);
    }
    close(pipe_fds[1]);
    long total = 0, n;
    char status = 1;
    long got = 0;
    do got = read(pipe_fds[0], &status, 1); while (got < 0 && errno == EINTR);
    if (got == 1 && status == 0) {
        while (total < (long)size) {
            n = read(pipe_fds[0], buffer + total, size - (unsigned long)total);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            total += n;
        }
    }
    close(pipe_fds[0]);
    int wstatus;
    while (waitpid(child, &wstatus, 0) < 0 && errno == EINTR) {}
    if (got != 1) return -EIO;
    return status == 0 ? total : -(long)status;
}

/// One CPU's event of tracepoint `id`: COMM records of the programs exec'd on it, and a sample (the sender's pid and tid, CLOCK_MONOTONIC time (perf refuses
/// CLOCK_REALTIME for tracepoints: it is not NMI-safe),
/// the raw record) at every hit that passes `filter` (the tracepoint filter language, applied in
/// the kernel). Returns the fd, or -errno. The caller maps the ring buffer, then enables it.
static inline int swtop_perf_tracepoint_open(unsigned long long id, int cpu, const char *filter) {
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.type = PERF_TYPE_TRACEPOINT;
    attr.size = sizeof attr;
    attr.config = id;
    attr.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_RAW;
    attr.sample_period = 1;
    attr.wakeup_events = 1;
    attr.use_clockid = 1;
    attr.clockid = CLOCK_MONOTONIC;
    attr.disabled = 1;
    // A COMM record at every exec on this CPU (the new program's name): a process that execs
    // and ends before /proc can be read is still named. Such records wake no reader (only
    // samples count for wakeup_events); the exit that follows does.
    attr.comm = 1;
    attr.comm_exec = 1;
    // Each COMM record ends with the sample's pid, tid and time: an exec is placed before or
    // after a signal its process sent.
    attr.sample_id_all = 1;
    int fd = (int)syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
    if (fd < 0) return -errno;
    if (filter && ioctl(fd, PERF_EVENT_IOC_SET_FILTER, filter) != 0) {
        int code = errno;
        close(fd);
        return -code;
    }
    return fd;
}

static inline int swtop_perf_enable(int fd) { return ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) == 0 ? 0 : -errno; }

/// Maps fd's ring buffer: one metadata page and `data_pages` (a power of two) of records.
static inline void *swtop_perf_map(int fd, unsigned long data_pages) {
    long page = sysconf(_SC_PAGESIZE);
    void *base = mmap((void *)0, (data_pages + 1) * (unsigned long)page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    return base == MAP_FAILED ? (void *)0 : base;
}

static inline void swtop_perf_unmap(void *base, unsigned long data_pages) {
    munmap(base, (data_pages + 1) * (unsigned long)sysconf(_SC_PAGESIZE));
}

/// Where the records start and how many bytes the ring holds.
static inline unsigned long long swtop_perf_data_offset(const void *base) { return ((const struct perf_event_mmap_page *)base)->data_offset; }
static inline unsigned long long swtop_perf_data_size(const void *base) { return ((const struct perf_event_mmap_page *)base)->data_size; }

/// The kernel's write position (read with acquire: the records before it are complete).
static inline unsigned long long swtop_perf_head(const void *base) {
    return __atomic_load_n(&((const struct perf_event_mmap_page *)base)->data_head, __ATOMIC_ACQUIRE);
}
static inline unsigned long long swtop_perf_tail(const void *base) { return ((const struct perf_event_mmap_page *)base)->data_tail; }
/// Gives the bytes before `tail` back to the kernel (release: they were read first).
static inline void swtop_perf_set_tail(void *base, unsigned long long tail) {
    __atomic_store_n(&((struct perf_event_mmap_page *)base)->data_tail, tail, __ATOMIC_RELEASE);
}

#endif
