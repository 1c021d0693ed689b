import Foundation
import Testing
import TestSupport

/// `--fields LIST` (`-o LIST`, as ps): the columns `--once` prints, in the table and the JSON,
/// and only the files they need read (issue 18, item 1).
@Suite struct FieldsTests {
    /// ps's columns, by swtop's names.
    static let psFields = "pid,ppid,state,rss,vsz,threads,nice,name"

    /// Each process object holds exactly the listed fields' keys, pid first, in the order given
    /// (a column's keys together: state and state_name); the rest of the document is whole.
    @Test func jsonHoldsExactlyTheListedFields() throws {
        let r = try swtop(["--once", "--json", "--proc-root", Paths.fixture("hardcases"), "-p", "1", "--fields", "name,ppid,state,rss,vsz,threads,nice"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutText.hasSuffix(#""processes":[{"pid":1,"name":"init","ppid":0,"state":"S","state_name":"sleeping","rss_kb":400,"vsz_kb":8192,"threads":1,"nice":0}]}"# + "\n"), "\(r.stdoutText)")
        let doc = try jsonObject(r.stdout)
        #expect(doc["schema"] as? String == "swtop/1")
        #expect((doc["system"] as? [String: Any])?["tasks"] != nil)
        // A zombie's outcome comes with its state, and not without it.
        let zombie = try #require(processes(try jsonObject(try swtop(["--once", "--json", "--proc-root", Paths.fixture("hardcases"), "-p", "109", "-o", "state"]).stdout)).first)
        #expect(Set(zombie.keys) == ["pid", "state", "state_name", "outcome", "exit_code", "signal"])
        let bare = try #require(processes(try jsonObject(try swtop(["--once", "--json", "--proc-root", Paths.fixture("hardcases"), "-p", "109", "-o", "comm"]).stdout)).first)
        #expect(Set(bare.keys) == ["pid", "name"])
        // With the tree, each object's depth; in the thread view, its tid after the pid.
        let tree = processes(try jsonObject(try swtop(["--once", "--json", "--tree", "--proc-root", Paths.fixture("hardcases"), "-p", "110,109", "-o", "pid"]).stdout))
        #expect(tree.map { Set($0.keys) } == [["pid", "depth"], ["pid", "depth"]])
        let threads = try swtop(["--once", "--json", "--threads", "--proc-root", Paths.fixture("hardcases"), "-p", "121", "-o", "nlwp"])
        #expect(threads.stdoutText.contains(#"{"pid":121,"tid":121,"threads":2},{"pid":121,"tid":122,"threads":2}]}"#), "\(threads.stdoutText)")
    }

    /// ps's own form: `-o pid,ppid,stat,rss,vsz,nlwp,ni,comm` names swtop's columns.
    @Test func theTableInPsForm() throws {
        let r = try swtop(["--once", "--proc-root", Paths.fixture("hardcases"), "-p", "1,109,110", "-o", "pid,ppid,stat,rss,vsz,nlwp,ni,comm"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Array(r.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(6)) == [
            "    PID    PPID S    RES   VIRT  THR  NI COMM",
            "      1       0 S   400K  8192K    1   0 init",
            "    109     110 Z     0K     0K    1   0 defunct-kid",
            "    110       1 S   400K  8192K    1   0 parent",
            "",
        ])
        // pid is always there; the sort's column is added.
        let sorted = try swtop(["--once", "--proc-root", Paths.fixture("hardcases"), "-p", "1", "-o", "comm", "-s", "rss"])
        #expect(sorted.stdoutText.split(separator: "\n").dropFirst(5).first == "    PID COMM               RES")
    }

    @Test func anUnknownFieldIsOneLineNamingTheValidOnes() throws {
        let r = try swtop(["--once", "--fields", "pid,bogus"])
        #expect(r.status == 64)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "swtop: unknown field 'bogus' in --fields: expected one of pid, tid, ppid, pgid, sid, tty, uid, user, name, command, state, threads, priority, nice, rss, vsz, mem, cpu, time, start, cgroup, unit, container, ns_pid, zombie_children, io_read_rate, io_write_rate, io_rate, io_read_bytes, io_write_bytes, oom_score, oom_score_adj\n")
        let screen = try swtop(["--fields", "pid"])
        #expect(screen.status == 64)
        #expect(screen.stderr.contains("--fields needs --once"))
    }

    /// strace: with ps's columns, each process's `stat` is read once (one sample: no CPU% was
    /// asked for), and no other file of any process.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"), "needs strace"))
    func psColumnsReadStatAloneOnce() throws {
        let log = Paths.temporaryDirectory("strace") + "/trace"
        defer { try? FileManager.default.removeItem(atPath: (log as NSString).deletingLastPathComponent) }
        let r = try run("/usr/bin/strace", ["-f", "-qq", "-e", "trace=openat", "-o", log, Paths.swtop, "--once", "--json", "--fields", Self.psFields])
        #expect(r.status == 0, "\(r.stderr)")
        let count = processes(try jsonObject(r.stdout)).count
        #expect(count > 10)
        let trace = try String(contentsOfFile: log, encoding: .utf8)
        // openat(3, "1234/stat", ...) relative to /proc, or the same under /proc/.
        let opened = try Regex(#"openat\([^,]+, "(?:/proc/)?([0-9]+)/(?:task/[0-9]+/)?([^"]+)""#)
        var files: [String: Int] = [:]
        for line in trace.split(separator: "\n") {
            if let m = try opened.firstMatch(in: String(line)), let name = m.output[2].substring { files[String(name), default: 0] += 1 }
        }
        #expect(Set(files.keys) == ["stat"], "\(files)")
        // Once each (processes that started meanwhile aside).
        #expect((count - 5)...(count + 5) ~= files["stat"] ?? 0, "\(files) for \(count) processes")
    }
}
