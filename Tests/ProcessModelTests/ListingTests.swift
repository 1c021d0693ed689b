import Testing
@testable import ProcFS
@testable import ProcessModel

@Suite struct ListingTests {
    @Test func filterByTextIsCaseInsensitiveOverNameAndCommand() throws {
        let s = try hardcases()
        func pids(_ text: String) -> [Int32] { ProcessListing(filter: ProcessFilter(text: text)).rows(of: s.processes).map(\.entry.pid) }
        #expect(pids("CYCLE") == [119, 120])
        #expect(pids("a B") == [101])
        #expect(pids("pwned|cycle-b") == [107, 120])
        #expect(pids("worker process") == [114])
        #expect(pids("splash") == [1])
        #expect(pids(" | ") == s.processes.map(\.pid))
    }

    @Test func filterByPidAndUser() throws {
        let s = try hardcases()
        #expect(ProcessFilter(pids: [1, 109, 4242]).apply(s.processes).map(\.pid) == [1, 109])
        #expect(ProcessFilter(uid: 1000).apply(s.processes).map(\.pid) == [121])
        #expect(ProcessFilter(pids: [121], uid: 0).apply(s.processes).isEmpty)
        let threads = try hardcases(threads: true)
        #expect(ProcessFilter(pids: [122]).apply(threads.processes).map(\.tid) == [122])
        #expect(ProcessFilter(pids: [121]).apply(threads.processes).map(\.tid) == [121, 122])
    }

    @Test func sortKeysAndDirections() {
        let list = [entry(pid: 3, ppid: 0, name: "b", start: 30, utime: 5, rss: 10), entry(pid: 1, ppid: 0, name: "C", start: 10, utime: 50, rss: 30), entry(pid: 2, ppid: 0, name: "a", start: 20, utime: 5, rss: nil)]
        func order(_ key: Column, inverted: Bool = false) -> [Int32] {
            ProcessListing(sortKey: key, inverted: inverted).rows(of: list).map(\.entry.pid)
        }
        #expect(order(.pid) == [1, 2, 3])
        #expect(order(.rss) == [1, 3, 2])  // largest first, unknown last
        #expect(order(.rss, inverted: true) == [2, 3, 1])
        #expect(order(.time) == [1, 2, 3])  // tie between 2 and 3 goes by pid
        #expect(order(.name) == [2, 3, 1])
        #expect(order(.start) == [1, 2, 3])
        #expect(order(.pid, inverted: true) == [3, 2, 1])
    }

    @Test func sortKeyArguments() {
        #expect(Column.named("CPU%") == .cpu)
        #expect(Column.named("res") == .rss)
        #expect(Column.named("virt") == .vsz)
        #expect(Column.named("time+") == .time)
        #expect(Column.named("bogus") == nil)
        #expect(Column.all.allSatisfy { Column.named($0.id) == $0 && Column.named($0.title) == $0 })
    }

    @Test func cpuPercentBetweenTwoSamples() {
        let system = SystemInfo(hostname: "h", uptime: nil, load: nil, cpuTimes: nil, memory: nil, cpus: 2)
        let before = Snapshot(time: 0, monotonic: 100, system: system, processes: [
            entry(pid: 1, ppid: 0, start: 5, utime: 100), entry(pid: 2, ppid: 0, start: 7, utime: 1000),
        ], clockTicksPerSecond: 100)
        var after = Snapshot(time: 2, monotonic: 102, system: system, processes: [
            // 1: 50 ticks in 2 s = 25%. 2: the PID was reused (new start time): all 30 ticks are new.
            entry(pid: 1, ppid: 0, start: 5, utime: 150), entry(pid: 2, ppid: 0, start: 190, utime: 30),
            // 3: started within the interval.
            entry(pid: 3, ppid: 0, start: 150, utime: 100),
        ], clockTicksPerSecond: 100)
        after.computeCPU(since: before)
        #expect(after.interval == 2)
        #expect(after.processes.map(\.cpuPercent) == [25, 15, 50])
    }

    @Test func systemCPUUsage() throws {
        var old = CPUTimes()
        old.user = 100
        old.idle = 100
        var new = old
        new.user = 130
        new.system = 10
        new.nice = 10
        new.idle = 150
        let usage = try #require(CPUUsage(from: old, to: new))
        #expect(usage == CPUUsage(user: 30, nice: 10, system: 10, other: 0))
        #expect(usage.total == 50)
        #expect(CPUUsage(from: new, to: new) == nil)
    }
}

@Suite struct FormatTests {
    @Test func fixed() {
        #expect(Format.fixed(0.04, decimals: 2) == "0.04")
        #expect(Format.fixed(2, decimals: 1) == "2.0")
        #expect(Format.fixed(-1.25, decimals: 1) == "-1.3")
        #expect(Format.fixed(-0.001, decimals: 1) == "0.0")
        #expect(Format.fixed(99.999, decimals: 2) == "100.00")
        #expect(Format.fixed(.nan, decimals: 1) == "-")
    }

    @Test func rfc3339() {
        #expect(Format.rfc3339(1_700_000_000) == "2023-11-14T22:13:20Z")
        #expect(Format.rfc3339(1_700_000_000.999) == "2023-11-14T22:13:20Z")
        #expect(Format.rfc3339(1_700_000_000.25, fractionDigits: 3) == "2023-11-14T22:13:20.250Z")
        #expect(Format.rfc3339(0) == "1970-01-01T00:00:00Z")
    }

    @Test func sizes() {
        #expect(Format.kib(0) == "0K")
        #expect(Format.kib(99_999) == "99999K")
        #expect(Format.kib(100_000) == "97.7M")
        #expect(Format.kib(1_048_576) == "1024M")
        #expect(Format.kib(24_684_100) == "23.5G")
        #expect(Format.kib(2_000_000_000) == "1.86T")
    }

    @Test func cpuTime() {
        #expect(Format.cpuTime(ticks: 0, ticksPerSecond: 100) == "0:00.00")
        #expect(Format.cpuTime(ticks: 18725, ticksPerSecond: 100) == "3:07.25")
        #expect(Format.cpuTime(ticks: 4_353_300, ticksPerSecond: 100) == "12h05:33")
        #expect(Format.cpuTime(ticks: 188_280_000, ticksPerSecond: 100) == "523h")
    }

    @Test func uptimeAndTTY() {
        #expect(Format.uptime(3725.5) == "01:02:05")
        #expect(Format.uptime(90061) == "1 day, 01:01:01")
        #expect(Format.uptime(2 * 86400) == "2 days, 00:00:00")
        #expect(Format.ttyName(0) == nil)
        #expect(Format.ttyName(34819) == "pts/3")
        #expect(Format.ttyName(Int32(136 << 8 | 0) | Int32(1 << 20)) == "pts/256")
        #expect(Format.ttyName(1025) == "tty1")
        #expect(Format.ttyName(1088) == "ttyS0")
    }

    @Test func escapes() {
        #expect(DisplayText.escaped("plain") == "plain")
        #expect(DisplayText.escaped("a\tb\rc\u{7F}\u{85}é") == "a\\tb\\rc\\x7f\\x85é")
        // Bidi controls and other format characters are escaped; the joiners emoji need are not.
        #expect(DisplayText.escaped("x\u{202E}gpj.exe") == "x\\u{202e}gpj.exe")
        #expect(DisplayText.escaped("\u{2066}a\u{2069}\u{200F}\u{61C}\u{200B}\u{FEFF}\u{E0041}\u{AD}") == "\\u{2066}a\\u{2069}\\u{200f}\\u{061c}\\u{200b}\\u{feff}\\u{e0041}\\u{00ad}")
        #expect(DisplayText.escaped("👩\u{200D}💻 a\u{200C}b é 日本") == "👩\u{200D}💻 a\u{200C}b é 日本")
    }
}
