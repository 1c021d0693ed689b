import Testing
@testable import ProcFS

/// A stat line as the kernel writes it, with 52 fields.
func statLine(pid: Int32 = 42, comm: [UInt8], rest: String = "S 1 42 42 34819 -1 4194560 11 0 0 0 150 50 0 0 20 0 3 0 12345 8388608 100 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 768") -> [UInt8] {
    Array("\(pid) (".utf8) + comm + Array(") \(rest)\n".utf8)
}

@Suite struct ProcStatTests {
    @Test func commWithClosingParenInside() throws {
        let stat = try #require(ProcStat.parse(statLine(comm: Array(") R 1 2 (".utf8))))
        #expect(stat.comm == Array(") R 1 2 (".utf8))
        #expect(stat.state == UInt8(ascii: "S"))
        #expect(stat.ppid == 1)
        #expect(stat.pgrp == 42)
        #expect(stat.session == 42)
        #expect(stat.ttyNr == 34819)
    }

    @Test func allFieldsOfAFullLine() throws {
        let stat = try #require(ProcStat.parse(statLine(comm: Array("bash".utf8))))
        #expect(stat == ProcStat(
            pid: 42, comm: Array("bash".utf8), state: UInt8(ascii: "S"), ppid: 1, pgrp: 42, session: 42,
            ttyNr: 34819, flags: 4_194_560, utime: 150, stime: 50, priority: 20, nice: 0, numThreads: 3,
            startTime: 12345, vsize: 8_388_608, rss: 100, processor: 1, exitCode: 768))
        #expect(!stat.isKernelThread)
    }

    @Test func commWithNewlineSpacesAndParens() throws {
        for name in ["line1\nline2", "a b  c", "(", ")", "((x))", "", "x) S 1 (y"] {
            let stat = try #require(ProcStat.parse(statLine(comm: Array(name.utf8))), "\(name)")
            #expect(stat.comm == Array(name.utf8))
            #expect(stat.ppid == 1)
        }
    }

    @Test func commWithInvalidUTF8AndEscapes() throws {
        let bytes: [UInt8] = [0x62, 0xFF, 0xFE, 0x1B, 0x5B, 0x32, 0x4A]
        let stat = try #require(ProcStat.parse(statLine(comm: bytes)))
        #expect(stat.comm == bytes)
    }

    @Test func negativeNiceAndPriority() throws {
        let rest = "S 2 0 0 0 -1 69238880 0 0 0 0 0 0 0 0 -51 -20 1 0 3 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 0 50 1 0 0 0 0 0 0 0 0 0 0 0"
        let stat = try #require(ProcStat.parse(statLine(comm: Array("irq/9-acpi".utf8), rest: rest)))
        #expect(stat.priority == -51)
        #expect(stat.nice == -20)
        #expect(stat.isKernelThread)
        #expect(stat.exitCode == 0)
    }

    @Test func olderKernelWithFewerFields() throws {
        // 2.6.32 wrote 44 fields: no exit_code.
        let rest = "S 1 7 7 0 -1 4202752 0 0 0 0 1 2 0 0 20 0 1 0 99 1000 10 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0"
        let stat = try #require(ProcStat.parse(statLine(pid: 7, comm: Array("old".utf8), rest: rest)))
        #expect(stat.processor == 1)
        #expect(stat.exitCode == nil)
        #expect(stat.startTime == 99)
        #expect(stat.rss == 10)
    }

    @Test func newerKernelWithMoreFields() throws {
        let stat = try #require(ProcStat.parse(statLine(comm: Array("new".utf8), rest: "S 1 42 42 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 6 7 0 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 3 99 98 97")))
        #expect(stat.exitCode == 3)
        #expect(stat.vsize == 6)
    }

    @Test func rejectsWhatIsNotAStatLine() {
        #expect(ProcStat.parse([]) == nil)
        #expect(ProcStat.parse(Array("42 (x".utf8)) == nil)
        #expect(ProcStat.parse(Array("42 (x) S 1 2 3".utf8)) == nil)
        #expect(ProcStat.parse(Array("abc (x) S 1 42 42 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 6 7".utf8)) == nil)
        #expect(ProcStat.parse(Array("0 (x) S 1 42 42 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 6 7".utf8)) == nil)
        // A number too big for its field.
        #expect(ProcStat.parse(Array("42 (x) S 99999999999 42 42 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 6 7".utf8)) == nil)
        #expect(ProcStat.parse(Array("42 (x) S 1 42 42 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 6 99999999999999999999999".utf8)) == nil)
        // Two letters where the state belongs.
        #expect(ProcStat.parse(Array("42 (x) SS 1 42 42 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 6 7".utf8)) == nil)
        // ')' before '('.
        #expect(ProcStat.parse(Array("42 )x( S 1 42 42 0 -1 0 0 0 0 0 1 2 0 0 20 0 1 0 5 6 7".utf8)) == nil)
    }

    @Test func everyPrefixOfALineIsSafe() {
        // Truncation anywhere must give nil or a value, never a trap.
        let line = statLine(comm: Array(") R 1 2 (".utf8))
        var parsed = 0
        for n in 0...line.count where ProcStat.parse(Array(line.prefix(n))) != nil { parsed += 1 }
        // Parses once the rss field (24) is complete: from its last digit to the end.
        #expect(parsed > 0 && parsed < line.count / 2)
    }
}
