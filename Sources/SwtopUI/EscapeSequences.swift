/// What follows an Esc that ncurses handed over as a key of its own: either a lone Esc (htop's
/// "close this dialog"), or an escape sequence the terminal description does not know.
///
/// tmux sends Home as `ESC [ 1 ~` whatever $TERM says, while xterm-256color's terminfo expects
/// `ESC O H`; ncurses then returns Esc and gives back `[`, `1`, `~` one by one, and `[` is
/// "nice + 1". So the common CSI and SS3 forms of the movement keys are mapped here, and any
/// other sequence is read to its end and dropped whole, never replayed as keys (as ncurses'
/// own timeout-based parsing and htop treat what they do not know).
enum EscapeSequence {
    /// One read after the Esc, within the escape delay.
    enum Input: Equatable {
        case character(UInt32)
        /// A key ncurses recognised by itself (an arrow right after Esc: Alt+Up).
        case functionKey
    }

    enum Outcome: Equatable {
        /// Nothing followed within the delay: the user pressed Esc.
        case escape
        case key(Key)
        /// A sequence (or Alt plus a key) swtop has no use for: read whole, ignored.
        case dropped
    }

    /// Longer than any sequence a terminal sends for a key; a stream that never ends one (a
    /// paste of garbage) is cut here, and the rest is dropped the same way later.
    static let longest = 32

    /// `next` gives what came after the Esc, nil when the escape delay passed without more.
    static func read(_ next: () -> Input?) -> Outcome {
        guard let first = next() else { return .escape }
        guard case .character(let introducer) = first else { return .dropped }
        switch introducer {
        case 0x5B:  // "[": CSI, parameters, intermediates, one final byte
            var parameters: [UInt32] = []
            for _ in 0..<longest {
                guard case .character(let c) = next() else { return .dropped }
                if (0x20...0x3F).contains(c) {
                    parameters.append(c)
                    continue
                }
                guard (0x40...0x7E).contains(c) else { return .dropped }
                // The Linux console's F1 to F5: ESC [ [ A ... one more byte, dropped with it.
                if c == 0x5B, parameters.isEmpty {
                    _ = next()
                    return .dropped
                }
                return csi(parameters: parameters, final: c).map(Outcome.key) ?? .dropped
            }
            return .dropped
        case 0x4F:  // "O": SS3, one final byte
            guard case .character(let c) = next() else { return .dropped }
            return ss3(final: c).map(Outcome.key) ?? .dropped
        default:
            return .dropped
        }
    }

    /// ESC [ H, ESC [ 1 ~, ESC [ 7 ~ (rxvt) ... with no modifier.
    static func csi(parameters: [UInt32], final: UInt32) -> Key? {
        let text = String(decoding: parameters.compactMap { UInt8(exactly: $0) }, as: UTF8.self)
        switch (text, final) {
        case ("", 0x48), ("1", 0x48): return .home  // H
        case ("", 0x46), ("1", 0x46): return .end  // F
        case ("", 0x41): return .up  // A
        case ("", 0x42): return .down  // B
        case ("", 0x43): return .right  // C
        case ("", 0x44): return .left  // D
        case ("1", 0x7E), ("7", 0x7E): return .home  // ~
        case ("4", 0x7E), ("8", 0x7E): return .end
        case ("5", 0x7E): return .pageUp
        case ("6", 0x7E): return .pageDown
        case ("3", 0x7E): return .delete
        default: return nil
        }
    }

    /// ESC O H, ESC O F, and the arrows in application mode.
    static func ss3(final: UInt32) -> Key? {
        switch final {
        case 0x48: return .home
        case 0x46: return .end
        case 0x41: return .up
        case 0x42: return .down
        case 0x43: return .right
        case 0x44: return .left
        default: return nil
        }
    }
}
