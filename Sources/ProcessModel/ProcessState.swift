/// The kernel's scheduler state of a task, from the letter in `stat`.
public enum ProcessState: Sendable, Hashable {
    case running  // R
    case sleeping  // S
    case diskSleep  // D: uninterruptible, usually waiting on I/O
    case zombie  // Z: exited, not yet reaped by its parent
    case stopped  // T: by a signal
    case tracingStop  // t: stopped by a debugger
    case dead  // X (x on old kernels)
    case idle  // I: an idle kernel thread
    case wakeKill  // K (2.6.33 to 3.13)
    case waking  // W (2.6.33 to 3.13; paging before 2.6)
    case parked  // P (3.9 to 3.13)
    case unknown(UInt8)

    public init(letter: UInt8) {
        switch letter {
        case UInt8(ascii: "R"): self = .running
        case UInt8(ascii: "S"): self = .sleeping
        case UInt8(ascii: "D"): self = .diskSleep
        case UInt8(ascii: "Z"): self = .zombie
        case UInt8(ascii: "T"): self = .stopped
        case UInt8(ascii: "t"): self = .tracingStop
        case UInt8(ascii: "X"), UInt8(ascii: "x"): self = .dead
        case UInt8(ascii: "I"): self = .idle
        case UInt8(ascii: "K"): self = .wakeKill
        case UInt8(ascii: "W"): self = .waking
        case UInt8(ascii: "P"): self = .parked
        default: self = .unknown(letter)
        }
    }

    /// The letter as ps and top show it.
    public var letter: String {
        switch self {
        case .running: return "R"
        case .sleeping: return "S"
        case .diskSleep: return "D"
        case .zombie: return "Z"
        case .stopped: return "T"
        case .tracingStop: return "t"
        case .dead: return "X"
        case .idle: return "I"
        case .wakeKill: return "K"
        case .waking: return "W"
        case .parked: return "P"
        case .unknown(let b): return (0x21...0x7E).contains(b) ? String(UnicodeScalar(b)) : "?"
        }
    }

    public var name: String {
        switch self {
        case .running: return "running"
        case .sleeping: return "sleeping"
        case .diskSleep: return "disk sleep"
        case .zombie: return "zombie"
        case .stopped: return "stopped"
        case .tracingStop: return "tracing stop"
        case .dead: return "dead"
        case .idle: return "idle"
        case .wakeKill: return "wakekill"
        case .waking: return "waking"
        case .parked: return "parked"
        case .unknown: return "unknown"
        }
    }
}
