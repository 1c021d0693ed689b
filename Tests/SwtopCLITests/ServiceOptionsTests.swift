import Foundation
import Testing
import TestSupport

/// `--unit`, `--container` and `--group-by cgroup` on Fixtures/proc/containers.
@Suite struct ServiceOptionsTests {
    func pids(_ extra: [String]) throws -> [Int] {
        processes(try replayJSON(extra, fixture: "containers")).compactMap { $0["pid"] as? Int }
    }

    @Test func unitAndContainerFilters() throws {
        #expect(try pids(["--unit", "nginx"]) == [10])
        #expect(try pids(["--unit", "user.slice"]) == [17, 18])
        #expect(try pids(["--container", "3f4e8a1c2b9d"]) == [11, 20, 30, 31, 32])
        #expect(try pids(["--container", "web01"]) == [15])
        // Nothing matches both: as ps, exit status 1 (and no process in the document).
        let none = try swtop(["--once", "--json", "--container", "web01", "--unit", "nginx", "--proc-root", Paths.fixture("containers")])
        #expect(none.status == 1)
        // The text filter matches the unit too.
        #expect(try pids(["-F", "getty@"]) == [36])
    }

    @Test func groupByCgroupGivesDepth() throws {
        let doc = try replayJSON(["--group-by", "cgroup"], fixture: "containers")
        let rows = processes(doc).map { "\($0["pid"] as? Int ?? -1):\($0["depth"] as? Int ?? -1)" }
        #expect(rows.prefix(5) == ["37:0", "31:2", "32:2", "1:1", "33:4"])
        #expect(rows.suffix(2) == ["21:0", "22:0"])
        let node = try #require(process(doc, 11))
        let container = try #require(node["container"] as? [String: Any])
        #expect(container["runtime"] as? String == "docker")
        #expect(node["pid_namespace_init"] as? Bool == true)
        #expect(node["zombie_children"] as? Int == 1)
    }

    /// The table heads each group with its path (escaped) and adds CONTAINER and UNIT.
    @Test func groupByCgroupTable() throws {
        let r = try swtop(["--once", "--group-by", "cgroup", "--proc-root", Paths.fixture("containers")])
        #expect(r.status == 0)
        let lines = r.stdoutText.split(separator: "\n").map(String.init)
        let title = try #require(lines.first { $0.contains("PID USER") })
        #expect(title.hasSuffix("CONTAINER      UNIT                     Command"))
        let heading = try #require(lines.firstIndex(of: "── /system.slice/nginx.service"))
        #expect(lines[heading + 1].hasPrefix("     10 root"))
        #expect(lines.contains("── /system.slice/ev\\x1b[31mil\u{FFFD}.service"))
    }

    @Test func badGroupByAndTreeAreRefused() throws {
        #expect(try swtop(["--once", "--group-by", "unit"]).status != 0)
        #expect(try swtop(["--once", "--group-by", "cgroup", "--tree"]).status != 0)
    }
}
