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

// The mouse events swtop asks for: left button and wheel, never REPORT_MOUSE_POSITION (motion
// would flood getch). Wheel up is button 4 pressed, wheel down button 5 (mouse version 2).
static inline mmask_t swtop_mouse_events(void) {
    mmask_t m = BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
    m |= BUTTON5_PRESSED;
#endif
    return m;
}

// 1: a click (left button released or clicked), 2: wheel up, 3: wheel down, 0: anything else.
static inline int swtop_mouse_kind(mmask_t b) {
    if (b & (BUTTON1_RELEASED | BUTTON1_CLICKED)) return 1;
    if (b & BUTTON4_PRESSED) return 2;
#ifdef BUTTON5_PRESSED
    if (b & BUTTON5_PRESSED) return 3;
#endif
    return 0;
}

static inline int swtop_key_mouse(void) { return KEY_MOUSE; }

#endif
