import Foundation
import Testing
import TestSupport

/// `swtop events --unit` and `--container`, live and read back with `--since`: real processes
/// that move themselves into a real cgroup and exec there, as a service manager or a container
/// runtime starts them (a made-up unit and a Docker scope with a made-up id under a scratch
/// slice in the name=systemd hierarchy, the one swtop reads units from on this hybrid machine).
@Suite(.serialized) struct EventCgroupFilterTests {
    static let hierarchy = ContainerLiveTests.systemdHierarchy
    static let canMakeCgroups = ContainerLiveTests.canMakeCgroups

    /// `sh -c` that moves itself into `cgroup`, then execs a shell that ends with `code` (the
    /// marker stays its $0, so in its command line).
    func endInside(_ cgroup: String?, code: Int, marker: String) throws -> Int32 {
        let move = cgroup.map { "echo $$ > \($0)/cgroup.procs && " } ?? ""
        return try shell(move + "exec /bin/sh -c 'sleep 0.1; exit \(code)' \"$0\"", marker: marker).processIdentifier
    }

    @Test(.enabled(if: canMakeCgroups, "needs root and a writable name=systemd hierarchy at /sys/fs/cgroup/systemd"))
    func unitAndContainerChooseEventsLiveAndRecorded() throws {
        let tag = "swtoptest\(getpid())x\(UInt16.random(in: 0...UInt16.max))"
        let id = (0..<4).map { _ in String(format: "%016llx", UInt64.random(in: 1 << 60...UInt64.max)) }.joined()
        let slice = "/\(tag).slice"
        let service = slice + "/\(tag).service"
        let scope = slice + "/docker-\(id).scope"
        var made: [String] = []
        defer { for dir in made.reversed() { _ = waitUntil(10) { rmdir(dir) == 0 || errno == ENOENT } } }
        for dir in [slice, service, scope] {
            guard mkdir(Self.hierarchy + dir, 0o755) == 0 else { throw TestFailure("mkdir \(dir): errno \(errno)") }
            made.append(Self.hierarchy + dir)
        }
        let journal = Paths.temporaryDirectory("journal-cgroup")
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let mark = marker("cg")
        let recorder = try RecordingProcess(journal: journal, ["-F", mark])
        #expect(waitUntil(30) { journalObjects(journal).contains { $0["state"] as? String == "started" } }, "\(recorder.stderr)")
        let byUnit = try EventStream(["-F", mark, "--unit", tag, "--for", "120"])
        defer { byUnit.stop() }
        let byContainer = try EventStream(["-F", mark, "--container", String(id.prefix(12)).uppercased(), "--for", "120"])
        defer { byContainer.stop() }

        // One after the other, so each stream has seen the earlier ones when a later one comes.
        let outside = try endInside(nil, code: 7, marker: mark)
        let inService = try endInside(Self.hierarchy + service, code: 5, marker: mark)
        let inScope = try endInside(Self.hierarchy + scope, code: 6, marker: mark)
        let inServiceAgain = try endInside(Self.hierarchy + service, code: 8, marker: mark)

        func exits(_ stream: EventStream) -> [Int] { stream.all.filter { $0["event"] as? String == "exit" }.compactMap { $0["pid"] as? Int } }
        #expect(byUnit.wait(30) { $0["pid"] as? Int == Int(inServiceAgain) } != nil)
        #expect(exits(byUnit) == [Int(inService), Int(inServiceAgain)])
        #expect(byContainer.wait(30) { $0["pid"] as? Int == Int(inScope) } != nil)
        #expect(exits(byContainer) == [Int(inScope)])

        #expect(waitUntil(30) { recorder.stdout.contains("\"pid\":\(inServiceAgain),") })
        #expect(recorder.terminate() == 0)
        let objects = journalObjects(journal)
        func exit(_ pid: Int32) -> [String: Any] { objects.first { $0["pid"] as? Int == Int(pid) && $0["event"] as? String == "exit" } ?? [:] }
        // The fields, as --once --json names them.
        #expect(exit(inService)["exit_code"] as? Int == 5)
        #expect(exit(inService)["unit"] as? String == "\(tag).service")
        #expect(exit(inService)["cgroup"] as? String == service)
        #expect(exit(inService)["container"] is NSNull)
        #expect(exit(inScope)["unit"] as? String == "docker-\(id).scope")
        #expect(exit(inScope)["cgroup"] as? String == scope)
        let container = exit(inScope)["container"] as? [String: Any]
        #expect(container?["runtime"] as? String == "docker")
        #expect(container?["id"] as? String == id)
        #expect(container?["pod"] is NSNull)
        #expect(exit(outside)["exit_code"] as? Int == 7)
        #expect(exit(outside)["unit"] is NSNull)
        #expect(exit(outside)["container"] is NSNull)

        // Read back: exactly the events chosen, the journal's own lines around them.
        func recorded(_ filter: [String]) throws -> [String] {
            let r = try run(Paths.swtop, ["events", "--since", "10m", "--journal", journal, "--json"] + filter)
            guard r.status == 0 else { throw TestFailure("exit \(r.status): \(r.stderr)") }
            return r.stdoutText.split(separator: "\n").map { line in
                let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
                return "\(object["event"] ?? "?")/\(object["state"] ?? object["pid"] ?? "?")"
            }
        }
        let around = ["recording/started", "recording/stopped"]
        #expect(try recorded(["--unit", "\(tag).service"]) == [around[0], "exit/\(inService)", "exit/\(inServiceAgain)", around[1]])
        #expect(try recorded(["--unit", tag, "--outcome", "exited", "-p", String(inServiceAgain)]) == [around[0], "exit/\(inServiceAgain)", around[1]])
        // A slice chooses the units and containers under it.
        #expect(try recorded(["--unit", "\(tag).slice"]) == [around[0], "exit/\(inService)", "exit/\(inScope)", "exit/\(inServiceAgain)", around[1]])
        #expect(try recorded(["--container", String(id.prefix(12))]) == [around[0], "exit/\(inScope)", around[1]])
        #expect(try recorded(["--container", id]) == [around[0], "exit/\(inScope)", around[1]])
        #expect(try recorded(["--unit", "nosuch-\(tag)"]) == around)
        // In words, the same choice.
        let words = try run(Paths.swtop, ["events", "--since", "10m", "--journal", journal, "--container", String(id.prefix(12))])
        let lines = words.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.count == 3 && lines[1].contains(" \(inScope) sh: exited 6 after "))
    }

    @Test func emptyUnitOrContainerIsRefused() throws {
        for option in ["--unit", "--container"] {
            let r = try run(Paths.swtop, ["events", option, ""])
            #expect(r.status != 0)
            #expect(r.stderr.contains("empty \(option)"))
        }
    }
}
