import ProcFS
import ProcessModel

/// The sections that say what the process uses: CPU, memory and their limits, I/O and the OOM
/// killer's view of it, its open files.
extension DetailPage {
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
}
