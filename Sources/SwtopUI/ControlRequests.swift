import ProcFS
import ProcessControl
import ProcessModel

/// A process the user chose on the screen: its (pid, start time) from the snapshot, so a PID
/// reused since then gets nothing, plus what the messages and the nice keys need.
public struct ControlTarget: Equatable, Hashable, Sendable {
    public var target: ProcessTarget
    /// comm, escaped for the terminal.
    public var name: String
    /// nice as the snapshot had it, for F7/F8.
    public var nice: Int32

    public init(target: ProcessTarget, name: String, nice: Int32) {
        self.target = target
        self.name = name
        self.nice = nice
    }

    /// "1234 (nginx)", as messages name a process.
    public var label: String { "\(target.pid) (\(name))" }
}

/// What the screen asks ProcessControl to do. ViewState only records requests; ScreenLoop hands
/// them to ProcessActions, the one place in SwtopUI that acts on processes.
public enum ControlRequest: Equatable, Sendable {
    case gracefulStop([ControlTarget])
    case signal(Signal, [ControlTarget])
    /// Each target to this nice value.
    case renice([(target: ControlTarget, nice: Int32)])
    /// Each target's nice moved by this much from its value when the request is carried out.
    case reniceBy(Int32, [ControlTarget])
    case readLimits(ControlTarget)
    case setLimit(ResourceLimits.Change, ControlTarget)

    public static func == (a: ControlRequest, b: ControlRequest) -> Bool {
        switch (a, b) {
        case (.gracefulStop(let x), .gracefulStop(let y)): return x == y
        case (.signal(let s, let x), .signal(let t, let y)): return s == t && x == y
        case (.renice(let x), .renice(let y)): return x.map(\.target) == y.map(\.target) && x.map(\.nice) == y.map(\.nice)
        case (.reniceBy(let d, let x), .reniceBy(let e, let y)): return d == e && x == y
        case (.readLimits(let x), .readLimits(let y)): return x == y
        case (.setLimit(let c, let x), .setLimit(let d, let y)): return c == d && x == y
        default: return false
        }
    }
}

/// A line of text typed at the bottom of the screen: an exact nice value, or a new limit.
public struct Prompt: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case nice([ControlTarget])
        /// A resource of the limits view's process.
        case limit(resource: String, ControlTarget)
    }

    public var kind: Kind
    /// What is asked, before the typed text: "Nice of 1234 (nginx), -20 to 19: ".
    public var label: String
    public var text = ""

    public init(kind: Kind, label: String, text: String = "") {
        self.kind = kind
        self.label = label
        self.text = text
    }
}

/// L: one process's resource limits, read again on every refresh.
public struct LimitsView: Equatable, Sendable {
    public var target: ControlTarget
    /// Empty until the first read.
    public var limits: [ProcLimits.Limit] = []
    public var selected = 0
    /// Why the last read failed; nil when it worked.
    public var error: String?

    public init(target: ControlTarget) { self.target = target }

    public var selectedLimit: ProcLimits.Limit? {
        selected >= 0 && selected < limits.count ? limits[selected] : nil
    }
}

/// The signal menu's first item: the grace is the screen's (`--grace`).
public func gracefulStopLabel(grace: Double) -> String {
    "Graceful stop (TERM, then KILL after \(secondsText(grace)))"
}

/// "10 s", "2.5 s".
func secondsText(_ s: Double) -> String {
    if s == s.rounded(), abs(s) < 1e9 { return "\(Int(s)) s" }
    return "\(s) s"
}
