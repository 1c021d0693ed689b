/// What a cell is, not how it looks: the theme turns a role into colours and attributes, so the
/// grid stays the same with and without colour.
public enum Role: UInt8, CaseIterable, Sendable {
    case normal
    case dim
    case meterLabel
    case meterBracket
    case meterText
    case cpuUser
    case cpuNice
    case cpuSystem
    case cpuOther
    case memUsed
    case memCache
    case swapUsed
    case headerValue
    case taskWarning
    case columnHeader
    case sortColumn
    case selection
    case stateRunning
    case stateDiskSleep
    case stateZombie
    case stateStopped
    case kernelThread
    case userThread
    case commandBase
    case treeBranch
    case newProcess
    case exitedProcess
    case tagged
    case functionKey
    case functionLabel
    case status
    case statusMessage
    case statusError
    case prompt
    case helpTitle
    case helpKey
}

/// The eight ANSI colours, the terminal's default, and grey (bright black where available).
public enum Color: Sendable {
    case terminalDefault, black, red, green, yellow, blue, magenta, cyan, white, grey
}

public struct Style: Equatable, Sendable {
    public var foreground: Color
    public var background: Color
    public var bold = false
    public var dim = false
    public var reverse = false
    public var underline = false

    public init(_ foreground: Color = .terminalDefault, on background: Color = .terminalDefault, bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }
}

extension Color: Equatable {}

/// Role -> style, like htop's default colour scheme; `monochrome` for -C and NO_COLOR, where
/// meters use different characters instead of colours.
public struct Theme: Sendable {
    public var isMonochrome: Bool

    public static let color = Theme(isMonochrome: false)
    public static let monochrome = Theme(isMonochrome: true)

    /// Bar characters of the meter parts (user, nice, system, other), told apart in monochrome.
    public var barCharacters: [Unicode.Scalar] { isMonochrome ? ["|", "*", "#", "."] : ["|", "|", "|", "|"] }

    public func style(_ role: Role) -> Style {
        isMonochrome ? Self.mono(role) : Self.colored(role)
    }

    private static func colored(_ role: Role) -> Style {
        switch role {
        case .normal, .status: return Style()
        case .dim: return Style(.grey)
        case .meterLabel: return Style(.cyan)
        case .meterBracket: return Style(bold: true)
        case .meterText: return Style(.grey)
        case .cpuUser, .memUsed: return Style(.green)
        case .cpuNice: return Style(.blue, bold: true)
        case .cpuSystem, .swapUsed: return Style(.red)
        case .cpuOther: return Style(.grey)
        case .memCache: return Style(.yellow)
        case .headerValue: return Style(bold: true)
        case .taskWarning: return Style(.red, bold: true)
        case .columnHeader: return Style(.black, on: .green)
        case .sortColumn: return Style(.black, on: .cyan)
        case .selection: return Style(.black, on: .cyan)
        case .stateRunning: return Style(.green, bold: true)
        case .stateDiskSleep: return Style(.red, bold: true)
        case .stateZombie: return Style(.magenta, bold: true)
        case .stateStopped: return Style(.yellow, bold: true)
        case .kernelThread: return Style(.grey)
        case .userThread: return Style(.green)
        case .commandBase: return Style(bold: true)
        case .treeBranch: return Style(.cyan)
        case .newProcess: return Style(.black, on: .green)
        case .exitedProcess: return Style(.grey, dim: true)
        case .tagged: return Style(.yellow, bold: true)
        case .functionKey: return Style()
        case .functionLabel: return Style(.black, on: .cyan)
        case .statusMessage: return Style(.yellow, bold: true)
        case .statusError: return Style(.white, on: .red, bold: true)
        case .prompt: return Style(.black, on: .yellow)
        case .helpTitle: return Style(.black, on: .green)
        case .helpKey: return Style(.cyan, bold: true)
        }
    }

    private static func mono(_ role: Role) -> Style {
        switch role {
        case .normal, .status, .meterLabel, .cpuUser, .cpuNice, .cpuSystem, .cpuOther, .memUsed,
            .memCache, .swapUsed, .treeBranch, .userThread, .functionKey:
            return Style()
        case .dim, .meterText, .kernelThread, .exitedProcess: return Style(dim: true)
        case .meterBracket, .headerValue, .commandBase, .helpKey, .statusMessage: return Style(bold: true)
        case .taskWarning: return Style(bold: true, underline: true)
        case .columnHeader, .functionLabel, .helpTitle, .prompt: return Style(reverse: true)
        case .sortColumn: return Style(bold: true, reverse: true)
        case .selection: return Style(reverse: true)
        case .stateRunning: return Style(bold: true)
        case .stateDiskSleep, .stateZombie: return Style(bold: true, underline: true)
        case .stateStopped: return Style(underline: true)
        case .newProcess: return Style(bold: true)
        case .tagged: return Style(bold: true, underline: true)
        case .statusError: return Style(bold: true, reverse: true)
        }
    }
}
