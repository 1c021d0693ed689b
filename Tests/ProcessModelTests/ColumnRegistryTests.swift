#if canImport(Glibc)
import Glibc
#endif
import ProcFS
import Testing
@testable import ProcessModel

/// The one table of columns: what every reader of it (screen, table, JSON, --sort-key) relies on.
@Suite struct ColumnRegistryTests {
    @Test func idsTitlesAndJSONNamesAreUnique() {
        let ids = Column.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        let titles = Column.all.map { $0.title.lowercased() }
        #expect(Set(titles).count == titles.count)
        let fields = Column.all.flatMap { $0.json.map(\.name) }
        #expect(fields == [
            "pid", "tid", "ppid", "pgid", "sid", "tty", "uid", "user", "name", "cmdline", "kernel_thread",
            "state", "state_name", "threads", "priority", "nice", "rss_kb", "vsz_kb", "mem_percent",
            "cpu_percent", "cpu_time_s", "start_time",
            "cgroup", "unit", "container", "ns_pid", "pid_namespace_init", "zombie_children",
            "io_read_bps", "io_write_bps", "io_read_bytes", "io_write_bytes", "oom_score", "oom_score_adj",
        ])
    }

    @Test func noNameMeansTwoColumns() {
        var seen: [String: String] = [:]
        for column in Column.all {
            for name in [column.id, column.title.lowercased()] + column.aliases {
                #expect(seen[name] == nil || seen[name] == column.id, "\(name) names \(seen[name] ?? "") and \(column.id)")
                seen[name] = column.id
            }
        }
    }

    @Test func filesEachColumnNeeds() {
        #expect(Column.files(for: [.pid, .state, .time, .cpu]) == [])
        #expect(Column.files(for: [.user]) == .status)
        // stat has RSS and the virtual size (ps reads stat alone for them).
        #expect(Column.files(for: [.rss, .vsz, .mem, .command]) == [.cmdline])
        #expect(Column.files(for: Column.defaults) == [.status, .cmdline])
    }

    @Test func cellsOfTheNewColumns() {
        // pid 7: pgrp 7, session 7, no terminal (ProcessTreeTests' entry).
        let p = entry(pid: 7, name: "worker", start: 250)
        #expect(Column.pgid.text(p) == "7")
        #expect(Column.sid.text(p) == "7")
        #expect(Column.tty.text(p) == "?")
        #expect(Column.name.text(p) == "worker")
        #expect(Column.uid.text(p) == "?")
        #expect(Column.tid.text(p) == "-")
        #expect(Column.start.text(p) == "-")
        #expect(Column.tty.padded("pts/3") == "pts/3   ")
        #expect(Column.pgid.padded("12345678") == "12345678")
        #expect(Column.name.padded("a-very-long-process") == "a-very-long-pro")
    }

    @Test func startTimeAsPsShowsIt() {
        // Local time: the test sets the zone so the figures are exact.
        setenv("TZ", "UTC", 1)
        tzset()
        let now = 1_700_000_000.0  // 2023-11-14 22:13:20 UTC
        #expect(Format.startTime(now - 3600, now: now) == "21:13")
        #expect(Format.startTime(now - 2 * 86_400, now: now) == "Nov12")
        #expect(Format.startTime(now - 400 * 86_400, now: now) == "2022")
        #expect(Format.startTime(.infinity, now: now) == "-")
    }

    @Test func sortByANewColumn() {
        let list = [entry(pid: 3, ppid: 1), entry(pid: 1, ppid: 2), entry(pid: 2, ppid: 0)]
        #expect(ProcessListing(sortKey: .ppid).rows(of: list).map(\.entry.pid) == [2, 3, 1])
        #expect(ProcessListing(sortKey: .pgid, inverted: true).rows(of: list).map(\.entry.pid) == [3, 2, 1])
        #expect(Column.named("PGRP") == .pgid)
        #expect(Column.named("session") == .sid)
    }
}
