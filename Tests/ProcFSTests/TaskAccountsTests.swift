import Foundation
import Testing
import TestSupport
@testable import ProcFS

/// The kernel's taskstats as the screen uses it for processes beyond its fd budget: the replies
/// recorded from the kernel, parsed exactly; cut and damaged replies never trap; and, with
/// CAP_NET_ADMIN, real processes give exactly the numbers of their `schedstat`.
@Suite struct TaskAccountsTests {
    func recorded(_ name: String) throws -> [UInt8] {
        try #require(fileBytes(Paths.packageRoot + "/Fixtures/taskstats/" + name))
    }

    func answers(_ bytes: [UInt8], family: UInt16 = 31) -> [(UInt32, TaskstatsReply.Answer)] {
        var out: [(UInt32, TaskstatsReply.Answer)] = []
        bytes.withUnsafeBytes { TaskstatsReply.forEach($0, family: family) { out.append(($0, $1)) } }
        return out
    }

    /// Recorded for `sleep 1000` (pid 19912; the asking process was 19920), whose schedstat then
    /// read `1147092 1469146 2`.
    @Test func recordedReplyGivesTheSchedstatNumbers() throws {
        let got = answers(try recorded("reply"))
        #expect(got.count == 1)
        #expect(got.first?.0 == 77)
        #expect(got.first?.1 == .account(id: 19912, ProcSchedstat(runNanoseconds: 1_147_092, waitNanoseconds: 1_469_146, timeslices: 2)))
        // A reply of another family is not taken for one of taskstats.
        #expect(answers(try recorded("reply"), family: 32).isEmpty)
    }

    @Test func recordedErrorSaysTheTaskIsGone() throws {
        let got = answers(try recorded("gone"))
        #expect(got.count == 1)
        #expect(got.first?.0 == 78)
        #expect(got.first?.1 == .failed(errno: ESRCH))
    }

    @Test func recordedFamilyReplies() throws {
        #expect(try recorded("family").withUnsafeBytes { TaskstatsReply.familyID($0) } == 31)
        #expect(try recorded("no-family").withUnsafeBytes { TaskstatsReply.familyID($0) } == nil)
    }

    /// Two replies back to back parse as two; every cut of them parses as the whole replies
    /// before the cut, and nothing else.
    @Test func cutRepliesGiveOnlyWholeAnswers() throws {
        let reply = try recorded("reply")
        let gone = try recorded("gone")
        let both = reply + gone
        #expect(answers(both).map(\.0) == [77, 78])
        for cut in 0...both.count {
            let got = answers(Array(both.prefix(cut)))
            let expected: [UInt32] = cut >= both.count ? [77, 78] : cut >= reply.count ? [77] : []
            #expect(got.map(\.0) == expected, "cut at \(cut)")
        }
    }

    /// Random damage to recorded replies (lengths, types, attribute headers) never traps.
    @Test func damagedRepliesNeverTrap() throws {
        var rng = SystemRandomNumberGenerator()
        let seeds = [try recorded("reply"), try recorded("gone"), try recorded("family"), try recorded("no-family")]
        var parsed = 0
        for _ in 0..<20_000 {
            var b = seeds.randomElement(using: &rng) ?? []
            for _ in 0..<Int.random(in: 1...6, using: &rng) where !b.isEmpty {
                b[Int.random(in: 0..<min(b.count, 64), using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            parsed += answers(b).count
            _ = b.withUnsafeBytes { TaskstatsReply.familyID($0) }
        }
        #expect(parsed > 0)
    }

    func schedstat(_ pid: Int32) -> ProcSchedstat? {
        fileBytes("/proc/\(pid)/schedstat").flatMap(ProcSchedstat.parse)
    }

    func asleepInNanosleep(_ pid: Int32) -> Bool {
        String(decoding: fileBytes("/proc/\(pid)/wchan") ?? [], as: UTF8.self).contains("nanosleep")
    }

    /// A process asleep gives exactly its schedstat, however many times it is asked in one call
    /// (more than one batch); a process that runs gives a run time between two schedstat reads
    /// around the call, and it grows; a process gone is not answered.
    @Test(.enabled(if: hasNetAdmin, "needs CAP_NET_ADMIN (root): the taskstats family answers no one else"))
    func realProcessesGiveTheirSchedstat() throws {
        let children = Children()
        defer { children.stopAll() }
        let sleeper = try children.sleeper(named: "ts-sleeper").processIdentifier
        let runner = try children.start("/bin/sh", ["-c", "while :; do :; done"]).processIdentifier
        let doomed = try children.sleeper(named: "ts-doomed")
        #expect(waitUntil { asleepInNanosleep(sleeper) && asleepInNanosleep(doomed.processIdentifier) })
        let gone = doomed.processIdentifier
        kill(gone, SIGKILL)
        doomed.waitUntilExit()
        let accounts = try #require(TaskAccounts.open(), "taskstats must open with CAP_NET_ADMIN")

        let asleep = try #require(schedstat(sleeper))
        var got: [Int: ProcSchedstat] = [:]
        let many = Array(repeating: sleeper, count: 3 * TaskAccounts.largestBatch + 5)
        accounts.accounts(many) { got[$0] = $1 }
        #expect(got.count == many.count)
        #expect(got.values.allSatisfy { $0 == asleep })

        got = [:]
        let before = try #require(schedstat(runner))
        accounts.accounts([runner, gone, sleeper]) { got[$0] = $1 }
        let after = try #require(schedstat(runner))
        #expect(got.keys.sorted() == [0, 2])
        #expect(got[2] == asleep)
        let running = try #require(got[0])
        #expect(before.runNanoseconds <= running.runNanoseconds && running.runNanoseconds <= after.runNanoseconds)
        #expect(before.timeslices <= running.timeslices && running.timeslices <= after.timeslices)
        #expect(waitUntil {
            var later: ProcSchedstat?
            accounts.accounts([runner]) { later = $1 }
            return (later?.runNanoseconds ?? 0) > running.runNanoseconds
        })
        #expect(accounts.overflows == 0)
    }

    @Test(.enabled(if: !hasNetAdmin, "only without CAP_NET_ADMIN"))
    func withoutNetAdminThereIsNoSocket() {
        #expect(TaskAccounts.open() == nil)
    }
}
