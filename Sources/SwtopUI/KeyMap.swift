import ProcessModel

/// A key as the terminal reports it, without ncurses types.
public enum Key: Equatable, Hashable, Sendable {
    case character(Unicode.Scalar)
    case up, down, left, right, pageUp, pageDown, home, end
    case function(Int)
    case enter, escape, backspace, delete, tab
    /// Ctrl plus a letter, lowercase ("l" for Ctrl-L).
    case control(Unicode.Scalar)
    case resize
    /// A click or the wheel (Mouse.swift).
    case mouse(MouseEvent)
}

/// What a key asks for. Input handling only maps keys to actions; ViewState applies them and
/// says what must happen next; nothing here draws.
public enum Action: Equatable, Sendable {
    case moveUp, moveDown, pageUp, pageDown, home, end, scrollLeft, scrollRight
    case help
    /// F2: columns and display options (SetupScreen).
    case setup
    case startSearch, searchNext
    case startFilter
    case toggleTree
    /// G: group by slice, unit and container (cgroup), as systemd-cgls.
    case toggleServiceView
    case expandBranch, collapseBranch, toggleBranch, toggleAllBranches
    case chooseSort
    case sortBy(Column)
    case invertSort
    case chooseUser
    case toggleUserThreads, toggleKernelThreads
    case follow
    case tag, tagWithChildren, untagAll
    case pause
    case redraw
    case quit
    /// F9 k: the signal menu. F7 ]: nice - 1. F8 [: nice + 1. r: type a nice value. L: limits.
    case signalMenu, niceLower, niceRaise, setNice, limits
    /// Enter: the detail page; l and e: opened at its open files or its environment, as htop's
    /// lsof and environment screens.
    case details(DetailSection)
    /// E: the lifecycle events (htop has no E; its e is the environment).
    case events
    case none
}

/// htop's keys, for the process list (not while typing a search or filter, or in a picker).
public enum KeyMap {
    public static func action(for key: Key) -> Action {
        switch key {
        case .up: return .moveUp
        case .down: return .moveDown
        case .pageUp: return .pageUp
        case .pageDown: return .pageDown
        case .home: return .home
        case .end: return .end
        case .left: return .scrollLeft
        case .right: return .scrollRight
        case .control("l"): return .redraw
        case .function(1): return .help
        case .function(2): return .setup
        case .function(3): return .startSearch
        case .function(4): return .startFilter
        case .function(5): return .toggleTree
        case .function(6): return .chooseSort
        case .function(7): return .niceLower
        case .function(8): return .niceRaise
        case .function(9): return .signalMenu
        case .function(10): return .quit
        case .enter: return .details(.identity)
        case .character(let c): return action(forCharacter: c)
        default: return .none
        }
    }

    private static func action(forCharacter c: Unicode.Scalar) -> Action {
        switch c {
        case "h", "?": return .help
        case "/": return .startSearch
        case "n": return .searchNext
        case "\\": return .startFilter
        case "t": return .toggleTree
        case "G": return .toggleServiceView
        case "+": return .expandBranch
        case "-": return .collapseBranch
        case "=": return .toggleBranch
        case "*": return .toggleAllBranches
        // As in htop, these open the sort picker too.
        case "<", ",", ">", ".": return .chooseSort
        case "P": return .sortBy(.cpu)
        case "M": return .sortBy(.mem)
        case "T": return .sortBy(.time)
        case "N": return .sortBy(.pid)
        case "I": return .invertSort
        case "u": return .chooseUser
        case "H": return .toggleUserThreads
        case "K": return .toggleKernelThreads
        case "F": return .follow
        case " ": return .tag
        case "c": return .tagWithChildren
        case "U": return .untagAll
        case "Z", "z": return .pause
        case "q": return .quit
        case "k": return .signalMenu
        case "]": return .niceLower
        case "[": return .niceRaise
        case "r": return .setNice
        case "L": return .limits
        case "l": return .details(.openFiles)
        case "e": return .details(.environment)
        case "E": return .events
        default: return .none
        }
    }
}
