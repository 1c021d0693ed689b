import ProcessModel

/// The header above the process list, as htop draws it: a bar per CPU (user, nice and system
/// time in their own colours), Mem and Swp bars on the left; tasks, states, load and uptime on
/// the right. With more than four CPUs the CPU bars take the full width in columns.
public struct HeaderMeters {
    public var system: SystemInfo
    public var tasks: TaskCounts
    /// Bar characters of the meter parts (Theme.barCharacters).
    public var barCharacters: [Unicode.Scalar]
    /// "12, 3 failed, 1 OOM-killed": exits of the last five minutes, a line under the uptime,
    /// where the lifecycle monitor runs.
    public var exits: String?

    public init(system: SystemInfo, tasks: TaskCounts, barCharacters: [Unicode.Scalar] = Theme.color.barCharacters) {
        self.system = system
        self.tasks = tasks
        self.barCharacters = barCharacters
    }

    var cpuCount: Int { max(system.perCPU.count, system.cpuTimes?.perCPU.count ?? 0, system.cpus, 1) }

    private func cpuColumns(width: Int) -> Int {
        let n = cpuCount
        if n <= 4 { return 1 }
        return (n > 16 && width >= 160) ? 4 : 2
    }

    /// Rows the header wants at this width.
    public func height(width: Int) -> Int {
        let n = cpuCount
        let rightRows = exits == nil ? 4 : 5
        if n <= 4 { return max(n + 2, rightRows) }
        let columns = cpuColumns(width: width)
        return (n + columns - 1) / columns + rightRows
    }

    /// Draws at most `maxHeight` rows from `y`; returns the rows used.
    @discardableResult
    public func draw(into grid: inout ScreenGrid, y: Int, maxHeight: Int) -> Int {
        let width = grid.width
        let rows = min(height(width: width), max(0, maxHeight))
        guard rows > 0 else { return 0 }
        let n = cpuCount
        let half = width / 2
        var left: [(inout ScreenGrid, Int, Int, Int) -> Void] = []
        var right: [(inout ScreenGrid, Int, Int, Int) -> Void] = []
        var top = y
        if n <= 4 {
            for i in 0..<n { left.append { g, x, y, w in self.drawCPU(i, into: &g, x: x, y: y, width: w) } }
        } else {
            let columns = cpuColumns(width: width)
            let perColumn = (n + columns - 1) / columns
            let columnWidth = width / columns
            for row in 0..<perColumn where top + row < y + rows {
                for column in 0..<columns {
                    let i = column * perColumn + row
                    guard i < n else { continue }
                    drawCPU(i, into: &grid, x: column * columnWidth, y: top + row, width: columnWidth)
                }
            }
            top += perColumn
        }
        left.append { g, x, y, w in self.drawMemory(into: &g, x: x, y: y, width: w) }
        left.append { g, x, y, w in self.drawSwap(into: &g, x: x, y: y, width: w) }
        right.append { g, x, y, w in self.drawTasks(into: &g, x: x, y: y, width: w) }
        right.append { g, x, y, w in self.drawStates(into: &g, x: x, y: y, width: w) }
        right.append { g, x, y, w in self.drawLoad(into: &g, x: x, y: y, width: w) }
        right.append { g, x, y, w in self.drawUptime(into: &g, x: x, y: y, width: w) }
        if let exits {
            right.append { g, x, y, w in
                // The short label where the long one would cut the figures off (80 columns).
                let label = CellWidth.of("Exits (5 min): " + exits) <= w ? "Exits (5 min): " : "Exits 5m: "
                let col = g.put(label, x: x, y: y, role: .meterLabel, limit: w)
                g.put(exits, x: col, y: y, role: .headerValue, limit: x + w - col)
            }
        }
        for (i, draw) in left.enumerated() where top + i < y + rows { draw(&grid, 0, top + i, half) }
        for (i, draw) in right.enumerated() where top + i < y + rows { draw(&grid, half + 1, top + i, width - half - 1) }
        return rows
    }

    // MARK: - Meters

    private func drawCPU(_ i: Int, into grid: inout ScreenGrid, x: Int, y: Int, width: Int) {
        let ids = system.cpuTimes?.cpuIDs ?? []
        let label = i < ids.count ? String(ids[i]) : String(i)
        if i < system.perCPU.count {
            let u = system.perCPU[i]
            let parts: [(Double, Role)] = [(u.user, .cpuUser), (u.nice, .cpuNice), (u.system, .cpuSystem), (u.other, .cpuOther)]
            Self.drawBar(label: label, parts: parts.map { ($0.0 / 100, $0.1) }, text: Format.fixed(min(u.total, 100), decimals: 1) + "%", chars: barCharacters, into: &grid, x: x, y: y, width: width)
        } else {
            Self.drawBar(label: label, parts: [], text: "--", chars: barCharacters, into: &grid, x: x, y: y, width: width)
        }
    }

    private func drawMemory(into grid: inout ScreenGrid, x: Int, y: Int, width: Int) {
        guard let m = system.memory, m.memTotal > 0 else {
            Self.drawBar(label: "Mem", parts: [], text: "--", chars: barCharacters, into: &grid, x: x, y: y, width: width)
            return
        }
        let total = Double(m.memTotal)
        let used = m.memUsed
        // Page cache and buffers: reclaimable memory in use, not counted as used.
        let busy = m.memTotal >= m.memFree ? m.memTotal - m.memFree : 0
        let cache = busy >= used ? busy - used : 0
        Self.drawBar(label: "Mem", parts: [(Double(used) / total, .memUsed), (Double(cache) / total, .memCache)], text: Format.kib(used) + "/" + Format.kib(m.memTotal), chars: barCharacters, into: &grid, x: x, y: y, width: width)
    }

    private func drawSwap(into grid: inout ScreenGrid, x: Int, y: Int, width: Int) {
        guard let m = system.memory else {
            Self.drawBar(label: "Swp", parts: [], text: "--", chars: barCharacters, into: &grid, x: x, y: y, width: width)
            return
        }
        let fraction = m.swapTotal > 0 ? Double(m.swapUsed) / Double(m.swapTotal) : 0
        Self.drawBar(label: "Swp", parts: [(fraction, .swapUsed)], text: Format.kib(m.swapUsed) + "/" + Format.kib(m.swapTotal), chars: barCharacters, into: &grid, x: x, y: y, width: width)
    }

    /// `LBL[|||||||      text]`: parts are fractions of the whole bar, drawn in order; the text
    /// is right-aligned inside the bar and takes the colour of the bar part under it.
    static func drawBar(label: String, parts: [(Double, Role)], text: String, chars: [Unicode.Scalar], into grid: inout ScreenGrid, x: Int, y: Int, width: Int) {
        guard width >= 8 else { return }
        let labelText = String(repeating: " ", count: max(0, 3 - label.count)) + label
        var col = grid.put(labelText, x: x, y: y, role: .meterLabel, limit: 3)
        col = grid.put("[", x: col, y: y, role: .meterBracket)
        let inner = width - (col - x) - 2
        guard inner > 0 else { return }
        var filled = 0
        var cumulative = 0.0
        for (i, part) in parts.enumerated() {
            let fraction = part.0.isFinite ? max(0, part.0) : 0
            cumulative += fraction
            let upTo = min(inner, Int((cumulative * Double(inner)).rounded()))
            let ch = i < chars.count ? chars[i] : "|"
            while filled < upTo {
                grid.put(String(ch), x: col + filled, y: y, role: part.1)
                filled += 1
            }
        }
        let shown = String(text.prefix(inner))
        let start = col + inner - shown.count
        for (i, ch) in shown.unicodeScalars.enumerated() {
            let cellX = start + i
            let role = (cellX - col) < filled ? (grid[cellX, y]?.role ?? .meterText) : .meterText
            grid.put(String(ch), x: cellX, y: y, role: role)
        }
        grid.put("]", x: col + inner, y: y, role: .meterBracket)
    }

    // MARK: - Text meters

    /// As htop counts them (TaskCounts.tasksLine, which `--once` prints too).
    private func drawTasks(into grid: inout ScreenGrid, x: Int, y: Int, width: Int) {
        drawParts(tasks.tasksLine, into: &grid, x: x, y: y, width: width)
    }

    private func drawStates(into grid: inout ScreenGrid, x: Int, y: Int, width: Int) {
        drawParts(tasks.statesLine, into: &grid, x: x, y: y, width: width)
    }

    private func drawParts(_ parts: [TaskCounts.Part], into grid: inout ScreenGrid, x: Int, y: Int, width: Int) {
        let end = x + width
        var col = x
        for part in parts {
            let role: Role = !part.isFigure ? .meterLabel : (part.warnsWhenNotZero && part.text != "0" ? .taskWarning : .headerValue)
            col = grid.put(part.text, x: col, y: y, role: role, limit: end - col)
        }
    }

    private func drawLoad(into grid: inout ScreenGrid, x: Int, y: Int, width: Int) {
        let end = x + width
        var col = grid.put("Load average: ", x: x, y: y, role: .meterLabel, limit: end - x)
        guard let l = system.load else {
            grid.put("--", x: col, y: y, role: .headerValue, limit: end - col)
            return
        }
        col = grid.put(Format.fixed(l.one, decimals: 2), x: col, y: y, role: .headerValue, limit: end - col)
        col = grid.put(" " + Format.fixed(l.five, decimals: 2), x: col, y: y, role: .normal, limit: end - col)
        grid.put(" " + Format.fixed(l.fifteen, decimals: 2), x: col, y: y, role: .meterText, limit: end - col)
    }

    private func drawUptime(into grid: inout ScreenGrid, x: Int, y: Int, width: Int) {
        let end = x + width
        let col = grid.put("Uptime: ", x: x, y: y, role: .meterLabel, limit: end - x)
        grid.put(system.uptime.map { Format.uptime($0.seconds) } ?? "--", x: col, y: y, role: .headerValue, limit: end - col)
    }
}
