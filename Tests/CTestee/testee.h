// What swtop-testee needs that Swift cannot call: vfork, which returns twice (Swift refuses
// such functions). Header-only: nothing to compile.
#ifndef SWTOP_CTESTEE_H
#define SWTOP_CTESTEE_H

#include <unistd.h>

// vforks a child that pauses until killed: the parent then sleeps uninterruptibly (state D, in
// the kernel's vfork wait) for as long as the child lives. Returns in the parent only, with the
// child's pid (or -1).
static inline pid_t swtop_testee_vfork_and_pause(void) {
    pid_t pid = vfork();
    if (pid == 0) {
        for (;;) pause();
    }
    return pid;
}

#endif
