// ncursesw for Swift. SwiftPM drops the -D flags of ncursesw.pc, so the wide-character API is
// switched on here; macros and C globals that Swift cannot import are wrapped as functions.
#ifndef SWTOP_CNCURSESW_SHIM_H
#define SWTOP_CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <stdio.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline attr_t swtop_a_normal(void) { return A_NORMAL; }
static inline attr_t swtop_a_bold(void) { return A_BOLD; }
static inline attr_t swtop_a_dim(void) { return A_DIM; }
static inline attr_t swtop_a_reverse(void) { return A_REVERSE; }
static inline attr_t swtop_a_underline(void) { return A_UNDERLINE; }
static inline attr_t swtop_color_pair(short pair) { return (attr_t)COLOR_PAIR(pair); }
static inline int swtop_key_f(int n) { return KEY_F(n); }

// Swift 6 rejects these mutable C globals as not concurrency-safe.
static inline WINDOW *swtop_stdscr(void) { return stdscr; }
static inline int swtop_lines(void) { return LINES; }
static inline int swtop_cols(void) { return COLS; }
static inline int swtop_colors(void) { return COLORS; }
static inline FILE *swtop_stdout(void) { return stdout; }
static inline FILE *swtop_stdin(void) { return stdin; }

// Whether the current terminal can move the cursor (terminfo "cup"): without it (TERM=dumb)
// ncurses starts but cannot draw a screen. tigetstr answers NULL or (char *)-1 for "no".
static inline int swtop_can_address_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

#endif
