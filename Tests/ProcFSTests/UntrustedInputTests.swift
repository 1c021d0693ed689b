import Foundation
import Testing
import TestSupport
@testable import ProcFS

/// Nothing in /proc may trap: every parser takes random mutations of real files and returns a value
/// or nil. The generator is seeded, so a failure repeats.
@Suite struct UntrustedInputTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let interesting: [UInt8] = Array(" ()\n\0-+9:\t".utf8) + [0xFF, 0x1B]

    func mutations(of seed: [UInt8], count: Int, rng: inout SplitMix) -> [[UInt8]] {
        (0..<count).map { _ in
            var b = seed
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                switch Int.random(in: 0..<4, using: &rng) {
                case 0 where !b.isEmpty: b[Int.random(in: 0..<b.count, using: &rng)] = Self.interesting.randomElement(using: &rng) ?? 0
                case 1 where !b.isEmpty: b.remove(at: Int.random(in: 0..<b.count, using: &rng))
                case 2: b.insert(Self.interesting.randomElement(using: &rng) ?? 0, at: Int.random(in: 0...b.count, using: &rng))
                default: b = Array(b.prefix(Int.random(in: 0...b.count, using: &rng)))
                }
            }
            return b
        }
    }

    @Test func parsersNeverTrapOnMutatedFiles() throws {
        var rng = SplitMix(state: 2026)
        let root = Paths.fixture("hardcases")
        let files = ["1/stat", "1/statm", "1/status", "1/cmdline", "1/limits", "stat", "meminfo", "loadavg", "uptime"]
        var parsed = 0
        for file in files {
            let seed = try #require(fileBytes(root + "/" + file))
            for bytes in mutations(of: seed, count: 400, rng: &rng) {
                if ProcStat.parse(bytes) != nil { parsed += 1 }
                if ProcStatm.parse(bytes) != nil { parsed += 1 }
                if ProcStatus.parse(bytes) != nil { parsed += 1 }
                parsed += ProcCmdline.parse(bytes).count
                if ProcLimits.parse(bytes) != nil { parsed += 1 }
                if SystemStat.parse(bytes) != nil { parsed += 1 }
                if Meminfo.parse(bytes) != nil { parsed += 1 }
                if LoadAverage.parse(bytes) != nil { parsed += 1 }
                if Uptime.parse(bytes) != nil { parsed += 1 }
            }
        }
        // Most mutations still parse as something; the point is that none trapped.
        #expect(parsed > 1000)
    }

    @Test func aFIFOInAReplayedTreeDoesNotHang() throws {
        let dir = Paths.temporaryDirectory("fifo")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/7", withIntermediateDirectories: true)
        #expect(mkfifo(dir + "/7/stat", 0o644) == 0)
        #expect(mkfifo(dir + "/meminfo", 0o644) == 0)
        let reader = try ProcReader(root: dir)
        #expect(try reader.pids() == [7])
        #expect(reader.process(7) == nil)
        #expect(reader.meminfo() == nil)
    }
}
