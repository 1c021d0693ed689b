import ProcFS
import ProcessModel

/// One line of the detail page: escaped text and its colour role.
public struct DetailLine: Equatable, Sendable {
    public var text: String
    public var role: Role
    /// Set on a section's title line.
    public var section: DetailSection?
}

/// The detail page laid out into lines at a width: sections of "label  value" rows, values
/// wrapped under their column. Reads the view and the list's snapshot (for the family, CPU% and
/// start time), never changes them. Every text from /proc is escaped here.
public enum DetailPage {
    static let labelWidth = 14
    static let indent = 2

    public static func lines(_ view: DetailView, state: ViewState, width: Int) -> [DetailLine] {
        var page = Builder(width: max(20, width))
        if let exit = view.exit {
            var text = "EXITED: swtop saw process \(view.target.target.pid) gone at \(clockTime(exit.noticedAt))"
            text += exit.how.map { " (" + $0 + ")" } ?? " (how it ended is unknown to swtop: it was reaped before swtop read its wait status)"
            if let readAt = view.readAt {
                text += ". Not refreshed since: what follows is as last read at " + clockTime(readAt) + ", before it exited."
            } else {
                text += ", before swtop could read it."
            }
            page.wrapped(text, role: .statusError)
        }
        guard let files = view.files else {
            if view.exit == nil { page.wrapped("Reading process \(view.target.target.pid)...", role: .dim) }
            return page.lines
        }
        let bannerCount = page.lines.count
        let context = Context(view: view, files: files, state: state)
        identity(context, &page)
        stateSection(context, &page)
        supervision(context, &page)
        family(context, &page)
        resources(context, &page)
        openFiles(context, &page)
        environment(context, &page)
        history(context, &page)
        if view.exit != nil {
            // Everything below the banner is the past: dimmed, never shown as current.
            for i in page.lines.indices.dropFirst(bannerCount) { page.lines[i].role = .dim }
        }
        return page.lines
    }

    /// The page line where a section's title is.
    public static func firstLine(of section: DetailSection, _ view: DetailView, state: ViewState) -> Int {
        lines(view, state: state, width: view.width).firstIndex { $0.section == section } ?? 0
    }

    struct Context {
        var view: DetailView
        var files: ProcessDetailFiles
        var state: ViewState
        /// The process in the list's snapshot (its CPU%, start time, user name).
        var entry: ProcessEntry?
        /// Main processes of the snapshot by pid.
        var byPID: [Int32: ProcessEntry]
        /// The list's snapshot when the files were read: the page is all of one moment, and
        /// stays so once the process has exited.
        var snapshot: Snapshot?

        init(view: DetailView, files: ProcessDetailFiles, state: ViewState) {
            self.view = view
            self.files = files
            self.state = state
            var byPID: [Int32: ProcessEntry] = [:]
            snapshot = view.snapshot
            for p in snapshot?.processes ?? [] where !p.isSecondaryThread { byPID[p.pid] = p }
            self.byPID = byPID
            entry = byPID[files.pid].flatMap { $0.startTicks == files.stat.startTime ? $0 : nil }
        }

        /// From the boot time, for a process the list's snapshot does not hold (yet).
        var startTime: Double? {
            guard let boot = snapshot?.system.cpuTimes?.bootTime, let hz = snapshot?.clockTicksPerSecond, hz > 0 else { return nil }
            return Double(boot) + Double(files.stat.startTime) / hz
        }

        /// Why a file could not be read, in the user's words.
        func unreadable(_ failure: ReadFailure) -> String {
            switch failure {
            case .denied: return "permission denied: another user's process (root can read it)"
            case .gone:
                if state.replaySource != nil { return "not in the recording" }
                if files.stat.state == UInt8(ascii: "Z") { return "none: a zombie keeps no memory or files" }
                return "not readable: gone (the process is exiting)"
            case .other(let code): return "not readable: " + errnoText(code)
            }
        }
    }

    // MARK: - Drawing

    /// The page over the whole screen above the status line: a title row, then the lines.
    static func draw(_ view: DetailView, state: ViewState, layout: ScreenLayout, into grid: inout ScreenGrid) {
        let bodyHeight = max(0, layout.statusRow - 1)
        let lines = lines(view, state: state, width: grid.width)
        let top = min(max(0, view.scroll), max(0, lines.count - bodyHeight))
        grid.fill(y: 0, role: .columnHeader)
        // The section the top line is in, so the user knows where the page is.
        var section = DetailSection.identity
        for line in lines[..<min(lines.count, top + 1)] { if let s = line.section { section = s } }
        let shownTo = min(lines.count, top + bodyHeight)
        let position = lines.isEmpty ? "" : "  \(section.title)  lines \(top + 1)-\(shownTo) of \(lines.count)"
        grid.put("Process " + view.target.label + (view.exit == nil ? "" : " (exited)") + position, x: 0, y: 0, role: .columnHeader)
        for row in 0..<bodyHeight {
            let i = top + row
            guard i < lines.count else { break }
            let line = lines[i]
            if line.section != nil { grid.fill(y: row + 1, role: line.role) }
            grid.put(line.text, x: 0, y: row + 1, role: line.role)
        }
    }
}

extension Result where Success == ProcLimits, Failure == ReadFailure {
    func failureText(_ c: DetailPage.Context) -> String? {
        if case .failure(let e) = self { return "limits " + c.unreadable(e) }
        return nil
    }
}
