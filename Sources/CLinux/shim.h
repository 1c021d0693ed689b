// Linux calls Swift cannot reach from Glibc alone: variadic ioctl, and (for ProcessControl)
// the calls glibc only declares under _GNU_SOURCE. Header-only: nothing to compile.
#ifndef SWTOP_CLINUX_SHIM_H
#define SWTOP_CLINUX_SHIM_H

#include <sys/ioctl.h>
#include <unistd.h>

/// Columns of the terminal on fd, or 0 when fd is not a terminal.
static inline int swtop_terminal_columns(int fd) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return 0;
    return ws.ws_col;
}

#endif
