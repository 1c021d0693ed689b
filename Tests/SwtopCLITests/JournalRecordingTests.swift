import Foundation
import Testing
import TestSupport

/// `swtop events --record`: real exits recorded by the real binary and read back with
/// `--since`; a recorder killed and restarted, a torn line, a full disk, planted links.
@Suite(.serialized) struct JournalRecordingTests {
    /// Starts a recorder of the processes marked `mark` and waits for its `started` line.
    func startRecorder(_ journal: String, _ mark: String, _ extra: [String] = [], startedLines: Int = 1) throws -> RecordingProcess {
        let recorder = try RecordingProcess(journal: journal, ["-F", mark] + extra)
        let started = waitUntil(30) {
            journalObjects(journal).filter { $0["event"] as? String == "recording" && $0["state"] as? String == "started" }.count >= startedLines
        }
        guard started else { throw TestFailure("no started line in \(journal): \(recorder.stderr)") }
        return recorder
    }

    /// Runs swtop with these arguments to its end.
    func swtop(_ arguments: [String]) throws -> CommandResult {
        try run(Paths.swtop, arguments)
    }

    @Test func exitsAreRecordedAndReadBack() throws {
        let journal = Paths.temporaryDirectory("journal") + "/swtop"
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: journal).deletingLastPathComponent().path) }
        let mark = marker("rec")
        let recorder = try startRecorder(journal, mark)
        let three = try shell("sleep 0.2; exit 3", marker: mark).processIdentifier
        let term = try shell("sleep 0.2; kill -TERM $$", marker: mark).processIdentifier
        // A clean exit of a process that lived under 10 s: printed, not recorded.
        let clean = try shell("sleep 0.2; exit 0", marker: mark).processIdentifier
        #expect(waitUntil(30) { [three, term, clean].allSatisfy { pid in recorder.stdout.contains("\"pid\":\(pid),") } })
        #expect(recorder.terminate() == 0)

        // Other tests end thousands of processes meanwhile; where the kernel's buffers overflow,
        // the journal says so in `lost` lines of its own, which every read passes through. They
        // are set aside here: this test is about the exits.
        let allLines = journalLines(journal)
        let recorded = zip(allLines, journalObjects(journal)).map { (line: $0, object: $1) }
        let lost = Set(recorded.filter { $0.object["event"] as? String == "lost" }.map(\.line))
        let kept = recorded.filter { !lost.contains($0.line) }
        let objects = kept.map(\.object)
        func withoutLost(_ text: String) -> String {
            text.split(separator: "\n").map(String.init).filter { !lost.contains($0) }.joined(separator: "\n") + "\n"
        }
        #expect(objects.map { $0["event"] as? String ?? "?" } == ["recording", "exit", "exit", "recording"])
        #expect(objects.first?["state"] as? String == "started")
        #expect(objects.last?["state"] as? String == "stopped")
        #expect(objects.first?["pid"] as? Int == Int(recorder.pid))
        #expect(objects[1]["pid"] as? Int == Int(three) && objects[1]["exit_code"] as? Int == 3)
        #expect(objects[2]["pid"] as? Int == Int(term) && objects[2]["signal"] as? String == "SIGTERM")
        // The recorded lines are the --json lines printed, byte for byte.
        let printed = Set(recorder.stdout.split(separator: "\n").map(String.init))
        let lines = kept.map(\.line)
        #expect(printed.contains(lines[1]) && printed.contains(lines[2]))

        // Modes: not world-readable whatever the umask.
        let dirMode = try FileManager.default.attributesOfItem(atPath: journal)[.posixPermissions] as? Int
        #expect(dirMode == 0o750)
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: journal).first)
        #expect(try FileManager.default.attributesOfItem(atPath: journal + "/" + file)[.posixPermissions] as? Int == 0o640)

        // Read back: the JSON lines as recorded, in order, exit status 0.
        let json = try swtop(["events", "--since", "10m", "--journal", journal, "--json"])
        #expect(json.status == 0)
        #expect(json.stdoutText == allLines.joined(separator: "\n") + "\n")
        #expect(json.stderr == "")
        // In words, as live: the same EventLine wording.
        let words = try swtop(["events", "--since", "10m", "--journal", journal]).stdoutText.split(separator: "\n").map(String.init)
            .filter { lost.isEmpty || !($0.contains(" events lost: ") || $0.contains(" signals lost: ")) }
        #expect(words.count == 4)
        #expect(words[0].contains(" recording started (pid \(recorder.pid): "))
        #expect(words[1].contains(" \(three) sh: exited 3 after "))
        // As root the signal tracepoint knows the shell sent it to itself.
        #expect(words[2].contains(" \(term) sh: killed by SIGTERM after ") || words[2].contains(" \(term) sh: killed by SIGTERM from itself after "))
        #expect(words[3].hasSuffix(" recording stopped (pid \(recorder.pid))"))
        // Filters, as live; the journal's own lines always pass.
        let killed = try swtop(["events", "--since", "10m", "--journal", journal, "--json", "--outcome", "killed"]).stdoutText
        #expect(withoutLost(killed) == [lines[0], lines[2], lines[3]].joined(separator: "\n") + "\n")
        let byPid = try swtop(["events", "--since", "10m", "--journal", journal, "--json", "-p", String(three), "--failures"]).stdoutText
        #expect(withoutLost(byPid) == [lines[0], lines[1], lines[3]].joined(separator: "\n") + "\n")
        let bash = try swtop(["events", "--since", "10m", "--journal", journal, "--json", "--name", "bash"]).stdoutText
        #expect(withoutLost(bash) == [lines[0], lines[3]].joined(separator: "\n") + "\n")
    }

    @Test func sinceWithFollowGoesOnLive() throws {
        let journal = Paths.temporaryDirectory("journal-follow")
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let mark = marker("follow")
        let recorder = try startRecorder(journal, mark)
        let before = try shell("sleep 0.2; exit 8", marker: mark).processIdentifier
        #expect(waitUntil(30) { journalLines(journal).contains { $0.contains("\"pid\":\(before),") } })
        #expect(recorder.terminate() == 0)
        let recorded = journalLines(journal)

        let stream = try EventStream(["--since", "10m", "--follow", "--journal", journal, "-F", mark, "--for", "60"])
        defer { stream.stop() }
        #expect(waitUntil(30) { stream.count >= 4 })
        let after = try shell("sleep 0.2; exit 9", marker: mark).processIdentifier
        let live = stream.wait { $0["pid"] as? Int == Int(after) }
        #expect(live?["exit_code"] as? Int == 9)
        // The start line, the three recorded lines as recorded, then the live one.
        let lines = stream.text.split(separator: "\n").map(String.init)
        #expect(Array(lines.dropFirst().prefix(3)) == recorded)
        #expect(lines.count == 5)
    }

    @Test func recorderKilledAndRestartedInventsNothing() throws {
        let journal = Paths.temporaryDirectory("journal-kill")
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let mark = marker("kill9")
        let first = try startRecorder(journal, mark)
        let four = try shell("sleep 0.2; exit 4", marker: mark).processIdentifier
        #expect(waitUntil(30) { journalLines(journal).contains { $0.contains("\"pid\":\(four),") } })
        first.killHard()
        // The second records clean short exits too (--journal-all).
        let second = try startRecorder(journal, mark, ["--journal-all"], startedLines: 2)
        let clean = try shell("sleep 0.2; exit 0", marker: mark).processIdentifier
        #expect(waitUntil(30) { journalLines(journal).contains { $0.contains("\"pid\":\(clean),") } })
        #expect(second.terminate() == 0)

        let objects = journalObjects(journal)
        #expect(objects.map { "\($0["event"] ?? "?")/\($0["state"] ?? $0["pid"] ?? "?")" }
            == ["recording/started", "exit/\(four)", "recording/started", "exit/\(clean)", "recording/stopped"])
        #expect(objects[0]["pid"] as? Int == Int(first.pid))
        #expect(objects[2]["pid"] as? Int == Int(second.pid))
    }

    @Test func tornLineGetsItsNewlineAndIsSkippedOnce() throws {
        let journal = Paths.temporaryDirectory("journal-torn")
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let name = dayFileName(Date())
        let whole = "{\"schema\":\"swtop-event/1\",\"time\":\"\(rfc3339(Date().addingTimeInterval(-60)))\",\"event\":\"lost\",\"count\":2,\"cause\":\"kernel\"}"
        let torn = "{\"schema\":\"swtop-event/1\",\"time\":\"20"
        try (whole + "\n" + torn).write(toFile: journal + "/" + name, atomically: false, encoding: .utf8)
        let recorder = try startRecorder(journal, marker("torn"))
        #expect(recorder.terminate() == 0)

        let lines = journalLines(journal)
        #expect(lines.count == 4)
        #expect(lines[0] == whole)
        #expect(lines[1] == torn)
        #expect(lines[2].contains("\"state\":\"started\""))
        #expect(lines[3].contains("\"state\":\"stopped\""))
        let read = try swtop(["events", "--since", "1h", "--journal", journal])
        #expect(read.status == 0)
        #expect(read.stderr == "swtop: skipped 1 line that did not parse in \(journal)/\(name) (the first: line 2)\n")
        let words = read.stdoutText.split(separator: "\n")
        #expect(words.count == 3)
        #expect(words.first?.hasSuffix(" 2 events lost: the kernel's proc connector buffer overflowed") == true)
    }

    /// Read back in words, as live: clean exits are left out (and counted on stderr) unless
    /// --all; --json prints every recorded line.
    @Test func recordedCleanExitsAreHiddenUnlessAll() throws {
        let journal = Paths.temporaryDirectory("journal-clean")
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let now = Date()
        func line(_ pid: Int, code: Int, _ date: Date) -> String {
            "{\"schema\":\"swtop-event/1\",\"time\":\"\(rfc3339(date))\",\"event\":\"exit\",\"pid\":\(pid),\"name\":\"job\",\"cmdline\":[\"job\"],\"ppid\":1,\"uid\":0,\"user\":\"root\",\"outcome\":\"exited\",\"exit_code\":\(code),\"signal\":null,\"start_time\":null,\"lifetime_s\":null,\"source\":\"proc_connector\",\"parent_name\":null,\"stopped_by_swtop\":null,\"sent_by\":null,\"stop\":null}"
        }
        let dates = [now.addingTimeInterval(-300), now.addingTimeInterval(-200), now.addingTimeInterval(-100)]
        let lines = [line(201, code: 0, dates[0]), line(202, code: 3, dates[1]), line(203, code: 0, dates[2])]
        for (text, date) in zip(lines, dates) {
            let path = journal + "/" + dayFileName(date)
            let old = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            try (old + text + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        }
        let clock = DateFormatter()
        clock.dateFormat = "HH:mm:ss"
        let hidden = try swtop(["events", "--journal", journal, "--since", "1h"])
        #expect(hidden.status == 0)
        #expect(hidden.stdoutText == "\(clock.string(from: dates[1])) 202 job: exited 3\n")
        #expect(hidden.stderr == "swtop: 2 clean exits (exit 0) hidden: --all shows them\n")
        let all = try swtop(["events", "--journal", journal, "--since", "1h", "--all"])
        #expect(all.stdoutText == zip([201, 202, 203], dates).map { "\(clock.string(from: $1)) \($0) job: exited \($0 == 202 ? 3 : 0)\n" }.joined())
        #expect(all.stderr == "")
        let json = try swtop(["events", "--journal", journal, "--since", "1h", "--json"])
        #expect(json.stdoutText == lines.joined(separator: "\n") + "\n")
        #expect(json.stderr == "")
    }

    @Test func sinceAndUntilChooseTheRange() throws {
        let journal = Paths.temporaryDirectory("journal-range")
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let now = Date()
        let times: [(pid: Int, date: Date)] = [(101, now.addingTimeInterval(-49 * 3600)), (102, now.addingTimeInterval(-2 * 3600)), (103, now.addingTimeInterval(-600))]
        func line(_ pid: Int, _ date: Date) -> String {
            "{\"schema\":\"swtop-event/1\",\"time\":\"\(rfc3339(date))\",\"event\":\"exit\",\"pid\":\(pid),\"name\":\"job\",\"cmdline\":[\"job\"],\"ppid\":1,\"uid\":0,\"user\":\"root\",\"outcome\":\"exited\",\"exit_code\":\(pid - 100),\"signal\":null,\"start_time\":null,\"lifetime_s\":null,\"source\":\"proc_connector\",\"parent_name\":null,\"stopped_by_swtop\":null}"
        }
        for t in times {
            let path = journal + "/" + dayFileName(t.date)
            let old = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            try (old + line(t.pid, t.date) + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        }
        func pids(_ arguments: [String]) throws -> [Int] {
            let r = try swtop(["events", "--journal", journal, "--json"] + arguments)
            #expect(r.status == 0, "\(arguments): \(r.stderr)")
            return r.stdoutText.split(separator: "\n").compactMap { ((try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any])?["pid"] as? Int }
        }
        #expect(try pids(["--since", "3h"]) == [102, 103])
        #expect(try pids(["--since", "1h"]) == [103])
        #expect(try pids(["--since", "3d", "--until", "1h"]) == [101, 102])
        #expect(try pids(["--since", "3d", "--until", "119m"]) == [101, 102])
        #expect(try pids(["--since", rfc3339(now.addingTimeInterval(-50 * 3600)), "--until", rfc3339(now.addingTimeInterval(-48 * 3600))]) == [101])
        let local = DateFormatter()
        local.dateFormat = "yyyy-MM-dd HH:mm"
        #expect(try pids(["--since", local.string(from: now.addingTimeInterval(-3 * 3600))]) == [102, 103])
        #expect(try pids(["--since", "3d", "-p", "102,103", "--outcome", "exited"]) == [102, 103])
        // In words, with the local clock as live.
        let clock = DateFormatter()
        clock.dateFormat = "HH:mm:ss"
        let words = try swtop(["events", "--journal", journal, "--since", "1h"]).stdoutText
        #expect(words == "\(clock.string(from: times[2].date)) 103 job: exited 3\n")
        // Bad input: one line naming it, exit 64.
        let bad = try swtop(["events", "--journal", journal, "--since", "yesterday"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("invalid --since 'yesterday': expected 30s, 10m, 2h, 3d (ago)"))
        let noJournal = try swtop(["events", "--journal", journal + "/nope", "--since", "1h"])
        #expect(noJournal.status == 1)
        #expect(noJournal.stderr.hasPrefix("swtop: cannot open the journal directory \(journal)/nope: No such file or directory"))
    }

    @Test func retentionRemovesOldDaysOnly() throws {
        let journal = Paths.temporaryDirectory("journal-keep")
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let fm = FileManager.default
        let outside = Paths.temporaryDirectory("journal-keep-outside") + "/target"
        defer { try? fm.removeItem(atPath: URL(fileURLWithPath: outside).deletingLastPathComponent().path) }
        try "keep me\n".write(toFile: outside, atomically: false, encoding: .utf8)
        try "{}\n".write(toFile: journal + "/events-2019-01-01.jsonl", atomically: false, encoding: .utf8)
        try "notes\n".write(toFile: journal + "/notes.txt", atomically: false, encoding: .utf8)
        try fm.createSymbolicLink(atPath: journal + "/events-2019-01-02.jsonl", withDestinationPath: outside)
        // Yesterday's file, 2 MiB: over --journal-max-mb 1 with today's.
        let yesterday = journal + "/" + dayFileName(Date().addingTimeInterval(-86_400))
        try Data(repeating: 0x0A, count: 2 << 20).write(to: URL(fileURLWithPath: yesterday))
        let recorder = try startRecorder(journal, marker("keep"), ["--journal-keep-days", "3", "--journal-max-mb", "1"])
        #expect(recorder.terminate() == 0)
        #expect(!fm.fileExists(atPath: journal + "/events-2019-01-01.jsonl"))
        #expect(!fm.fileExists(atPath: yesterday))
        #expect(fm.fileExists(atPath: journal + "/notes.txt"))
        #expect(fm.fileExists(atPath: journal + "/" + dayFileName(Date())))
        // A link is neither followed nor removed.
        #expect((try? fm.destinationOfSymbolicLink(atPath: journal + "/events-2019-01-02.jsonl")) == outside)
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "keep me\n")
    }

    @Test func plantedLinkAndFIFOAreRefused() throws {
        for kind in ["link", "fifo"] {
            let journal = Paths.temporaryDirectory("journal-planted")
            defer { try? FileManager.default.removeItem(atPath: journal) }
            let target = journal + "-target"
            defer { try? FileManager.default.removeItem(atPath: target) }
            _ = FileManager.default.createFile(atPath: target, contents: nil)
            let name = journal + "/" + dayFileName(Date())
            if kind == "link" {
                try FileManager.default.createSymbolicLink(atPath: name, withDestinationPath: target)
            } else {
                #expect(mkfifo(name, 0o600) == 0)
            }
            let mark = marker("planted")
            let recorder = try RecordingProcess(journal: journal, ["-F", mark])
            #expect(waitUntil(30) { recorder.stderr.contains("cannot open the journal file \(name)") || recorder.stderr.contains("cannot append to \(name)") })
            // It goes on printing.
            let pid = try shell("sleep 0.2; exit 6", marker: mark).processIdentifier
            #expect(waitUntil(30) { recorder.stdout.contains("\"pid\":\(pid),") })
            #expect(recorder.terminate() == 0)
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)).isEmpty)
            // Said once. (On a loaded machine the tracepoint's ring may also overflow, which is
            // said on a line of its own and is not what this test is about.)
            let said = recorder.stderr.split(separator: "\n").filter { !$0.contains("signals lost") }
            #expect(said.count == 1, "\(kind): \(recorder.stderr)")
        }
    }

    @Test(.enabled(if: isRoot, "mounting a tmpfs needs root"))
    func fullDiskIsSaidOnceAndCounted() throws {
        let mount = Paths.temporaryDirectory("journal-full")
        defer { try? FileManager.default.removeItem(atPath: mount) }
        let mounted = try run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mount])
        try #require(mounted.status == 0, "mount -t tmpfs failed: \(mounted.stderr)")
        defer { _ = try? run("/bin/umount", [mount]) }
        let journal = mount + "/swtop"
        let mark = marker("full")
        let recorder = try startRecorder(journal, mark)
        // Fill what is left.
        _ = try run("/bin/dd", ["if=/dev/zero", "of=\(mount)/filler", "bs=4096"])
        // Lines longer than a page, so each needs a page the disk no longer has.
        let long = String(repeating: "x", count: 5000)
        var lostPids: [Int32] = []
        for _ in 0..<2 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "sleep 0.2; exit 5", mark, long]
            try p.run()
            p.waitUntilExit()
            lostPids.append(p.processIdentifier)
        }
        #expect(waitUntil(30) { lostPids.allSatisfy { recorder.stdout.contains("\"pid\":\($0),") } })
        #expect(waitUntil(10) { recorder.stderr.contains("No space left on device") })
        try FileManager.default.removeItem(atPath: mount + "/filler")
        let after = try shell("sleep 0.2; exit 7", marker: mark).processIdentifier
        #expect(waitUntil(30) { journalLines(journal).contains { $0.contains("\"pid\":\(after),") } })
        #expect(recorder.terminate() == 0)

        #expect(recorder.stderr.split(separator: "\n").count == 1, "\(recorder.stderr)")
        #expect(recorder.stderr.contains("cannot write the journal \(journal)/"))
        let objects = journalObjects(journal)
        let kinds = objects.map { $0["event"] as? String ?? "?" }
        #expect(kinds == ["recording", "lost", "exit", "recording"])
        #expect(objects[1]["count"] as? Int == 2)
        #expect(objects[1]["cause"] as? String == "journal")
        #expect(objects[2]["pid"] as? Int == Int(after))
        // Reading it back: a torn part of a lost line, if the disk took one, is skipped, said once.
        let read = try swtop(["events", "--since", "1h", "--journal", journal, "--json"])
        #expect(read.status == 0)
        #expect(read.stdoutText.split(separator: "\n").count == 4)
        #expect(read.stderr.split(separator: "\n").count <= 1)
    }

    /// The screen's --journal DIR: a directory the user named must be there (one line, status 1,
    /// before any terminal is touched); it is for the screen only; empty is refused as for events.
    @Test func screenJournalThatIsNotThereIsOneLine() throws {
        let dir = Paths.temporaryDirectory("screen-journal") + "/not-there"
        let missing = try swtop(["--journal", dir])
        #expect(missing.status == 1)
        #expect(missing.stderr == "swtop: cannot open the journal directory \(dir): No such file or directory (nothing was recorded there: see swtop events --record)\n")
        #expect(missing.stdout.isEmpty)
        let once = try swtop(["--once", "--journal", dir])
        #expect(once.status == 64)
        #expect(once.stderr == "swtop: --journal needs the screen (recorded events without it: swtop events --since WHEN --journal DIR)\n")
        let empty = try swtop(["--journal", ""])
        #expect(empty.status == 64)
        #expect(empty.stderr == "swtop: empty --journal\n")
    }

    @Test(.enabled(if: isInstalled("/usr/bin/systemd-analyze"), "systemd-analyze is not installed"))
    func recorderUnitVerifies() throws {
        let dir = Paths.temporaryDirectory("unit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let unit = try String(contentsOfFile: Paths.packageRoot + "/Packaging/swtop-recorder.service", encoding: .utf8)
        // The built binary for the installed one; the man page is checked once installed (CI).
        let here = unit.replacingOccurrences(of: "/usr/bin/swtop", with: Paths.swtop)
            .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("Documentation=") }.joined(separator: "\n")
        try here.write(toFile: dir + "/swtop-recorder.service", atomically: false, encoding: .utf8)
        let verify = try run("/usr/bin/systemd-analyze", ["verify", dir + "/swtop-recorder.service"])
        #expect(verify.status == 0)
        #expect(verify.stderr == "" && verify.stdoutText == "", "\(verify.stderr)")
        for needed in ["NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/log/swtop",
            "CapabilityBoundingSet=CAP_NET_ADMIN CAP_SYS_PTRACE CAP_DAC_READ_SEARCH CAP_SYSLOG CAP_PERFMON CAP_SYS_ADMIN"] {
            #expect(unit.contains("\n" + needed + "\n"), "\(needed)")
        }
    }

    /// The sources `swtop events` finds with the capabilities `caps` alone (setpriv, no new
    /// privileges), in a mount namespace where /sys is read-only and the host's tracefs
    /// mountpoint is an inaccessible directory, as ProtectKernelTunables= leaves them.
    static func sourcesUnderUnit(caps: [String]) throws -> [String] {
        let set = "-all," + caps.map { "+" + $0.dropFirst(4).lowercased() }.joined(separator: ",")
        let script = """
            set -e
            mount --make-rprivate /
            mkdir -p "$1" && chmod 000 "$1"
            mount --bind -o ro /sys /sys && mount -o remount,bind,ro /sys
            mount --bind "$1" /sys/kernel/tracing
            exec timeout 3 setpriv --inh-caps=\(set) --ambient-caps=\(set) --bounding-set=\(set) --no-new-privs "$2" events --json
            """
        let dir = Paths.temporaryDirectory("hidden-tracefs")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let result = try run("/usr/bin/unshare", ["-m", "/bin/bash", "-c", script, "unit", dir + "/inaccessible", Paths.swtop], timeout: 30)
        let first = result.stdout.split(separator: UInt8(ascii: "\n")).first.map { Data($0) } ?? Data()
        let object = (try? JSONSerialization.jsonObject(with: first)) as? [String: Any]
        return try #require(object?["sources"] as? [String], "no start line: \(result.stdoutText.prefix(300)) \(result.stderr)")
    }

    /// The unit's capabilities are enough for every source, the signal tracepoint included
    /// (under the unit's hiding of the host's tracefs); without CAP_PERFMON and CAP_SYS_ADMIN
    /// the tracepoint is missing, which is what they are there for.
    @Test(.enabled(if: isRoot && isInstalled("/usr/bin/setpriv") && isInstalled("/usr/bin/unshare"), "needs root, setpriv and unshare"))
    func recorderUnitCapabilitiesSuffice() throws {
        let unit = try String(contentsOfFile: Paths.packageRoot + "/Packaging/swtop-recorder.service", encoding: .utf8)
        let line = try #require(unit.split(separator: "\n").first { $0.hasPrefix("AmbientCapabilities=") })
        let caps = line.dropFirst("AmbientCapabilities=".count).split(separator: " ").map(String.init)
        #expect(caps == ["CAP_NET_ADMIN", "CAP_SYS_PTRACE", "CAP_DAC_READ_SEARCH", "CAP_SYSLOG", "CAP_PERFMON", "CAP_SYS_ADMIN"])
        let sources = try Self.sourcesUnderUnit(caps: caps)
        #expect(sources == ["proc connector", "kernel log (OOM kills)", "signal tracepoint (senders)", "zombies' stat"])
        let without = try Self.sourcesUnderUnit(caps: caps.filter { $0 != "CAP_PERFMON" && $0 != "CAP_SYS_ADMIN" })
        #expect(without == ["proc connector", "kernel log (OOM kills)", "zombies' stat"])
    }
}
