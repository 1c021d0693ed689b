import ProcFS
import ProcessControl
import Lifecycle
import ProcessModel

/// The sections of the detail page, in page order.
public enum DetailSection: Int, CaseIterable, Sendable {
    case identity, state, supervisor, family, resources, openFiles, environment, history

    public var title: String {
        switch self {
        case .identity: return "Identity"
        case .state: return "State"
        case .supervisor: return "swtop run"
        case .family: return "Family"
        case .resources: return "Resources"
        case .openFiles: return "Open files"
        case .environment: return "Environment"
        case .history: return "History"
        }
    }
}

/// Enter (l, e): one process on a page of its own, read again at every refresh while the page is
/// open, and never shown as current once the process has exited.
public struct DetailView: Sendable {
    public var target: ControlTarget
    public var key: ProcessKey { target.target.key ?? ProcessKey(id: target.target.pid, startTicks: 0) }
    /// The section the page opened at: scrolled to when the first read arrives.
    public internal(set) var openedAt: DetailSection
    var jumpPending = true
    /// First line of the page body on screen.
    public internal(set) var scroll = 0
    /// The last read; nil until the first.
    public internal(set) var files: ProcessDetailFiles?
    /// Wall-clock time of the last read.
    public internal(set) var readAt: Double?
    /// Set once the process is gone: the page stops refreshing and says so.
    public internal(set) var exit: Exit?
    /// The list's snapshot, the screen's clock and when the process entered disk sleep, as they
    /// were at the last read: what the page shows besides the files (family, CPU%, age).
    public internal(set) var snapshot: Snapshot?
    var readNow = 0.0
    var diskSleepSince: Double?
    /// Page size, from the last layout (for PgUp/PgDn and End).
    var width = 80
    var height = 20

    public struct Exit: Equatable, Sendable {
        /// Wall-clock time swtop noticed.
        public var noticedAt: Double
        /// "exited 3", "killed by SIGKILL" (Outcome's words); nil when swtop never saw its wait status.
        public var how: String?
    }

    public init(target: ControlTarget, section: DetailSection) {
        self.target = target
        openedAt = section
    }

    public var needsRead: Bool { exit == nil }
}

extension ViewState {
    /// Enter on a process (on a tagged set, the selected one); l and e open it at a section.
    mutating func openDetail(at section: DetailSection) {
        guard let target = controlTargets("Details", selectedOnly: true)?.first else { return }
        // Back in the list, the selection stays on this process even if it was never moved.
        selectionChosen = true
        detailView = DetailView(target: target, section: section)
        mode = .detail
        clearMessage()
    }

    mutating func handleDetailKey(_ key: Key) -> Effects {
        guard var view = detailView else {
            mode = .list
            return []
        }
        let lineCount = DetailPage.lines(view, state: self, width: view.width).count
        let last = max(0, lineCount - view.height)
        let page = max(1, view.height - 1)
        switch key {
        case .up: view.scroll -= 1
        case .down: view.scroll += 1
        case .pageUp: view.scroll -= page
        case .pageDown: view.scroll += page
        case .home: view.scroll = 0
        case .end: view.scroll = last
        case .character("l"): view.scroll = DetailPage.firstLine(of: .openFiles, view, state: self)
        case .character("e"): view.scroll = DetailPage.firstLine(of: .environment, view, state: self)
        case .escape, .character("q"):
            detailView = nil
            mode = .list
            rebuild()
            return []
        case .function(10): return requestQuit()
        case .control("l"): return .redraw
        default: break
        }
        view.scroll = min(max(0, view.scroll), last)
        view.jumpPending = false
        detailView = view
        return []
    }

    /// The page's size on screen (set by the loop after each layout).
    public mutating func setDetailPageSize(width: Int, height: Int) {
        guard var view = detailView else { return }
        view.width = max(1, width)
        view.height = max(1, height)
        detailView = view
    }

    /// A fresh read of the page's process: `.gone` once it has exited, after which nothing more
    /// is read and the page says how it ended, as far as swtop saw.
    public mutating func setDetail(_ read: DetailRead, wallClock: Double) {
        guard var view = detailView, view.exit == nil else { return }
        switch read {
        case .read(let files):
            view.files = files
            view.readAt = wallClock
            view.snapshot = snapshot
            view.readNow = now
            view.diskSleepSince = diskSleepSince[view.key]
            if view.jumpPending {
                view.jumpPending = false
                detailView = view
                let count = DetailPage.lines(view, state: self, width: view.width).count
                view.scroll = min(DetailPage.firstLine(of: view.openedAt, view, state: self), max(0, count - view.height))
            }
        case .gone:
            var how: String?
            if let files = view.files, files.stat.state == UInt8(ascii: "Z"), let code = files.stat.exitCode,
                Outcome.canReadWaitStatus(of: (try? files.status.get())?.uids.first)
            {
                how = Outcome(waitStatus: code).words
            }
            view.exit = DetailView.Exit(noticedAt: wallClock, how: how)
            say("Process \(view.target.label) exited" + (how.map { ": " + $0 } ?? ""), error: true)
        }
        detailView = view
    }

    /// Notes when each process was first seen in disk sleep, for the page's "in D for".
    mutating func trackDiskSleep(_ processes: [ProcessEntry]) {
        var next: [ProcessKey: Double] = [:]
        for p in processes where p.state == .diskSleep { next[p.key] = diskSleepSince[p.key] ?? now }
        diskSleepSince = next
    }
}

/// Reads the page's process when it is open: at opening and at every refresh.
public enum DetailRefresh {
    public static func refresh(_ state: inout ViewState, reader: ProcReader) {
        guard let view = state.detailView, view.needsRead else { return }
        state.setDetail(reader.detail(view.target.target.pid, startTicks: view.key.startTicks), wallClock: Clock.now())
    }
}
