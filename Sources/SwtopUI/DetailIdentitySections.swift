#if canImport(Glibc)
import Glibc
#endif
import Lifecycle
import ProcFS
import ProcessModel

/// The sections that say what the process is: who runs it, its state, its family, the
/// environment it was given.
extension DetailPage {
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
        if let key = c.entry?.key, let request = c.state.lifecycle?.draining[key] {
            // Another process asked it to stop, and it has not yet: it is draining.
            page.field("Draining", DisplayText.escaped(LifecycleView.stopRequestWords(request, now: c.state.now)), role: .taskWarning)
        }
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
}
