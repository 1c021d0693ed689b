/// F1, h or ?: the keys, in htop's words.
public enum HelpScreen {
    public static let title = "swtop help: keys (press any key to return)"

    public typealias Section = (heading: String, lines: [(keys: String, text: String)])

    public static let left: [Section] = [
        ("Moving", [
            ("Arrows", "move the selection"),
            ("PgUp PgDn", "move a page"),
            ("Home End", "first / last process"),
            ("Left Right", "scroll the command line"),
            ("Mouse", "click: select, sort; wheel"),
        ]),
        ("Finding", [
            ("F3 /", "search as you type"),
            ("F3 n", "next match"),
            ("F4 \\", "filter: a|b for either"),
            ("u", "one user's processes"),
            // One line for both, so the details line fits 24 rows.
            ("H K", "user/kernel threads on/off"),
            ("F", "follow the selected process"),
            ("Enter l e", "details; at files / env"),
        ]),
        ("Marking", [
            ("Space", "tag the selected process"),
            ("c", "tag it and its children"),
            ("U", "untag all"),
        ]),
    ]

    public static let right: [Section] = [
        ("Arranging", [
            ("F5 t", "tree view on/off"),
            ("G", "by service: slice, unit, container"),
            // One line for the four branch keys: the help fits 80x24 with G and E.
            ("+ - = *", "branch: open, close, toggle; all"),
            ("F6 < > , .", "choose the sort column"),
            ("P M T N", "sort by CPU% MEM% TIME+ PID"),
            ("I", "invert the sort order"),
        ]),
        ("Screen", [
            ("F2", "setup: columns, options"),
            ("E", "events (a: show all)"),
            // One line for two keys: the help fits 80x24 with E.
            ("Z Ctrl-L", "pause / resume; redraw"),
            ("F10 q", "quit"),
        ]),
        ("Process control (tagged, else selected)", [
            ("F9 k", "signal menu: graceful stop, signals"),
            ("F7 ]", "nice - 1 (higher priority)"),
            ("F8 [", "nice + 1 (lower priority)"),
            ("r", "type a nice value"),
            ("L", "limits; Enter changes one"),
        ]),
    ]

    public static let legend: [(text: String, role: Role)] = [
        ("new", .newProcess), ("  ", .normal), ("exited", .exitedProcess), ("  ", .normal), ("tagged", .tagged),
        ("    ", .normal), ("R", .stateRunning), (" running  ", .normal), ("D", .stateDiskSleep), (" disk sleep  ", .normal),
        ("Z", .stateZombie), (" zombie  ", .normal), ("T", .stateStopped), (" stopped", .normal),
    ]

    public static func draw(into grid: inout ScreenGrid, top: Int, bottom: Int, readonly: Bool) {
        var y = top
        grid.fill(y: y, role: .helpTitle)
        grid.put(title, x: 0, y: y, role: .helpTitle)
        y += 2
        var x = 0
        for part in legend { x = grid.put(part.text, x: x, y: y, role: part.role) }
        y += 2
        if grid.width >= 80 {
            let half = grid.width / 2
            drawSections(left, into: &grid, x: 0, top: y, bottom: bottom, width: half, readonly: readonly)
            drawSections(right, into: &grid, x: half, top: y, bottom: bottom, width: grid.width - half, readonly: readonly)
        } else {
            drawSections(left + right, into: &grid, x: 0, top: y, bottom: bottom, width: grid.width, readonly: readonly)
        }
    }

    static func drawSections(_ sections: [Section], into grid: inout ScreenGrid, x: Int, top: Int, bottom: Int, width: Int, readonly: Bool) {
        let keyWidth = 12
        var y = top
        for section in sections {
            guard y < bottom else { return }
            var heading = section.heading
            if readonly, heading.hasPrefix("Process control") { heading = "Process control: read-only" }
            grid.put(heading, x: x, y: y, role: .headerValue, limit: width - 1)
            y += 1
            for line in section.lines {
                guard y < bottom else { return }
                grid.put(line.keys, x: x + 1, y: y, role: .helpKey, limit: keyWidth - 1)
                grid.put(line.text, x: x + 1 + keyWidth, y: y, role: .normal, limit: width - keyWidth - 2)
                y += 1
            }
        }
    }
}
