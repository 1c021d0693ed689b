#if canImport(Glibc)
import Glibc
#endif
import CNcursesw
import ProcessModel

/// The terminal could not be used for the screen.
public struct TerminalError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// The only file that talks to ncurses: it starts and ends the screen, puts a ScreenGrid on
/// it, and turns ncurses' key codes into Keys.
public final class Terminal {
    private let screen: OpaquePointer
    private var attributes: [attr_t]
    private var buffer: [wchar_t] = []

    /// Starts ncurses on stdin and stdout. Fails with a message, rather than ncurses' own exit,
    /// when $TERM names no usable terminal or stdout is not a terminal.
    public init(theme: Theme) throws(TerminalError) {
        let termName = getenv("TERM").map { String(cString: $0) } ?? ""
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw TerminalError(description: "the screen needs a terminal on stdin and stdout (use --once for a table)")
        }
        // Exit status 1 rather than a table the user did not ask for: a script gets --once's
        // table by asking for it.
        guard !termName.isEmpty else {
            throw TerminalError(description: "TERM is not set: the screen needs it to know the terminal (or use --once for a table)")
        }
        // Before newterm, or UTF-8 comes out as mojibake.
        setlocale(LC_ALL, "")
        guard let screen = newterm(nil, swtop_stdout(), swtop_stdin()) else {
            throw TerminalError(description: "cannot use terminal '\(DisplayText.escaped(termName))'")
        }
        set_term(screen)
        guard swtop_can_address_cursor() != 0 else {
            endwin()
            delscreen(screen)
            throw TerminalError(description: "terminal '\(DisplayText.escaped(termName))' cannot move the cursor, as the screen needs (use --once for a table)")
        }
        self.screen = screen
        cbreak()
        noecho()
        nonl()
        keypad(swtop_stdscr(), true)
        curs_set(0)
        set_escdelay(25)
        attributes = Array(repeating: swtop_a_normal(), count: Role.allCases.count)
        // Clicks and the wheel, as htop: no motion reports, and no click-resolution delay
        // (a press and its release come as two events; a click is acted on at release).
        mousemask(swtop_mouse_events(), nil)
        mouseinterval(0)
        apply(theme: theme)
    }

    private var colorsStarted = false
    private var defaultColors = false

    /// Sets the attribute of every role for a theme (F2 turns colours on and off while running).
    public func apply(theme: Theme) {
        let colors = !theme.isMonochrome && has_colors()
        if colors {
            if !colorsStarted {
                start_color()
                defaultColors = use_default_colors() == OK
                colorsStarted = true
            }
            let defaults = defaultColors
            let many = swtop_colors() >= 16
            for role in Role.allCases {
                let style = theme.style(role)
                var fg = Self.colorNumber(style.foreground, defaults: defaults, background: false, many: many)
                let bg = Self.colorNumber(style.background, defaults: defaults, background: true, many: many)
                var extra = swtop_a_normal()
                // Without a 16-colour palette, grey is bold black.
                if style.foreground == .grey && !many {
                    fg = Int16(COLOR_BLACK)
                    extra |= swtop_a_bold()
                }
                let pair = Int16(role.rawValue) + 1
                init_pair(pair, fg, bg)
                attributes[Int(role.rawValue)] = swtop_color_pair(pair) | Self.flags(style) | extra
            }
        } else {
            let mono = Theme.monochrome
            for role in Role.allCases { attributes[Int(role.rawValue)] = Self.flags(mono.style(role)) }
        }
    }

    private static func colorNumber(_ c: Color, defaults: Bool, background: Bool, many: Bool) -> Int16 {
        switch c {
        case .terminalDefault: return defaults ? -1 : Int16(background ? COLOR_BLACK : COLOR_WHITE)
        case .black: return Int16(COLOR_BLACK)
        case .red: return Int16(COLOR_RED)
        case .green: return Int16(COLOR_GREEN)
        case .yellow: return Int16(COLOR_YELLOW)
        case .blue: return Int16(COLOR_BLUE)
        case .magenta: return Int16(COLOR_MAGENTA)
        case .cyan: return Int16(COLOR_CYAN)
        case .white: return Int16(COLOR_WHITE)
        case .grey: return many ? 8 : Int16(COLOR_BLACK)
        }
    }

    private static func flags(_ s: Style) -> attr_t {
        var a = swtop_a_normal()
        if s.bold { a |= swtop_a_bold() }
        if s.dim { a |= swtop_a_dim() }
        if s.reverse { a |= swtop_a_reverse() }
        if s.underline { a |= swtop_a_underline() }
        return a
    }

    /// Columns and rows now (they change on KEY_RESIZE).
    public var size: (width: Int, height: Int) { (Int(swtop_cols()), Int(swtop_lines())) }

    /// Puts the grid on the screen; ncurses sends only what changed, unless `clear` (Ctrl-L).
    public func draw(_ grid: ScreenGrid, clear: Bool = false) {
        let win = swtop_stdscr()
        if clear { clearok(win, true) }
        werase(win)
        for y in 0..<grid.height {
            var x = 0
            while x < grid.width {
                guard let first = grid[x, y] else { break }
                let role = first.role
                let start = x
                buffer.removeAll(keepingCapacity: true)
                while x < grid.width, let cell = grid[x, y], cell.role == role {
                    if !cell.isContinuation { buffer.append(wchar_t(bitPattern: cell.scalar.value)) }
                    x += 1
                }
                wattrset(win, Int32(bitPattern: attributes[Int(role.rawValue)]))
                buffer.withUnsafeBufferPointer { p in
                    guard let base = p.baseAddress else { return }
                    _ = mvwaddnwstr(win, Int32(y), Int32(start), base, Int32(p.count))
                }
            }
        }
        wattrset(win, Int32(bitPattern: swtop_a_normal()))
        wrefresh(win)
    }

    /// The next key, or nil when `timeoutMs` passed without one.
    public func readKey(timeoutMs: Int) -> Key? {
        let win = swtop_stdscr()
        wtimeout(win, Int32(max(0, min(timeoutMs, 60_000))))
        var ch: wint_t = 0
        let rc = wget_wch(win, &ch)
        if rc == KEY_CODE_YES { return Self.functionKey(Int32(bitPattern: ch)) }
        guard rc == OK else { return nil }
        switch ch {
        case 27:
            // Whatever followed the Esc is already in ncurses' queue when it came with it.
            let delay = get_escdelay()
            switch EscapeSequence.read({ Self.next(win, withinMs: delay) }) {
            case .escape: return .escape
            case .key(let key): return key
            case .dropped: return nil
            }
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 9: return .tab
        case 1...26:
            guard let s = Unicode.Scalar(UInt32(ch) + 0x60) else { return nil }
            return .control(s)
        default:
            guard let s = Unicode.Scalar(UInt32(ch)) else { return nil }
            return .character(s)
        }
    }

    /// What came after an Esc, if anything did within `ms`.
    private static func next(_ win: UnsafeMutablePointer<WINDOW>?, withinMs ms: Int32) -> EscapeSequence.Input? {
        wtimeout(win, ms)
        var ch: wint_t = 0
        let rc = wget_wch(win, &ch)
        if rc == KEY_CODE_YES { return .functionKey }
        return rc == OK ? .character(UInt32(ch)) : nil
    }

    private static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        case KEY_RESIZE: return .resize
        case swtop_key_mouse():
            var event = MEVENT()
            guard getmouse(&event) == OK, event.x >= 0, event.y >= 0 else { return nil }
            let kinds: [MouseEvent.Kind?] = [nil, .click, .wheelUp, .wheelDown]
            let k = Int(swtop_mouse_kind(event.bstate))
            guard k < kinds.count, let kind = kinds[k] else { return nil }
            return .mouse(MouseEvent(kind, x: Int(event.x), y: Int(event.y)))
        default:
            for n in 1...12 where code == swtop_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    /// Leaves the screen and gives the terminal back as it was.
    public func end() {
        endwin()
        delscreen(screen)
    }
}

/// SIGTERM, SIGINT, SIGHUP and SIGQUIT end the screen with the terminal restored and exit
/// status 128 + signal. Installed after newterm, so ncurses' own handlers (SIGWINCH, SIGTSTP)
/// stay as they are. The handler only restores the terminal and exits: it never returns into
/// a half-drawn frame.
public enum SignalExit {
    public static let signals: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGQUIT]

    public static func install() {
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { received in
                endwin()
                _exit(128 + received)
            }
            sigemptyset(&action.sa_mask)
            // A second signal must not run endwin again while the first handler is inside it.
            for other in signals { sigaddset(&action.sa_mask, other) }
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
        // A parent may have started swtop with these blocked; they must still end it.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in signals { sigaddset(&unblock, signal) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

}
