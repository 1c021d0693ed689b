import Foundation
import Testing
import TestSupport

func swtop(_ arguments: [String]) throws -> CommandResult {
    try run(Paths.swtop, arguments)
}

func replayJSON(_ extra: [String] = [], fixture: String = "hardcases") throws -> [String: Any] {
    let r = try swtop(["--once", "--json", "--proc-root", Paths.fixture(fixture)] + extra)
    guard r.status == 0 else { throw TestFailure("exit \(r.status): \(r.stderr)") }
    return try jsonObject(r.stdout)
}

func processes(_ doc: [String: Any]) -> [[String: Any]] { doc["processes"] as? [[String: Any]] ?? [] }

func process(_ doc: [String: Any], _ pid: Int) -> [String: Any]? {
    processes(doc).first { ($0["pid"] as? Int) == pid }
}

@Suite struct OnceJSONTests {
    /// `--proc-root /proc/` is the live /proc: two samples, so CPU% is known (a recorded tree
    /// gives one sample and null).
    @Test func procWithASlashIsLive() throws {
        let r = try swtop(["--once", "--json", "--proc-root", "/proc/", "--interval", "0.1", "-p", "1"])
        #expect(r.status == 0)
        let doc = try jsonObject(r.stdout)
        #expect((doc["interval_s"] as? Double ?? 0) > 0)
        #expect(process(doc, 1)?["cpu_percent"] is Double)
    }

    @Test func topLevelContract() throws {
        let doc = try replayJSON()
        #expect(doc["schema"] as? String == "swtop/1")
        #expect(doc["hostname"] as? String == "fixture-host")
        #expect(doc["interval_s"] as? Double == 0)
        let time = try #require(doc["time"] as? String)
        #expect(time.count == 24 && time.hasSuffix("Z") && time.dropFirst(10).first == "T")
        let system = try #require(doc["system"] as? [String: Any])
        #expect(system["uptime_s"] as? Double == 3725.5)
        #expect(system["load1"] as? Double == 0.52)
        #expect(system["load5"] as? Double == 1.25)
        #expect(system["load15"] as? Double == 2)
        #expect(system["cpus"] as? Int == 2)
        #expect(system["cpu_percent"] is NSNull)
        #expect(system["mem_total_kb"] as? Int == 1_000_000)
        #expect(system["mem_available_kb"] as? Int == 600_000)
        #expect(system["mem_used_kb"] as? Int == 400_000)
        #expect(system["swap_total_kb"] as? Int == 500_000)
        #expect(system["swap_used_kb"] as? Int == 100_000)
        let tasks = try #require(system["tasks"] as? [String: Int])
        #expect(tasks == ["total": 22, "threads": 21, "kernel_threads": 2, "running": 0, "sleeping": 19, "disk_sleep": 0, "stopped": 1, "zombie": 1, "idle": 1])
        #expect(processes(doc).map { $0["pid"] as? Int } == ([1, 2] + Array(100...110) + Array(113...121)).map { Optional($0) })
    }

    @Test func processContract() throws {
        let p = try #require(process(try replayJSON(), 1))
        #expect(Set(p.keys) == ["pid", "ppid", "pgid", "sid", "tty", "uid", "user", "name", "cmdline", "state", "state_name", "kernel_thread", "threads", "priority", "nice", "rss_kb", "vsz_kb", "mem_percent", "cpu_percent", "cpu_time_s", "start_time", "cgroup", "unit", "container", "ns_pid", "pid_namespace_init", "zombie_children", "io_read_bps", "io_write_bps", "io_read_bytes", "io_write_bytes", "oom_score", "oom_score_adj"])
        #expect(p["ppid"] as? Int == 0)
        #expect(p["pgid"] as? Int == 1)
        #expect(p["sid"] as? Int == 1)
        #expect(p["tty"] is NSNull)
        #expect(p["uid"] as? Int == 0)
        #expect(p["user"] as? String == "root")
        #expect(p["name"] as? String == "init")
        #expect(p["cmdline"] as? [String] == ["/sbin/init", "splash"])
        #expect(p["state"] as? String == "S")
        #expect(p["state_name"] as? String == "sleeping")
        #expect(p["kernel_thread"] as? Bool == false)
        #expect(p["threads"] as? Int == 1)
        #expect(p["priority"] as? Int == 20)
        #expect(p["nice"] as? Int == 0)
        #expect(p["rss_kb"] as? Int == 400)
        #expect(p["vsz_kb"] as? Int == 8192)
        #expect(p["mem_percent"] as? Double == 0.04)
        #expect(p["cpu_percent"] is NSNull)
        #expect(p["cpu_time_s"] as? Double == 2)
        #expect(p["start_time"] as? String == "2023-11-14T22:13:20Z")
    }

    @Test func hardNamesSurviveTheRoundTrip() throws {
        let doc = try replayJSON()
        let names: [Int: String] = [100: ") R 1 2 (", 101: "a b  c", 102: "line1\nline2", 103: "(", 104: ")", 105: "", 106: "bad\u{FFFD}\u{FFFD}utf8", 107: "\u{1B}]0;pwned\u{07}"]
        for (pid, name) in names {
            #expect(process(doc, pid)?["name"] as? String == name, "pid \(pid)")
        }
        #expect(process(doc, 102)?["cmdline"] as? [String] == ["printf", "a\nb"])
        #expect(process(doc, 107)?["cmdline"] as? [String] == ["\u{1B}[2J\u{1B}[31mred"])
        // No raw control byte reaches the output: JSON escapes them.
        let raw = try swtop(["--once", "--json", "--proc-root", Paths.fixture("hardcases")]).stdout
        #expect(!raw.contains(0x1B))
        #expect(!raw.contains(0x07))
        #expect(raw.filter { $0 == 0x0A }.count == 1)
    }

    @Test func nullsZombieAndKernelThread() throws {
        let doc = try replayJSON()
        let missing = try #require(process(doc, 113))
        for key in ["uid", "user"] { #expect(missing[key] is NSNull, "\(key)") }
        // Without statm and status, stat's own counters (the same ones).
        #expect(missing["rss_kb"] as? Int == 400 && missing["vsz_kb"] as? Int == 8192 && missing["mem_percent"] as? Double == 0.04)
        let zombie = try #require(process(doc, 109))
        #expect(zombie["state"] as? String == "Z")
        #expect(zombie["state_name"] as? String == "zombie")
        #expect(zombie["cmdline"] as? [String] == [])
        #expect(zombie["ppid"] as? Int == 110)
        let kworker = try #require(process(doc, 108))
        #expect(kworker["kernel_thread"] as? Bool == true)
        #expect(kworker["state_name"] as? String == "idle")
        #expect(kworker["name"] as? String == "kworker/u16:2-events_unbound_with_a_name_that_is_64_bytes_long!x")
        #expect(kworker["priority"] as? Int == 0)
        #expect(kworker["nice"] as? Int == -20)
    }

    @Test func treeDepthAndOrder() throws {
        let doc = try replayJSON(["--tree"])
        let shape = processes(doc).map { "\($0["pid"] as? Int ?? 0):\($0["depth"] as? Int ?? -1)" }.joined(separator: " ")
        #expect(shape == "1:0 100:1 101:1 102:1 103:1 104:1 105:1 106:1 107:1 110:1 109:2 113:1 114:1 115:1 116:1 117:1 118:1 121:1 2:0 108:1 119:0 120:1")
    }

    @Test func sortKeyOrder() throws {
        let doc = try replayJSON(["--sort-key", "time", "--pid", "1,121,100"])
        #expect(processes(doc).map { $0["pid"] as? Int } == [121, 1, 100])
        let byName = try replayJSON(["-s", "name", "-F", "cycle"])
        #expect(processes(byName).map { $0["name"] as? String } == ["cycle-a", "cycle-b"])
    }

    @Test func limitsObject() throws {
        let doc = try replayJSON(["--limits", "-p", "1,100"])
        let limits = try #require(process(doc, 1)?["limits"] as? [String: [String: Any]])
        #expect(limits.keys.sorted() == ["as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack"])
        #expect(limits["nofile"]?["soft"] as? Int == 1024)
        #expect(limits["nofile"]?["hard"] as? Int == 524_288)
        #expect(limits["nofile"]?["unit"] as? String == "files")
        #expect(limits["stack"]?["hard"] as? String == "unlimited")
        #expect(limits["nice"]?["unit"] is NSNull)
        #expect(process(doc, 100)?["limits"] is NSNull)
    }

    @Test func threadRowsCarryTheirTid() throws {
        let doc = try replayJSON(["--threads", "-p", "121"])
        #expect(processes(doc).map { $0["tid"] as? Int } == [121, 122])
        #expect(processes(doc).map { $0["pid"] as? Int } == [121, 121])
        #expect(processes(doc).map { $0["name"] as? String } == ["threaded", "worker-1"])
        #expect(processes(doc).map { $0["state"] as? String } == ["S", "R"])
    }

    /// -p may be repeated, as with ps: the lists are merged.
    @Test func repeatedPidOptionsAreMerged() throws {
        #expect(processes(try replayJSON(["-p", "1", "-p", "100,102", "--pid", "121"])).map { $0["pid"] as? Int } == [1, 100, 102, 121])
    }

    @Test func userFilterByNameAndUid() throws {
        #expect(processes(try replayJSON(["-u", "1000"])).map { $0["pid"] as? Int } == [121])
        #expect(processes(try replayJSON(["--user", "root", "-F", "init"])).map { $0["pid"] as? Int } == [1])
    }
}
