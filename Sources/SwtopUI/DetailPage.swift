#if canImport(Glibc)
import Glibc
#endif
import Lifecycle
import ProcFS
import ProcessControl
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

    struct Builder {
        var width: Int
        var lines: [DetailLine] = []

        mutating func title(_ section: DetailSection, _ extra: String = "") {
            if !lines.isEmpty { lines.append(DetailLine(text: "", role: .normal)) }
            lines.append(DetailLine(text: section.title + extra, role: .helpTitle, section: section))
        }

        /// "  Label         value", the value wrapped under itself.
        mutating func field(_ label: String, _ value: String, role: Role = .normal) {
            let pad = String(repeating: " ", count: DetailPage.indent)
            let room = max(8, width - DetailPage.indent - DetailPage.labelWidth)
            let parts = DetailPage.wrap(value, room)
            for (i, part) in parts.enumerated() {
                let head = i == 0 ? TextLayout.padRight(label, DetailPage.labelWidth) : String(repeating: " ", count: DetailPage.labelWidth)
                lines.append(DetailLine(text: pad + head + part, role: role))
            }
        }

        /// A line of its own, wrapped, continuation lines indented by `hang`.
        mutating func wrapped(_ text: String, role: Role = .normal, indent: Int = 0, hang: Int = 0) {
            let parts = DetailPage.wrap(text, max(8, width - indent - hang))
            for (i, part) in parts.enumerated() {
                let lead = String(repeating: " ", count: indent + (i == 0 ? 0 : hang))
                lines.append(DetailLine(text: lead + part, role: role))
            }
        }
    }

    /// Cuts text into pieces of at most `width` terminal cells: at spaces where it can, else
    /// anywhere (a long path has none).
    static func wrap(_ text: String, _ width: Int) -> [String] {
        let width = max(1, width)
        var out: [String] = []
        var line = String.UnicodeScalarView()
        var cells = 0
        var lastSpace: (index: String.UnicodeScalarView.Index, cells: Int)?
        for scalar in text.unicodeScalars {
            let w = CellWidth.of(scalar)
            if cells + w > width {
                if let space = lastSpace, space.cells > width / 2 {
                    let rest = String.UnicodeScalarView(line[line.index(after: space.index)...])
                    out.append(String(String.UnicodeScalarView(line[..<space.index])))
                    line = rest
                    cells = CellWidth.of(String(rest))
                } else {
                    out.append(String(line))
                    line = String.UnicodeScalarView()
                    cells = 0
                }
                lastSpace = nil
            }
            if scalar == " " { lastSpace = (line.endIndex, cells) }
            line.append(scalar)
            cells += w
        }
        if !line.isEmpty || out.isEmpty { out.append(String(line)) }
        return out
    }

    static func text(_ bytes: [UInt8]) -> String { DisplayText.escaped(String(decoding: bytes, as: UTF8.self)) }

    // MARK: - Sections

    static func identity(_ c: Context, _ page: inout Builder) {
        let f = c.files
        page.title(.identity)
        var threads = f.stat.numThreads
        if case .success(let s) = f.status, let t = s.threads { threads = t }
        page.field("PID", "\(f.pid)   threads \(threads)")
        page.field("Name", text(f.stat.comm))
        switch f.cmdline {
        case .success(let args) where args.isEmpty: page.field("Command", "(none: a kernel thread or a zombie)", role: .dim)
        case .success(let args): page.field("Command", args.map(text).joined(separator: " "))
        case .failure(let e): page.field("Command", c.unreadable(e), role: .dim)
        }
        switch f.exe {
        case .success(let link):
            let deleted = link.count > 10 && Array(link.suffix(10)) == Array(" (deleted)".utf8)
            page.field("Executable", text(link), role: deleted ? .statusError : .normal)
            if deleted { page.field("", "the binary was replaced or removed after it started", role: .statusError) }
        case .failure(let e): page.field("Executable", f.stat.isKernelThread ? "(none: a kernel thread)" : c.unreadable(e), role: .dim)
        }
        switch f.cwd {
        case .success(let link): page.field("Cwd", text(link))
        case .failure(let e): page.field("Cwd", c.unreadable(e), role: .dim)
        }
        switch f.root {
        case .success(let link) where link != [UInt8(ascii: "/")]: page.field("Root", text(link))
        case .success: break
        case .failure(.denied): page.field("Root", c.unreadable(.denied), role: .dim)
        case .failure: break
        }
        switch f.status {
        case .success(let s) where !s.uids.isEmpty:
            let real = s.uids[0]
            let effective = s.uids.count > 1 ? s.uids[1] : real
            let realName = c.entry?.user ?? UserNames.lookUp(real)
            if real == effective {
                page.field("User", (realName.map { DisplayText.escaped($0) + " " } ?? "") + "(uid \(real))")
            } else {
                let effectiveName = UserNames.lookUp(effective)
                page.field("User", "real " + userText(realName, real) + ", effective " + userText(effectiveName, effective))
            }
        case .success: page.field("User", "unknown", role: .dim)
        case .failure(let e): page.field("User", c.unreadable(e), role: .dim)
        }
        if let start = c.entry?.startTime ?? c.startTime {
            let age = max(0, (c.snapshot?.time ?? Clock.now()) - start)
            page.field("Started", localDateTime(start) + " (" + Format.uptime(age) + " ago)")
        }
        page.field("Terminal", (Format.ttyName(f.stat.ttyNr) ?? "none") + "   session \(f.stat.session)   process group \(f.stat.pgrp)")
    }

    static func userText(_ name: String?, _ uid: UInt32) -> String {
        (name.map { DisplayText.escaped($0) + " " } ?? "") + "(\(uid))"
    }

    static func stateSection(_ c: Context, _ page: inout Builder) {
        let f = c.files
        let state = ProcessState(letter: f.stat.state)
        page.title(.state)
        let role: Role = state == .diskSleep ? .stateDiskSleep : (state == .zombie ? .stateZombie : .normal)
        page.field("State", state.letter + " (" + state.name + ")", role: role)
        if state == .sleeping || state == .diskSleep || state == .idle {
            switch f.wchan {
            case .success(let w?): page.field("Waiting in", DisplayText.escaped(w))
            case .success(nil):
                // The kernel writes 0 for a task the reader may not trace, as for a running one.
                let theirs = (try? f.status.get())?.uids.first.map { $0 != geteuid() } ?? false
                page.field("Waiting in", geteuid() != 0 && theirs ? c.unreadable(.denied) : "(the kernel does not say)", role: .dim)
            case .failure(let e): page.field("Waiting in", c.unreadable(e), role: .dim)
            }
        }
        if state == .diskSleep {
            if let since = c.view.diskSleepSince {
                let seconds = max(0, c.view.readNow - since)
                page.field("In D for", Format.fixed(seconds, decimals: 0) + " s (since swtop saw it enter)", role: seconds >= 5 ? .stateDiskSleep : .normal)
            }
            switch f.stack {
            case .success(let frames)?:
                if frames.isEmpty { page.field("Kernel stack", "(empty)", role: .dim) }
                for (i, frame) in frames.enumerated() { page.field(i == 0 ? "Kernel stack" : "", DisplayText.escaped(frame)) }
            case .failure(.denied)?: page.field("Kernel stack", "root only (/proc/\(f.pid)/stack)", role: .dim)
            case .failure(let e)?: page.field("Kernel stack", c.unreadable(e), role: .dim)
            case nil: break
            }
        }
        if state == .zombie {
            // To a reader that may not trace it the kernel writes 0, which would read "exited 0".
            let uid = (try? f.status.get())?.uids.first
            let status = Outcome.canReadWaitStatus(of: uid) ? f.stat.exitCode : nil
            page.field("Exit status", status.map { Outcome(waitStatus: $0).words } ?? "unknown (needs ptrace access)")
        }
        if case .success(let s) = f.status, let tracer = s.tracerPID, tracer != 0 {
            page.field("Traced by", "\(tracer)" + (c.byPID[tracer].map { " " + DisplayText.escaped($0.name) } ?? ""))
        }
    }

    static func family(_ c: Context, _ page: inout Builder) {
        let f = c.files
        page.title(.family)
        var chain: [String] = []
        var ppid = f.stat.ppid
        var seen = Set<Int32>([f.pid])
        while ppid > 0, seen.insert(ppid).inserted, chain.count < 64 {
            guard let parent = c.byPID[ppid] else {
                chain.append("\(ppid) (not in the list)")
                break
            }
            chain.append("\(ppid) " + DisplayText.escaped(parent.name))
            ppid = parent.ppid
        }
        if chain.isEmpty {
            page.field("Parents", f.stat.ppid == 0 ? "none (started by the kernel)" : "\(f.stat.ppid)")
        } else {
            // Nearest first, one a line: the chain to PID 1 reads downward.
            for (i, link) in chain.enumerated() { page.field(i == 0 ? "Parents" : "", link) }
        }
        let children = (c.snapshot?.processes ?? []).filter { !$0.isSecondaryThread && $0.ppid == f.pid }.sorted { $0.pid < $1.pid }
        if children.isEmpty {
            page.field("Children", "none")
        } else {
            let shown = children.prefix(5).map { "\($0.pid) " + DisplayText.escaped($0.name) }.joined(separator: ", ")
            page.field("Children", "\(children.count): " + shown + (children.count > 5 ? ", ..." : ""))
        }
        if f.stat.state == UInt8(ascii: "Z") {
            let name = c.byPID[f.stat.ppid].map { " (" + DisplayText.escaped($0.name) + ")" } ?? ""
            page.field("Not reaped by", "\(f.stat.ppid)\(name): a zombie stays until its parent waits for it", role: .stateZombie)
        }
    }

    static func resources(_ c: Context, _ page: inout Builder) {
        let f = c.files
        page.title(.resources)
        let cpu = c.entry?.cpuPercent.map { Format.fixed($0, decimals: 1) + "%" } ?? "-"
        var policy = c.files.scheduling.map { "   " + $0.policyName } ?? ""
        if let s = c.files.scheduling, s.realtimePriority > 0 { policy += " (real-time priority \(s.realtimePriority))" }
        page.field("CPU", cpu + "   nice \(f.stat.nice)   priority \(f.stat.priority)" + policy)
        var status: StatusDetail?
        switch f.status {
        case .success(let s):
            status = s
            if let rss = s.vmRSSKB {
                var memory = "RSS " + Format.kib(rss)
                if let a = s.rssAnonKB, let file = s.rssFileKB, let sh = s.rssShmemKB {
                    memory += " = anon " + Format.kib(a) + " + file " + Format.kib(file) + " + shmem " + Format.kib(sh)
                }
                memory += "; swap " + (s.vmSwapKB.map(Format.kib) ?? "-")
                page.field("Memory", memory)
            } else {
                page.field("Memory", "none (no memory map: a kernel thread or a zombie)", role: .dim)
            }
        case .failure(let e): page.field("Memory", c.unreadable(e), role: .dim)
        }
        page.field("Threads", String(status?.threads ?? f.stat.numThreads))
        let limits: ProcLimits?
        switch f.limits {
        case .success(let l): limits = l
        case .failure: limits = nil
        }
        switch (f.openFiles, limits?["nofile"]) {
        case (.success, let nofile?):
            let role: Role = isNear(UInt64(f.openFileCount), nofile.soft) ? .statusError : .normal
            page.field("Open files", "\(f.openFileCount) of \(nofile.soft) open (soft limit; hard \(nofile.hard))", role: role)
        case (.success, nil):
            let why = f.limits.failureText(c) ?? "limit unknown"
            page.field("Open files", "\(f.openFileCount) open (" + why + ")")
        case (.failure(let e), _):
            page.field("Open files", c.unreadable(e), role: .dim)
        }
        if let limits {
            let near = nearLimits(c, limits: limits, status: status)
            if near.isEmpty {
                page.field("Other limits", "none within 80% of its soft limit")
            } else {
                for (i, text) in near.enumerated() { page.field(i == 0 ? "Near limits" : "", text, role: .statusError) }
            }
        } else if case .failure(let e) = f.limits {
            page.field("Limits", c.unreadable(e), role: .dim)
        }
        ioAndOOM(c, &page)
    }

    /// Storage I/O since it started, and where it stands with the OOM killer.
    static func ioAndOOM(_ c: Context, _ page: inout Builder) {
        switch c.files.io {
        case .success(let io):
            page.field("Disk I/O", Format.bytes(io.readBytes) + " read, " + Format.bytes(io.writeBytes) + " written (since it started)")
        case .failure(let e):
            page.field("Disk I/O", c.unreadable(e), role: .dim)
        }
        switch (c.files.oomScore, c.files.oomScoreAdj) {
        case (.success(let score), .success(let adjust)):
            page.field("OOM score", "\(score) (adjustment \(adjust)); the kernel kills the highest first")
        case (.success(let score), .failure):
            page.field("OOM score", "\(score)")
        case (.failure(let e), _):
            page.field("OOM score", c.unreadable(e), role: .dim)
        }
    }

    static func isNear(_ used: UInt64, _ soft: ProcLimits.Value) -> Bool {
        guard case .limited(let n) = soft else { return false }
        // In Double: the numbers come from /proc and may be anything; * 10 must not overflow.
        return n == 0 ? used > 0 : Double(used) >= Double(n) * 0.8
    }

    /// The limits, besides open files, whose use swtop can see and which are at 80% or more of
    /// the soft limit: "Max processes: 3900 of 4096 (95%)".
    static func nearLimits(_ c: Context, limits: ProcLimits, status: StatusDetail?) -> [String] {
        var uses: [(String, UInt64)] = []
        if let kb = status?.vmSizeKB { uses.append(("as", kb.multipliedReportingOverflow(by: 1024).overflow ? .max : kb * 1024)) }
        if let kb = status?.vmLockedKB { uses.append(("memlock", kb.multipliedReportingOverflow(by: 1024).overflow ? .max : kb * 1024)) }
        if let q = status?.signalsQueued { uses.append(("sigpending", q)) }
        let ticks = c.files.stat.utime &+ c.files.stat.stime
        if let hz = c.snapshot?.clockTicksPerSecond, hz > 0 {
            let seconds = Double(ticks) / hz
            uses.append(("cpu", seconds < 1.8e19 ? UInt64(seconds) : .max))
        }
        // RLIMIT_NPROC counts the threads of the real user: the list's, summed.
        if let uid = status?.uids.first, let processes = c.snapshot?.processes {
            var n: UInt64 = 0
            for p in processes where !p.isSecondaryThread && !p.isKernelThread && p.uid == uid { n += UInt64(max(1, p.threads)) }
            uses.append(("nproc", n))
        }
        var out: [String] = []
        for (resource, used) in uses {
            guard let limit = limits[resource], case .limited(let soft) = limit.soft, isNear(used, limit.soft) else { continue }
            let percent = soft == 0 ? 100 : Int(min(Double(used) / Double(soft) * 100, 1e9))
            out.append("\(limit.name): \(used) of \(soft)\(limit.unit.map { " " + $0 } ?? "") (\(percent)%)")
        }
        return out
    }

    static func openFiles(_ c: Context, _ page: inout Builder) {
        let f = c.files
        switch f.openFiles {
        case .failure(let e):
            page.title(.openFiles)
            page.wrapped(c.unreadable(e), role: .dim, indent: 2)
        case .success(let files):
            page.title(.openFiles, " (\(f.openFileCount))")
            for file in files {
                let number = TextLayout.padLeft(String(file.fd), 6) + "  "
                switch file.target {
                case .success(let link):
                    page.wrapped(number + describe(link, f.sockets), indent: 0, hang: 8)
                case .failure(let e):
                    page.wrapped(number + c.unreadable(e), role: .dim, hang: 8)
                }
            }
            if files.count < f.openFileCount {
                page.wrapped("        ... and \(f.openFileCount - files.count) more", role: .dim)
            }
            if files.isEmpty { page.wrapped("        none", role: .dim) }
        }
    }

    /// An fd's target as lsof shows it: a socket by protocol, addresses and state.
    static func describe(_ link: [UInt8], _ sockets: SocketTable) -> String {
        guard let inode = SocketTable.socketInode(link) else { return text(link) }
        guard let s = sockets[inode] else { return text(link) + " (another protocol: not in tcp, udp or unix)" }
        var out = s.proto.rawValue + " "
        if s.proto == .unix {
            out += s.local.isEmpty ? "(unnamed)" : DisplayText.escaped(s.local)
            out += " " + (s.type ?? "")
            if let st = s.state { out += " (" + st + ")" }
        } else {
            out += DisplayText.escaped(s.local)
            if let remote = s.remote { out += "->" + DisplayText.escaped(remote) }
            if let st = s.state { out += " (" + st + ")" }
        }
        return out
    }

    static func environment(_ c: Context, _ page: inout Builder) {
        switch c.files.environment {
        case .failure(let e):
            page.title(.environment)
            page.wrapped(c.unreadable(e), role: .dim, indent: 2)
        case .success(let vars):
            // The entries that are there, and what the area holds when it is a title's.
            let area = EnvironmentArea(vars)
            page.title(.environment, " (\(area.entries.count))")
            if let note = area.note { page.wrapped(note, role: .dim, indent: 2, hang: 2) } else if vars.isEmpty { page.wrapped("  none", role: .dim) }
            for v in area.entries { page.wrapped(text(v), indent: 2, hang: 4) }
        }
    }

    /// This command's earlier ends and crash loops, as the lifecycle monitor saw them: the same
    /// command line (or name, without one) under the same parent, newest first.
    static func history(_ c: Context, _ page: inout Builder) {
        page.title(.history)
        guard let lifecycle = c.state.lifecycle else {
            let why = c.state.replaySource != nil ? "none: a replay of a recorded tree has no kernel to ask" : "none yet"
            page.wrapped(why, role: .dim, indent: 2, hang: 2)
            return
        }
        let args: [String]
        if case .success(let bytes) = c.files.cmdline { args = bytes.map { String(decoding: $0, as: UTF8.self) } } else { args = [] }
        let name = c.entry?.name ?? String(decoding: c.files.stat.comm, as: UTF8.self)
        let command = args.isEmpty ? "[" + name + "]" : args.joined(separator: " ")
        let ppid = c.files.stat.ppid
        let runs = lifecycle.events.filter { event in
            guard event.process.command == command, event.process.ppid == ppid else { return false }
            switch event.kind {
            case .exit, .crashLoop: return true
            case .zombie, .orphan: return false
            }
        }
        if runs.isEmpty {
            page.wrapped("no earlier end of this command under this parent since swtop started", role: .dim, indent: 2, hang: 2)
            return
        }
        for event in runs.reversed().prefix(20) {
            page.wrapped(Format.clock(event.time) + "  " + String(event.process.pid) + "  " + DisplayText.escaped(event.words), indent: 2, hang: 4)
        }
        if runs.count > 20 { page.wrapped("and \(runs.count - 20) earlier", role: .dim, indent: 2, hang: 2) }
    }

    // MARK: - Formats

    /// "2026-11-30 01:02:03", local time.
    static func localDateTime(_ epoch: Double) -> String {
        guard epoch.isFinite, abs(epoch) < 1e15 else { return "-" }
        var t = time_t(epoch.rounded(.down))
        var tm = tm()
        guard localtime_r(&t, &tm) != nil else { return "-" }
        return Format.pad(Int(tm.tm_year) + 1900, 4) + "-" + Format.pad(Int(tm.tm_mon) + 1, 2) + "-" + Format.pad(Int(tm.tm_mday), 2)
            + " " + clockTime(epoch)
    }

    /// "01:02:03", local time.
    static func clockTime(_ epoch: Double) -> String {
        guard epoch.isFinite, abs(epoch) < 1e15 else { return "-" }
        var t = time_t(epoch.rounded(.down))
        var tm = tm()
        guard localtime_r(&t, &tm) != nil else { return "-" }
        return Format.pad(Int(tm.tm_hour), 2) + ":" + Format.pad(Int(tm.tm_min), 2) + ":" + Format.pad(Int(tm.tm_sec), 2)
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
