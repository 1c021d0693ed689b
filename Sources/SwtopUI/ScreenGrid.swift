import ProcessModel

/// One character cell of the screen: what to show and in which colour role.
public struct Cell: Equatable, Sendable {
    /// The character, or `Cell.continuation` for the right half of a double-width character.
    public var scalar: Unicode.Scalar
    public var role: Role

    public static let continuation: Unicode.Scalar = "\u{0}"

    public init(_ scalar: Unicode.Scalar, _ role: Role) {
        self.scalar = scalar
        self.role = role
    }

    public var isContinuation: Bool { scalar == Cell.continuation }
}

/// The whole screen as plain values: the UI renders into it, tests read it, and one thin file
/// (Terminal.swift) puts it on ncurses. Writes outside the grid are clipped, never trapped.
public struct ScreenGrid: Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, role: Role = .normal) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(" ", role), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        return cells[y * width + x]
    }

    /// Writes `text` at (x, y), at most `limit` columns; returns the column after the last
    /// character written. Control characters must already be escaped (DisplayText.escaped):
    /// any that slip through are shown as '?'.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: Role, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return x }
        let end = min(width, limit.map { x + max(0, $0) } ?? width)
        var col = x
        for scalar in text.unicodeScalars {
            let w = CellWidth.of(scalar)
            if w == 0 { continue }
            if col + w > end { break }
            if col >= 0 {
                let shown: Unicode.Scalar = DisplayText.needsEscape(scalar) ? "?" : scalar
                cells[y * width + col] = Cell(shown, role)
                if w == 2, col + 1 < width { cells[y * width + col + 1] = Cell(Cell.continuation, role) }
            }
            col += w
        }
        return col
    }

    /// Fills a row (or part of it) with spaces in `role`.
    public mutating func fill(y: Int, x: Int = 0, count: Int? = nil, role: Role) {
        guard y >= 0, y < height else { return }
        let from = max(0, x)
        let to = min(width, count.map { x + $0 } ?? width)
        guard from < to else { return }
        for col in from..<to { cells[y * width + col] = Cell(" ", role) }
    }

    /// The text of one row, trailing spaces kept; wide characters once.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = String.UnicodeScalarView()
        for col in 0..<width {
            let c = cells[y * width + col]
            if !c.isContinuation { s.append(c.scalar) }
        }
        return String(s)
    }

    /// The roles of one row, for tests.
    public func roles(_ y: Int) -> [Role] {
        guard y >= 0, y < height else { return [] }
        return Array(cells[(y * width)..<((y + 1) * width)].map(\.role))
    }

    /// Every row, trailing spaces trimmed: what a test compares.
    public var text: [String] {
        (0..<height).map { y in
            var l = line(y)
            while l.last == " " { l.removeLast() }
            return l
        }
    }
}

/// Terminal columns a character takes. Without the C library's locale tables, a small table:
/// East Asian wide and fullwidth ranges and emoji take two, combining marks and zero-width
/// characters none, the rest one.
public enum CellWidth {
    public static func of(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        if v < 0x300 { return 1 }
        switch v {
        case 0x300...0x36F, 0x483...0x489, 0x591...0x5BD, 0x610...0x61A, 0x64B...0x65F,
            0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0xFE00...0xFE0F, 0xFEFF,
            0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x20D0...0x20FF, 0xE0100...0xE01EF:
            return 0
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// Columns of a whole string.
    public static func of(_ text: String) -> Int {
        var n = 0
        for s in text.unicodeScalars { n += of(s) }
        return n
    }
}
