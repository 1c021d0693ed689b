import Foundation
import Testing
import TestSupport

/// swtop against ps on the live system: for every process ps shows the same before and after
/// swtop's reading, swtop must show the same values. Includes children the test names with
/// spaces, parentheses, a newline and an escape sequence.
@Suite(.serialized) struct LiveAgreementTests {
    static let columns = "pid=,ppid=,pgid=,sid=,ruid=,s=,rss=,vsz=,nlwp=,ni=,comm="

    struct PSRow: Equatable {
        var pid: Int, ppid: Int, pgid: Int, sid: Int, ruid: Int, state: String, rss: Int, vsz: Int, threads: Int, nice: String, comm: String
    }

    static func ps() throws -> [Int: PSRow] {
        let r = try run("/bin/ps", ["-eo", columns])
        guard r.status == 0 else { throw TestFailure("ps failed: \(r.stderr)") }
        var rows: [Int: PSRow] = [:]
        for line in r.stdoutText.split(separator: "\n") {
            // Ten numeric-ish columns, then comm, which may contain spaces.
            var rest = Substring(line)
            var fields: [String] = []
            for _ in 0..<10 {
                rest = rest.drop { $0 == " " }
                let field = rest.prefix { $0 != " " }
                fields.append(String(field))
                rest = rest.dropFirst(field.count)
            }
            let comm = String(rest.dropFirst())
            guard let pid = Int(fields[0]), let ppid = Int(fields[1]), let pgid = Int(fields[2]), let sid = Int(fields[3]),
                let ruid = Int(fields[4]), let rss = Int(fields[6]), let vsz = Int(fields[7]), let nlwp = Int(fields[8])
            else { continue }
            rows[pid] = PSRow(pid: pid, ppid: ppid, pgid: pgid, sid: sid, ruid: ruid, state: fields[5], rss: rss, vsz: vsz, threads: nlwp, nice: fields[9], comm: comm)
        }
        return rows
    }

    /// ps shows each control character as '?'.
    static func psComm(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }

    @Test func agreesWithPSForEveryUnchangedProcess() throws {
        let children = Children()
        defer { children.stopAll() }
        let names = ["a b c", ") R 1 2 (", "new\nline", "\u{1B}[31mred", "((x))", "tab\there"]
        var pids: [Int32: String] = [:]
        for name in names {
            let p = try children.sleeper(named: name)
            pids[p.processIdentifier] = name
        }
        // Wait until each child has exec'd and carries its name.
        for (pid, name) in pids {
            let named = waitUntil { fileBytes("/proc/\(pid)/comm") == Array(name.utf8) + [0x0A] }
            #expect(named, "child \(pid) never took the name \(name.debugDescription)")
        }

        // A field may change for a moment between ps's two readings (a kworker wakes: I, R, I).
        // So up to three rounds: a field of a process ps saw unchanged must agree in at least one.
        var compared: [String: String] = [:]  // "pid field" -> the disagreement, until it agrees
        var agreed = Set<String>()
        var childrenSeen = Set<Int32>()
        var comparedProcesses = Set<Int>()
        for _ in 0..<3 {
            let before = try Self.ps()
            let r = try run(Paths.swtop, ["--once", "--json", "--interval", "0"])
            let after = try Self.ps()
            #expect(r.status == 0, "\(r.stderr)")
            let listed = (try jsonObject(r.stdout)["processes"] as? [[String: Any]]) ?? []
            for p in listed {
                // Not this test process: other tests run in it meanwhile, so its memory can grow
                // and shrink back between ps's two readings and look unchanged to them.
                guard let pid = p["pid"] as? Int, pid != Int(getpid()), let b = before[pid], after[pid] == b else { continue }
                comparedProcesses.insert(pid)
                let name = p["name"] as? String ?? ""
                var pairs: [(String, String, String)] = [
                    ("ppid", "\(p["ppid"] as? Int ?? -1)", "\(b.ppid)"), ("pgid", "\(p["pgid"] as? Int ?? -1)", "\(b.pgid)"),
                    ("sid", "\(p["sid"] as? Int ?? -1)", "\(b.sid)"), ("uid", "\(p["uid"] as? Int ?? -1)", "\(b.ruid)"),
                    ("state", p["state"] as? String ?? "", b.state), ("rss", "\(p["rss_kb"] as? Int ?? -1)", "\(b.rss)"),
                    ("vsz", "\(p["vsz_kb"] as? Int ?? -1)", "\(b.vsz)"), ("threads", "\(p["threads"] as? Int ?? -1)", "\(b.threads)"),
                    ("comm", Self.psComm(name), b.comm),
                ]
                if Int(b.nice) != nil { pairs.append(("nice", "\(p["nice"] as? Int ?? -99)", b.nice)) }
                for (field, ours, theirs) in pairs {
                    let key = "\(pid) \(field)"
                    if ours == theirs { agreed.insert(key) } else { compared[key] = "\(b.comm): swtop \(ours.debugDescription), ps \(theirs.debugDescription)" }
                }
                if let expected = pids[Int32(pid)], !childrenSeen.contains(Int32(pid)) {
                    #expect(name == expected)
                    #expect(p["cmdline"] as? [String] == [children.linkPath(expected), "300"])
                    childrenSeen.insert(Int32(pid))
                }
            }
            if Set(compared.keys).isSubset(of: agreed) && childrenSeen.count == names.count { break }
        }
        let disagreements = compared.filter { !agreed.contains($0.key) }.map { "\($0.key): \($0.value)" }.sorted()
        #expect(disagreements == [])
        #expect(childrenSeen.count == names.count)
        #expect(comparedProcesses.count >= names.count + 10)
    }

    @Test func recordThenReplayShowsTheSameChildren() throws {
        let children = Children()
        defer { children.stopAll() }
        let child = try children.sleeper(named: "replay me")
        #expect(waitUntil { fileBytes("/proc/\(child.processIdentifier)/comm") == Array("replay me\n".utf8) })
        let dir = Paths.temporaryDirectory("replay") + "/tree"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recorded = try run(Paths.swtop, ["record", dir])
        #expect(recorded.status == 0)
        #expect(recorded.stderr.hasPrefix("recorded ") && recorded.stderr.hasSuffix(" in \(dir)\n"))
        let replay = try run(Paths.swtop, ["--once", "--json", "--proc-root", dir, "-p", "\(child.processIdentifier)"])
        let doc = try jsonObject(replay.stdout)
        let rows = (doc["processes"] as? [[String: Any]]) ?? []
        #expect(rows.count == 1)
        #expect(rows.first?["name"] as? String == "replay me")
        #expect(rows.first?["ppid"] as? Int == Int(getpid()))
        #expect(doc["interval_s"] as? Double == 0)
        // Recording into the same, now full, directory is refused.
        let again = try run(Paths.swtop, ["record", dir])
        #expect(again.status == 1)
        #expect(again.stderr == "swtop: \(dir) is not empty\n")
    }

    @Test func cpuPercentOverAnInterval() throws {
        let children = Children()
        defer { children.stopAll() }
        // A child that spins: about 100% of one CPU.
        let spinner = try children.start("/bin/sh", ["-c", "while :; do :; done"])
        let pid = spinner.processIdentifier
        let ticksBefore = try cpuTicks(pid)
        let started = Date()
        let r = try run(Paths.swtop, ["--once", "--json", "--interval", "1", "-p", "\(pid)"])
        let ran = Date().timeIntervalSince(started)
        let ticksAfter = try cpuTicks(pid)
        let doc = try jsonObject(r.stdout)
        let interval = try #require(doc["interval_s"] as? Double)
        // At least the interval asked for, and within the time swtop ran, however slow the machine.
        #expect(interval >= 1 && interval <= ran)
        let system = try #require(doc["system"] as? [String: Any])
        #expect((system["cpu_percent"] as? Double ?? -1) > 0)
        let row = try #require((doc["processes"] as? [[String: Any]])?.first)
        let cpu = try #require(row["cpu_percent"] as? Double)
        // On a busy machine the spinner may get less than a whole CPU, never more than one.
        #expect(cpu > 0 && cpu <= 101)
        // What the kernel counted for the spinner while swtop ran bounds swtop's figure: from
        // above, and from below less what the spinner could use (one CPU) outside the interval.
        // A tick either side for where the samples fell between ticks.
        let tick = 1 / Double(sysconf(Int32(_SC_CLK_TCK)))
        let spun = Double(ticksAfter - ticksBefore) * tick
        let used = cpu / 100 * interval
        #expect(used <= spun + 2 * tick, "swtop \(cpu)% of \(interval) s; the kernel counted \(spun) s in \(ran) s")
        #expect(used >= spun - (ran - interval) - 2 * tick, "swtop \(cpu)% of \(interval) s; the kernel counted \(spun) s in \(ran) s")
    }
}
