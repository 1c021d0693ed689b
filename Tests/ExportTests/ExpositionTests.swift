import Foundation
import ProcFS
@testable import PrometheusExport
import Testing
import TestSupport

@Suite struct ExpositionTests {
    /// The recorded zombies tree, grouped by command name.
    func zombiesExposition(_ settings: ExportSettings = ExportSettings(groupBy: .name)) throws -> String {
        let exporter = try MetricsExporter(root: Paths.fixture("zombies"), settings: settings)
        return String(decoding: try exporter.exposition(), as: UTF8.self)
    }

    @Test func groupFiguresOfARecordedTree() throws {
        let text = try zombiesExposition()
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        // Five bash processes: four sleeping, one stopped (15615).
        #expect(sampleValue(text, #"swtop_group_processes{group="bash",state="sleeping"}"#) == 4)
        #expect(sampleValue(text, #"swtop_group_processes{group="bash",state="stopped"}"#) == 1)
        #expect(sampleValue(text, #"swtop_group_num_procs{group="bash"}"#) == 5)
        // utime 1+2 and stime 8 ticks, at 100 ticks a second.
        #expect(sampleValue(text, #"swtop_group_cpu_seconds_total{group="bash",mode="user"}"#) == 0.03)
        #expect(sampleValue(text, #"swtop_group_cpu_seconds_total{group="bash",mode="system"}"#) == 0.08)
        #expect(sampleValue(text, #"swtop_group_resident_memory_bytes{group="bash"}"#) == (1029 + 993 + 725 + 580 + 153) * page)
        #expect(sampleValue(text, #"swtop_group_virtual_memory_bytes{group="bash"}"#) == Double(5488640 + 5124096 + 5488640 + 4960256 + 4960256))
        #expect(sampleValue(text, #"swtop_group_threads{group="bash"}"#) == 5)
        // btime 1795264896 and the oldest bash's start, 4114 ticks after boot.
        #expect(sampleValue(text, #"swtop_group_oldest_start_time_seconds{group="bash"}"#) == 1795264937.14)
        // sleep 15614 holds its two exited children.
        #expect(sampleValue(text, #"swtop_group_processes{group="sleep",state="zombie"}"#) == 2)
        #expect(sampleValue(text, #"swtop_zombie_children{parent_pid="15614",parent="sleep"}"#) == 2)
        // Kernel threads are one group, whatever their names.
        #expect(sampleValue(text, #"swtop_group_processes{group="[kernel]",state="idle"}"#) == 36)
        #expect(!text.contains("group=\"kworker"))
        #expect(sampleValue(text, "swtop_readings_total") == 1)
        #expect(sampleValue(text, "swtop_scrape_processes") == 71)
    }

    @Test func everyFamilyHasHelpAndType() throws {
        let text = try zombiesExposition(ExportSettings(groupBy: .name, perProcess: true, top: 3))
        var declared: Set<String> = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") { declared.insert(String(line.split(separator: " ")[2])) }
            if line.hasPrefix("#") { continue }
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            #expect(name.hasPrefix("swtop_"))
            #expect(declared.contains(name), "\(name) has no TYPE line before it")
        }
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("# HELP ") }.count == declared.count)
    }

    @Test func perProcessTopByMemory() throws {
        let text = try zombiesExposition(ExportSettings(groupBy: .name, perProcess: true, top: 2, topBy: .memory))
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("swtop_process_resident_memory_bytes{") }
        // The two largest RSS: swtop 15619 (3668 pages), process_api 1 (2560).
        #expect(rows.count == 2)
        #expect(sampleValue(text, #"swtop_process_resident_memory_bytes{pid="15619",name="swtop",group="swtop"}"#) == 3668 * page)
        #expect(sampleValue(text, #"swtop_process_resident_memory_bytes{pid="1",name="process_api",group="process_api"}"#) == 2560 * page)
    }

    /// Names are untrusted: a comm can hold quotes, backslashes and newlines.
    @Test func labelValuesAreEscaped() {
        var out = Exposition()
        out.family("swtop_test", .gauge, help: "A test.")
        out.sample("swtop_test", ["group": "a\"b\\c\nd"], 1.5)
        out.sample("swtop_test", ["group": "x"], 3)
        #expect(String(decoding: out.bytes, as: UTF8.self) == """
            # HELP swtop_test A test.
            # TYPE swtop_test gauge
            swtop_test{group="a\\"b\\\\c\\\\nd"} 1.5
            swtop_test{group="x"} 3

            """)
    }

    /// A group's CPU counter does not drop when one of its processes exits.
    @Test func groupCPUNeverGoesBackwards() {
        func process(_ pid: Int32, _ user: UInt64) -> ProcessFigures {
            ProcessFigures(
                key: ProcessKey(id: pid, startTicks: 100), ppid: 1, name: "w", state: .sleeping, isKernelThread: false,
                userTicks: user, systemTicks: 0, ticksPerSecond: 100, residentBytes: 0, virtualBytes: 0, threads: 1,
                openFiles: nil, startTime: nil, uid: nil)
        }
        let counters = CPUCounters()
        _ = counters.update([process(10, 50), process(11, 70)], groups: ["w", "w"])
        #expect(counters.totals["w"]?.user == 120)
        // 11 exits; 10 runs 5 more ticks; 12 starts with 3.
        let used = counters.update([process(10, 55), process(12, 3)], groups: ["w", "w"])
        #expect(used == [5, 3])
        #expect(counters.totals["w"]?.user == 128)
        // A reused pid (another start time) is a new process, not a drop.
        var reused = process(10, 1)
        reused.key = ProcessKey(id: 10, startTicks: 900)
        _ = counters.update([reused], groups: ["w"])
        #expect(counters.totals["w"]?.user == 129)
    }

    /// A group that lived long enough is reported at 0 when it ends; a brief one disappears.
    @Test func establishedGroupEndsAtZero() throws {
        let exporter = try MetricsExporter(root: Paths.fixture("zombies"), settings: ExportSettings(groupBy: .name, establishedAfter: 60))
        func reading(_ names: [String], at time: Double) -> ProcessReading {
            let processes = names.enumerated().map { i, name in
                ProcessFigures(
                    key: ProcessKey(id: Int32(100 + i), startTicks: 1), ppid: 1, name: name, state: .sleeping, isKernelThread: false,
                    userTicks: 0, systemTicks: 0, ticksPerSecond: 100, residentBytes: 0, virtualBytes: 0, threads: 1,
                    openFiles: nil, startTime: nil, uid: nil)
            }
            return ProcessReading(processes: processes, time: time, duration: 0, ticksPerSecond: 100)
        }
        _ = exporter.exposition(of: reading(["nginx", "grep"], at: 1000))
        _ = exporter.exposition(of: reading(["nginx"], at: 1030))
        _ = exporter.exposition(of: reading(["nginx"], at: 1060))
        let text = String(decoding: exporter.exposition(of: reading([], at: 1090)), as: UTF8.self)
        #expect(sampleValue(text, #"swtop_group_num_procs{group="nginx"}"#) == 0)
        #expect(!text.contains(#"group="grep""#))
    }
}
