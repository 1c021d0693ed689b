/// What must happen after an action, besides drawing the screen again.
public struct Effects: OptionSet, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The sampling options changed (threads shown or hidden): read /proc again now.
    public static let resample = Effects(rawValue: 1 << 0)
    /// Clear the terminal and draw everything (Ctrl-L).
    public static let redraw = Effects(rawValue: 1 << 1)
    public static let quit = Effects(rawValue: 1 << 2)
}
