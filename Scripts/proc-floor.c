/* The least time any program can take to read the same /proc files as `swtop --once --json`:
 * each named file of every /proc/PID, one openat, read and close apiece, nothing parsed or
 * printed, split over as many threads as CPUs online (each takes the next 64 pids), as swtop
 * splits its reading. Scripts/bench-once.sh times it beside swtop and ps.
 * An argument that starts with '/' is a cgroup hierarchy: the first thread walks it and reads
 * every cgroup.procs to its end before it joins the others, as swtop's cgroup walk does (the
 * `cgroup` field comes from it, not from 5,000 `cgroup` files).
 *   proc-floor stat status cmdline io oom_score oom_score_adj /sys/fs/cgroup/unified
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int pids[4194304], count, root, nfiles;
static char **files;
static int next;
static char **hierarchies;
static int nhierarchies;

/* Every cgroup.procs under `dir`, read to its end (a seq_file larger than a page comes a page at a time). */
static void walk(int dir) {
    char buf[65536];
    int procs = openat(dir, "cgroup.procs", O_RDONLY | O_CLOEXEC);
    if (procs >= 0) {
        while (read(procs, buf, sizeof buf) > 0) {}
        close(procs);
    }
    int again = dup(dir);
    DIR *d = again >= 0 ? fdopendir(again) : NULL;
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_type == DT_DIR && e->d_name[0] != '.') {
            int sub = openat(dir, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (sub >= 0) { walk(sub); close(sub); }
        }
    closedir(d);
}

static void *work(void *unused) {
    (void)unused;
    char buf[65536], path[64];
    for (;;) {
        int start = __atomic_fetch_add(&next, 64, __ATOMIC_RELAXED);
        if (start >= count) return NULL;
        for (int i = start; i < start + 64 && i < count; i++)
            for (int k = 0; k < nfiles; k++) {
                snprintf(path, sizeof path, "%d/%s", pids[i], files[k]);
                int fd = openat(root, path, O_RDONLY | O_CLOEXEC);
                if (fd < 0) continue;
                if (read(fd, buf, sizeof buf) < 0) { /* gone: as swtop, skip it */ }
                close(fd);
            }
    }
}

int main(int argc, char **argv) {
    files = calloc((size_t)argc, sizeof *files);
    hierarchies = calloc((size_t)argc, sizeof *hierarchies);
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '/') hierarchies[nhierarchies++] = argv[i];
        else files[nfiles++] = argv[i];
    }
    root = open("/proc", O_RDONLY | O_DIRECTORY);
    DIR *dir = opendir("/proc");
    if (root < 0 || !dir) { perror("/proc"); return 1; }
    struct dirent *e;
    while ((e = readdir(dir)) && count < (int)(sizeof pids / sizeof *pids))
        if (e->d_name[0] >= '1' && e->d_name[0] <= '9') pids[count++] = atoi(e->d_name);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = cpus > 1 ? (int)cpus : 1;
    pthread_t t[64];
    if (threads > 64) threads = 64;
    for (int i = 1; i < threads; i++) pthread_create(&t[i], NULL, work, NULL);
    for (int h = 0; h < nhierarchies; h++) {
        int dir = open(hierarchies[h], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir >= 0) { walk(dir); close(dir); }
    }
    work(NULL);
    for (int i = 1; i < threads; i++) pthread_join(t[i], NULL);
    return 0;
}
