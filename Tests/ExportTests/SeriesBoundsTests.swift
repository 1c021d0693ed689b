import Foundation
@testable import PrometheusExport
import Testing
import TestSupport

/// Every `name{labels}` that occurs more than once in an exposition. node_exporter refuses a
/// textfile, and Prometheus a scrape, over one; promtool does not check it.
func duplicateSeries(_ exposition: String) -> [String] {
    var seen: Set<Substring> = []
    var repeated: [String] = []
    for line in exposition.split(separator: "\n") where !line.hasPrefix("#") {
        guard let space = line.lastIndex(of: " ") else { continue }
        if !seen.insert(line[..<space]).inserted { repeated.append(String(line[..<space])) }
    }
    return repeated
}

/// The series of one family in an exposition, and the values of one label in them.
func series(_ exposition: String, _ family: String) -> [Substring] {
    exposition.split(separator: "\n").filter { $0.hasPrefix(family + "{") || $0.hasPrefix(family + " ") }
}

func labelValues(_ lines: [Substring], _ label: String) -> [String] {
    lines.compactMap { line in
        guard let start = line.range(of: label + "=\"") else { return nil }
        var value = ""
        var escaped = false
        for c in line[start.upperBound...] {
            if escaped {
                value.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
                value.append(c)
            } else if c == "\"" {
                break
            } else {
                value.append(c)
            }
        }
        return value
    }
}

/// Bounded, unique series, and label values that cannot spoof (issue 17, items 6 and 9).
@Suite(.serialized) struct SeriesBoundsTests {
    // MARK: label values

    @Test func labelValuesMakeControlAndFormatCharactersVisible() {
        #expect(LabelText.clean("nginx") == "nginx")
        #expect(LabelText.clean("\u{1B}]0;pwned\u{7}\r") == "\\x1b]0;pwned\\x07\\r")
        #expect(LabelText.clean("x\u{202E}gpj.exe") == "x\\u202egpj.exe")
        #expect(LabelText.clean("a\u{200B}b\u{2028}c\u{FEFF}\u{85}") == "a\\u200bb\\u2028c\\ufeff\\x85")
        #expect(LabelText.clean("tab\there\nnext") == "tab\\there\\nnext")
        // Cleaning a clean value changes nothing: series are merged by it.
        let hostile = "\u{1B}[31m\u{202E}x" + String(repeating: "é", count: 200)
        #expect(LabelText.clean(LabelText.clean(hostile)) == LabelText.clean(hostile))
    }

    @Test func longLabelValuesAreCutOnACharacterBoundary() {
        let long = String(repeating: "é", count: 100)  // 200 bytes
        let cut = LabelText.clean(long)
        #expect(cut.utf8.count == 127)  // 62 whole é (124 bytes), then "..."
        #expect(cut == String(repeating: "é", count: 62) + "...")
        let argument = "/bin/sh -c run " + String(repeating: "x", count: 131_000)
        #expect(LabelText.clean(argument) == String(argument.prefix(125)) + "...")
        // An escape is never cut in half.
        let escapes = String(repeating: "\u{1B}", count: 40)
        #expect(LabelText.clean(escapes) == String(repeating: "\\x1b", count: 31) + "...")
    }

    @Test func samplesWithTheSameLabelsAreMergedByTheFamilysRule() {
        var out = Exposition()
        out.family("swtop_a", .gauge, help: "Sum.")
        out.sample("swtop_a", ["group": "x"], 1)
        out.sample("swtop_a", ["group": "y"], 5)
        out.sample("swtop_a", ["group": "x"], 2)
        out.family("swtop_b", .gauge, help: "Flag.", merge: .max)
        out.sample("swtop_b", ["command": "c" + String(repeating: "z", count: 200)], 1)
        out.sample("swtop_b", ["command": "c" + String(repeating: "z", count: 300)], 1)
        out.family("swtop_c", .gauge, help: "Start.", merge: .min)
        out.sample("swtop_c", ["group": "\u{1B}"], 20)
        out.sample("swtop_c", ["group": "\\x1b"], 10)
        let text = String(decoding: out.bytes, as: UTF8.self)
        #expect(duplicateSeries(text).isEmpty, "\(duplicateSeries(text))")
        #expect(sampleValue(text, #"swtop_a{group="x"}"#) == 3)
        #expect(sampleValue(text, #"swtop_a{group="y"}"#) == 5)
        #expect(series(text, "swtop_b").count == 1)
        #expect(sampleValue(text, #"swtop_c{group="\\x1b"}"#) == 10)
    }

    @Test func groupSlotsAreBoundedAndStable() {
        var slots = GroupSlots(limit: 2)
        #expect(slots.assign(["a", "b", "b", "c", "c", "c"], keep: []) == ["other", "b", "b", "c", "c", "c"])
        // b and c keep their slots while present; a stays in other.
        #expect(slots.assign(["a", "a", "a", "a", "b", "c"], keep: []) == ["other", "other", "other", "other", "b", "c"])
        // b is gone: its slot goes to the largest newcomer.
        #expect(slots.assign(["a", "d", "d", "c"], keep: []) == ["other", "d", "d", "c"])
        // A group kept for its end (reported at 0) keeps its slot.
        #expect(slots.assign(["a"], keep: ["d", "c"]) == ["other"])
    }

    // MARK: real processes

    /// A user process that names itself `[kernel]` (its executable is a link by that name) is
    /// not a kernel thread: kernel threads are those with PF_KTHREAD in `stat`'s flags. The
    /// exposition, `--once --json` and a recorded tree of it all say so.
    @Test func aProcessNamedKernelIsNotAKernelThread() throws {
        let children = Children()
        let impostor = try children.sleeper(named: "[kernel]")
        let pid = impostor.processIdentifier
        #expect(waitUntil { String(decoding: fileBytes("/proc/\(pid)/comm") ?? [], as: UTF8.self) == "[kernel]\n" })
        let tree = Paths.temporaryDirectory("impostor") + "/tree"
        let recorded = try run(Paths.swtop, ["record", tree])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        for root in ["/proc", tree] {
            let export = try run(Paths.swtop, ["export", "--proc-root", root, "--group-by", "name"])
            #expect(export.status == 0, "\(root): \(export.stderr)")
            let text = export.stdoutText
            #expect(sampleValue(text, #"swtop_group_num_procs{group="[kernel] (user process)"}"#) == 1, "\(root)")
            // Kernel threads have no memory of their own: the impostor's did not join them.
            #expect(sampleValue(text, #"swtop_group_resident_memory_bytes{group="[kernel]"}"#) == 0, "\(root)")
            #expect((sampleValue(text, #"swtop_group_resident_memory_bytes{group="[kernel] (user process)"}"#) ?? 0) > 0, "\(root)")
            let once = try run(Paths.swtop, ["--proc-root", root, "--once", "--json"])
            let processes = try #require(try jsonObject(once.stdout)["processes"] as? [[String: Any]])
            let entry = try #require(processes.first { ($0["pid"] as? Int) == Int(pid) }, "\(root): no \(pid)")
            #expect(entry["kernel_thread"] as? Bool == false, "\(root): \(entry)")
            #expect(processes.contains { ($0["kernel_thread"] as? Bool) == true && ($0["pid"] as? Int) == 2 }, "\(root): kthreadd")
        }
    }

    /// A process named with an escape sequence, BEL, CR and a right-to-left override: the
    /// exposition carries them as visible text only (what a terminal showing `swtop export`
    /// gets), and promtool reads it.
    @Test func hostileNamesReachTheExpositionAsVisibleText() throws {
        let children = Children()
        let name = "\u{1B}]0;pwn\u{7}\r\u{202E}x"
        let child = try children.sleeper(named: name)
        let pid = child.processIdentifier
        #expect(waitUntil { (fileBytes("/proc/\(pid)/comm") ?? []).count == name.utf8.count + 1 })
        let export = try run(Paths.swtop, ["export", "--group-by", "name", "--per-process", "--top", "10000"])
        #expect(export.status == 0)
        let bytes = [UInt8](export.stdout)
        #expect(!bytes.contains { ($0 < 0x20 && $0 != 0x0A) || $0 == 0x7F })
        #expect(!export.stdoutText.unicodeScalars.contains { $0.properties.generalCategory == .format })
        #expect(sampleValue(export.stdoutText, #"swtop_group_num_procs{group="\\x1b]0;pwn\\x07\\r\\u202ex"}"#) == 1)
        #expect(duplicateSeries(export.stdoutText).isEmpty)
    }

    /// 3,000 processes with distinct names come and go, 300 at a time, under an exporter with
    /// --max-groups 20: no family has more than 20 groups of its own plus `other`, the rest
    /// are counted under `other`, and no series repeats.
    @Test func threeThousandNamesStayWithinMaxGroups() throws {
        let port = try freePort()
        let server = try Server(exporterPath, ["--listen", "127.0.0.1:\(port)", "--group-by", "name", "--max-groups", "20"], label: "exporter")
        defer { server.stop() }
        try server.waitReady(port: port, path: "/metrics")
        let directory = Paths.temporaryDirectory("names")
        var seenLive = 0
        for batch in 0..<10 {
            let folder = directory + "/\(batch)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for i in 0..<300 {
                try FileManager.default.createSymbolicLink(atPath: folder + "/swtopn\(batch * 300 + i)", withDestinationPath: "/bin/sleep")
            }
            // One shell starts them and leaves; they are then init's to reap.
            let names = Set((0..<300).map { i in "swtopn\(batch * 300 + i)" })
            let shell = try Shell("for f in '\(folder)'/*; do \"$f\" 600 </dev/null >/dev/null 2>&1 & done")
            #expect(shell.wait() == 0)
            let kids = { livePIDs(named: names) }
            #expect(waitUntil { kids().count == 300 })
            let text = try httpGet(port: port, "/metrics").body
            #expect(duplicateSeries(text).isEmpty, "\(duplicateSeries(text).prefix(5))")
            for family in ["swtop_group_num_procs", "swtop_group_cpu_seconds_total", "swtop_group_resident_memory_bytes", "swtop_exits_total"] {
                let groups = Set(labelValues(series(text, family), "group"))
                #expect(groups.count <= 21, "\(family): \(groups.count) groups")
            }
            let own = series(text, "swtop_group_num_procs").filter { $0.contains("group=\"swtopn") }.count
            let other = sampleValue(text, #"swtop_group_num_procs{group="other"}"#) ?? 0
            #expect(other >= Double(300 - own), "batch \(batch): \(own) own groups, \(other) in other")
            seenLive += 300
            for kid in kids() { kill(kid, SIGKILL) }
            #expect(waitUntil { kids().isEmpty })
        }
        #expect(seenLive == 3000)
        // Every end was counted, under a group of its own or under other.
        var text = ""
        #expect(waitUntil {
            text = (try? httpGet(port: port, "/metrics").body) ?? ""
            let killed = series(text, "swtop_exits_total").filter { $0.contains("outcome=\"killed\"") }
            let ours = killed.filter { $0.contains("group=\"swtopn") || $0.contains("group=\"other\"") }
            return ours.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +) >= 3000
        }, "exits: \(series(text, "swtop_exits_total").prefix(30))")
        #expect(Set(labelValues(series(text, "swtop_exits_total"), "group")).count <= 21)
        #expect(series(text, "swtop_exits_total").count <= 21 * 5)
        #expect(duplicateSeries(text).isEmpty)
    }

    /// The same failing command restarted by two parents is two crash loops with the same
    /// labels: one series. Its 128 KB argument is cut to the label length.
    @Test func twoLoopsOfOneCommandAreOneSeriesWithACutCommand() throws {
        let port = try freePort()
        let server = try Server(exporterPath, ["--listen", "127.0.0.1:\(port)", "--group-by", "name"], label: "exporter")
        defer { server.stop() }
        try server.waitReady(port: port, path: "/metrics")
        let big = String(repeating: "y", count: 130_000)
        let script = "for i in 1 2 3 4 5 6; do /bin/sh -c 'sleep 0.4; exit 3' swtoploop \(big); done; exec sleep 600"
        let parents = try (0..<2).map { _ in try Shell(script) }
        defer { for parent in parents { parent.kill() } }
        var text = ""
        let looping = waitUntil(60) {
            text = (try? httpGet(port: port, "/metrics").body) ?? ""
            return series(text, "swtop_crash_looping").contains { $0.contains("swtoploop") }
        }
        #expect(looping, "no crash loop: \(series(text, "swtop_crash_looping"))")
        let loops = series(text, "swtop_crash_looping").filter { $0.contains("swtoploop") }
        #expect(loops.count == 1, "\(loops)")
        let command = try #require(labelValues(loops, "command").first)
        #expect(command == String(("/bin/sh -c sleep 0.4; exit 3 swtoploop " + big).prefix(125)) + "...")
        #expect(duplicateSeries(text).isEmpty)
    }
}

/// `/bin/sh -c SCRIPT`, started with posix_spawn and an empty signal mask, and reaped here.
/// Foundation's Process hands its children the test runner's blocked signals (SIGCHLD among
/// them: a shell that waits for its own children then never does), and its waitUntilExit hung
/// on a shell whose children outlived it.
final class Shell {
    let pid: pid_t
    private var reaped = false

    init(_ script: String) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let words: [String] = ["/bin/sh", "-c", script]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { word in strdup(word) } + [nil]
        defer { for a in argv { free(a) } }
        var child: pid_t = 0
        let code = posix_spawn(&child, "/bin/sh", nil, &attributes, argv, environ)
        guard code == 0 else { throw TestFailure("posix_spawn: \(code)") }
        pid = child
    }

    /// Its exit status (waitpid).
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = true
        return (status >> 8) & 0xFF
    }

    func kill() {
        guard !reaped else { return }
        Glibc.kill(pid, SIGKILL)
        _ = wait()
    }

    deinit { kill() }
}

/// The pids of the live (not zombie) processes whose names are in `names`, from /proc.
func livePIDs(named names: Set<String>) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.filter { pid in
        guard let stat = fileBytes("/proc/\(pid)/stat"), let open = stat.firstIndex(of: UInt8(ascii: "(")),
            let close = stat.lastIndex(of: UInt8(ascii: ")")), close + 2 < stat.count
        else { return false }
        return names.contains(String(decoding: stat[(open + 1)..<close], as: UTF8.self)) && stat[close + 2] != UInt8(ascii: "Z")
    }
}
