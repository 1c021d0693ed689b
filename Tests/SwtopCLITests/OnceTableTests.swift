import Foundation
import Testing
import TestSupport

@Suite struct OnceTableTests {
    @Test func plainTableOfTheHardCases() throws {
        let r = try swtop(["--once", "--proc-root", Paths.fixture("hardcases"), "-p", "1,102,107,109,113"])
        #expect(r.status == 0)
        let lines = r.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "swtop - 2023-11-14T23:15:25Z up 01:02:05")
        // The screen's words (TaskCounts.tasksLine): userland processes, other threads, kernel threads.
        #expect(lines[1] == "Tasks: 20, 1 thr, 2 kthr; 0 running")
        #expect(lines[2] == "Zombie: 1  Stopped: 1  Disk sleep: 0")
        #expect(lines[3] == "CPU: 2 online; load average: 0.52, 1.25, 2.00")
        #expect(lines[4] == "Mem: 391M used of 977M, 586M available; Swap: 97.7M used of 488M")
        #expect(lines[5] == "")
        #expect(Array(lines[6...]) == [
            "    PID USER      PRI  NI   VIRT    RES S  THR  CPU%  MEM%     TIME+ Command",
            "      1 root       20   0  8192K   400K S    1     -   0.0   0:02.00 /sbin/init splash",
            "    102 root       20   0  8192K   400K S    1     -   0.0   0:00.00 printf a\\nb",
            "    107 root       20   0  8192K   400K S    1     -   0.0   0:00.00 \\x1b[2J\\x1b[31mred",
            "    109 root       20   0     0K     0K Z    1     -   0.0   0:00.00 [defunct-kid]",
            "    113 ?          20   0  8192K   400K S    1     -   0.0   0:00.00 nostatus",
            "",
        ])
        #expect(!r.stdout.contains(0x1B))
    }

    /// `-s command` sorts by what the Command column shows (the command line), as htop's does;
    /// by name (COMM) the order differs: init, line1\nline2, parent, rewritten.
    @Test func commandSortsByTheCommandLineShown() throws {
        func pids(_ key: String) throws -> [Int] {
            let r = try swtop(["--once", "--proc-root", Paths.fixture("hardcases"), "-p", "1,102,110,114", "-s", key])
            #expect(r.status == 0)
            return r.stdoutText.split(separator: "\n").dropFirst(6).compactMap { Int($0.prefix(7).filter { $0 != " " }) }
        }
        // "/sbin/init splash" < "nginx: worker process extra" < "parent" < "printf a\nb" (the mark is not sorted by).
        #expect(try pids("command") == [1, 114, 110, 102])
        #expect(try pids("name") == [1, 102, 110, 114])
    }

    /// A sort key whose column is not shown adds it, before the command.
    @Test func theSortKeysColumnIsShown() throws {
        let r = try swtop(["--once", "--proc-root", Paths.fixture("hardcases"), "-p", "1", "-s", "start"])
        #expect(r.status == 0)
        let lines = r.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines[5] == "    PID USER      PRI  NI   VIRT    RES S  THR  CPU%  MEM%     TIME+ START Command")
        #expect(lines[6].hasPrefix("      1 root       20   0  8192K   400K S    1     -   0.0   0:02.00 "))
        #expect(lines[6].hasSuffix(" /sbin/init splash"))
    }

    /// A recorded tree's numbers are untrusted: times, sizes and ids at their limits print as
    /// they are, never trap (utime and stime 2^64-1 trapped in TIME+).
    @Test func extremeValuesPrintAsTheyAre() throws {
        let r = try swtop(["--once", "--proc-root", Paths.fixture("extremes")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Array(r.stdoutText.split(separator: "\n").map(String.init).dropFirst(5)) == [
            "    PID USER      PRI  NI   VIRT    RES S  THR  CPU%  MEM%     TIME+ Command",
            "      1 root       20   0  8192K   400K S    1     -   0.0   0:02.00 /sbin/init splash",
            "    200 429496729  20   0 16777216.0T 17179869184.0T R    1     - 1844674407370955.2 51240955760304h huge --max",
            "    201 ?          RT -2147483648     0K      - S 2147483647     -     -   0:00.00 lowest",
            "    202 ?          RT -20     0K     4K S   -1     -   0.0    11930h realtime",
        ])
        let json = try swtop(["--once", "--json", "--proc-root", Paths.fixture("extremes")])
        #expect(json.status == 0)
        let processes = try #require(try jsonObject(json.stdout)["processes"] as? [[String: Any]])
        #expect(processes.map { $0["pid"] as? Int } == [1, 200, 201, 202])
        #expect(processes[1]["cpu_time_s"] as? Double == 1.8446744073709552e17)
    }

    @Test func treeIndentsChildren() throws {
        let r = try swtop(["--once", "--tree", "--proc-root", Paths.fixture("hardcases"), "-F", "parent|defunct"])
        #expect(r.stdoutText.hasSuffix("""
                110 root       20   0  8192K   400K S    1     -   0.0   0:00.00 [1 zombie] parent
                109 root       20   0     0K     0K Z    1     -   0.0   0:00.00   [defunct-kid]

            """))
    }
}

/// Text a process chose reaches the table escaped: a right-to-left override in a real process's
/// command line shows as `\u{202e}`, never raw ("x\u{202E}gpj.exe" would read "xexe.jpg").
@Suite struct OnceTableEscapingTests {
    @Test func bidiOverrideInACommandLineIsEscaped() throws {
        let children = Children()
        defer { children.stopAll() }
        let sleeper = try children.sleeper(named: "x\u{202E}gpj.exe")
        let pid = sleeper.processIdentifier
        let r = try swtop(["--once", "-p", String(pid)])
        #expect(r.status == 0)
        #expect(!r.stdoutText.unicodeScalars.contains("\u{202E}"))
        let row = try #require(r.stdoutText.split(separator: "\n").last.map(String.init))
        #expect(row.hasPrefix(String(repeating: " ", count: 7 - String(pid).count) + String(pid) + " "))
        #expect(row.hasSuffix(" " + children.linkPath("x\\u{202e}gpj.exe") + " 300"), "\(row)")
    }
}

@Suite struct ErrorTests {
    @Test func badProcRootIsOneLineAndStatusOne() throws {
        let r = try swtop(["--once", "--proc-root", "/nonexistent/proc"])
        #expect(r.status == 1)
        #expect(r.stderr == "swtop: cannot read proc root /nonexistent/proc: No such file or directory\n")
        // A directory that is not a proc tree: not an empty snapshot.
        let empty = Paths.temporaryDirectory("not-proc")
        let notProc = try swtop(["--once", "--proc-root", empty])
        #expect(notProc.status == 1)
        #expect(notProc.stdout.isEmpty)
        #expect(notProc.stderr == "swtop: cannot read proc root \(empty): not a /proc tree (it has no stat file)\n")
        #expect(r.stdout.isEmpty)
    }

    /// Any sortable column of the registry sorts, by its id or its title, without code of its
    /// own: PGRP 0 (kthreadd 2, a kworker 108) before 1 (init) before 109; pid order would differ.
    @Test func sortsByAnyColumnOfTheRegistry() throws {
        for key in ["PGRP", "pgid"] {
            let r = try swtop(["--once", "--proc-root", Paths.fixture("hardcases"), "-p", "1,2,108,109", "--sort-key", key])
            #expect(r.status == 0)
            let pids = r.stdoutText.split(separator: "\n").dropFirst(5).compactMap { Int($0.prefix(7).filter { $0 != " " }) }
            #expect(pids == [2, 108, 1, 109], "\(key)")
        }
    }

    @Test func usageErrorsNameTheOption() throws {
        let cases: [([String], String)] = [
            (["--once", "--sort-key", "bogus"], "unknown sort key 'bogus' in --sort-key: expected one of pid, tid, ppid, pgid, sid, tty, uid, user, name, command, state, threads, priority, nice, rss, vsz, mem, cpu, time, start"),
            (["--once", "--pid", "12,x"], "invalid pid 'x' in --pid"),
            (["--once", "-p", "0"], "invalid pid '0' in --pid"),
            (["--once", "--user", "no-such-user-here"], "unknown user 'no-such-user-here' in --user"),
            (["--once", "--interval=-1"], "invalid --interval"),
            (["--once", "--interval", "5000"], "invalid --interval '5000': expected seconds from 0 to 3600"),
            (["--once", "--interval", "abc"], "--interval"),
            (["--json"], "--json needs --once"),
            (["--once", "--bogus"], "--bogus"),
        ]
        for (args, message) in cases {
            let r = try swtop(args)
            #expect(r.status == 64, "\(args)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty, "\(args)")
        }
    }

    /// `record DIR --proc-root SRC` records SRC (the option is swtop's, wherever it is typed),
    /// and replaying the copy gives the same document, thread rows and time included.
    @Test func aRecordingOfARecordingReplaysTheSame() throws {
        let dir = Paths.temporaryDirectory("re-record") + "/tree"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fixture = Paths.fixture("hardcases")
        let recorded = try swtop(["record", dir, "--proc-root", fixture])
        #expect(recorded.status == 0)
        #expect(recorded.stderr == "recorded 22 processes and 2 threads in \(dir)\n")
        for options in [["--tree", "--limits"], ["--threads"]] {
            let original = try swtop(["--once", "--json", "--proc-root", fixture] + options)
            let copy = try swtop(["--once", "--json", "--proc-root", dir] + options)
            #expect(copy.status == 0)
            #expect(copy.stdoutText == original.stdoutText)
            #expect(copy.stdoutText.contains("\"time\":\"2023-11-14T23:15:25.500Z\""))
        }
    }

    /// The commands that act on processes act on live ones: --proc-root is not one of their
    /// options, and is refused by name, not silently ignored.
    @Test func procRootIsRefusedByTheCommandsThatActOnProcesses() throws {
        // 4194304 is the kernel's PID_MAX_LIMIT: should the refusal break, nothing is signalled.
        for command in [["signal", "HUP", "4194304"], ["renice", "5", "4194304"], ["stop", "4194304"], ["limits", "4194304"]] {
            let r = try swtop(command + ["--proc-root", Paths.fixture("hardcases")])
            #expect(r.status == 64)
            #expect(r.stderr == "swtop: Unknown option '--proc-root'\n")
        }
    }

    /// A recorded tree's numbers are untrusted: a boot time past any date RFC 3339 can write is
    /// no reason to trap.
    @Test func aRecordingWithAnImpossibleBootTimeStillPrints() throws {
        let dir = Paths.temporaryDirectory("bad-btime") + "/tree"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try swtop(["record", dir, "--proc-root", Paths.fixture("hardcases")]).status == 0)
        let stat = try String(contentsOfFile: dir + "/stat", encoding: .utf8)
        let bad = stat.split(separator: "\n").map { $0.hasPrefix("btime ") ? "btime 18446744073709551615" : String($0) }.joined(separator: "\n") + "\n"
        try bad.write(toFile: dir + "/stat", atomically: true, encoding: .utf8)
        let table = try swtop(["--once", "--proc-root", dir])
        #expect(table.status == 0)
        #expect(table.stdoutText.hasPrefix("swtop - "))
        let json = try swtop(["--once", "--json", "--proc-root", dir])
        #expect(json.status == 0)
        let system = try jsonObject(json.stdout)["system"] as? [String: Any]
        #expect(system?["boot_time"] as? String == "9999-12-31T23:59:59Z")
    }

    /// Output that cannot be written (a full disk) is a failure, not a cut-off snapshot with
    /// exit status 0.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full"))
    func anUnwritableOutputIsStatusOne() throws {
        let r = try run("/bin/sh", ["-c", "exec \"$0\" --once --json --proc-root \"$1\" > /dev/full", Paths.swtop, Paths.fixture("hardcases")])
        #expect(r.status == 1)
        #expect(r.stderr == "swtop: cannot write output: No space left on device\n")
    }

    @Test func helpListsEveryOption() throws {
        let r = try swtop(["--help"])
        #expect(r.status == 0)
        for option in ["--proc-root", "--pid", "--user", "--filter", "--tree", "--sort-key", "--once", "--json", "--limits", "--threads", "--interval", "record"] {
            #expect(r.stdoutText.contains(option), "\(option)")
        }
    }
}
