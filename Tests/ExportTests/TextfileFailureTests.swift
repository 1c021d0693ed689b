import Foundation
import Testing
import TestSupport

/// The textfile writer on a file system that fills up or turns read-only (issue 17, item 2):
/// it says so once per kind of error, keeps running, and writes again as soon as it can.
@Suite(.serialized) struct TextfileFailureTests {
    /// A 1 MB tmpfs of the test's own, unmounted at the end; nil (the test skips) when mount
    /// is not allowed here.
    final class SmallFileSystem {
        let path: String
        init?() {
            path = Paths.temporaryDirectory("tmpfs")
            guard (try? run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", path]))?.status == 0 else { return nil }
        }
        func remount(_ mode: String) throws {
            let r = try run("/bin/mount", ["-o", "remount,\(mode)", path])
            guard r.status == 0 else { throw TestFailure("remount \(mode): \(r.stderr)") }
        }
        deinit { _ = try? run("/bin/umount", [path]) }
    }

    static let canMount: Bool = isRoot && SmallFileSystem() != nil

    /// Times the process has slept (voluntary context switches): one per attempt, between
    /// attempts.
    func sleeps(_ pid: Int32) -> Int {
        let text = String(decoding: fileBytes("/proc/\(pid)/status") ?? [], as: UTF8.self)
        let line = text.split(separator: "\n").first { $0.hasPrefix("voluntary_ctxt_switches:") } ?? ""
        return Int(line.dropFirst(24).trimmingCharacters(in: .whitespaces)) ?? -1
    }

    @Test(.enabled(if: canMount, "needs root and mount (a 1 MB tmpfs)"))
    func keepsRunningThroughAFullDiskAndAReadOnlyRemount() throws {
        let fs = try #require(SmallFileSystem())
        let path = fs.path + "/swtop.prom"
        let writer = try Server(Paths.swtop, ["export", "--group-by", "name", "--textfile", path, "--every", "0.2"], label: "textfile")
        defer { writer.stop() }
        let pid = writer.process.processIdentifier
        func readings() -> Double? { fileBytes(path).flatMap { sampleValue(String(decoding: $0, as: UTF8.self), "swtop_readings_total") } }
        #expect(waitUntil { readings() != nil }, "no textfile: \(writer.output)")

        // Full: a file takes every block left.
        let fill = try run("/bin/sh", ["-c", "cat /dev/zero > '\(fs.path)/fill'"])
        #expect(fill.stderr.contains("No space left on device"))
        #expect(waitUntil { writer.output.contains("No space left on device") }, "said nothing: \(writer.output)")
        // It goes on trying (sleeping between attempts), and says it only once.
        let slept = sleeps(pid)
        #expect(waitUntil { sleeps(pid) >= slept + 3 })
        let whole = try #require(readings())
        #expect(writer.process.isRunning)
        // Room again: written again, promptly.
        #expect(unlink(fs.path + "/fill") == 0)
        #expect(waitUntil { (readings() ?? 0) > whole && writer.output.contains("written again") }, "not written again: \(writer.output)")

        // Read-only: the same, with its own line.
        try fs.remount("ro")
        #expect(waitUntil { writer.output.contains("Read-only file system") }, "said nothing: \(writer.output)")
        let frozen = try #require(readings())
        let sleptReadOnly = sleeps(pid)
        #expect(waitUntil { sleeps(pid) >= sleptReadOnly + 3 })
        try fs.remount("rw")
        // The attempts while it could not write were readings too: the next file counts them.
        #expect(waitUntil { (readings() ?? 0) >= frozen + 3 })

        let lines = writer.output.split(separator: "\n")
        #expect(lines.filter { $0.contains("No space left on device") }.count == 1, "\(lines)")
        #expect(lines.filter { $0.contains("Read-only file system") }.count == 1, "\(lines)")
        #expect(lines.first == "swtop: cannot write \(path): No space left on device; still running, trying again every 0.2 s")
        #expect(writer.process.isRunning)
        // Nothing left behind but the file itself.
        let names = try FileManager.default.contentsOfDirectory(atPath: fs.path)
        #expect(names == ["swtop.prom"])
    }

    /// node_exporter reads only *.prom: any other name (or a directory) is refused at once.
    @Test func aPathThatIsNotATextfileIsRefused() throws {
        let directory = Paths.temporaryDirectory("textfile-path")
        let cases: [(String, String)] = [
            (directory + "/swtop.txt", "invalid --textfile '\(directory)/swtop.txt': node_exporter reads only files whose names end in .prom, e.g. swtop.prom"),
            (directory + "/", "invalid --textfile '\(directory)/': expected a file name ending in .prom, e.g. \(directory)/swtop.prom"),
            (directory + "/.prom", "invalid --textfile '\(directory)/.prom': node_exporter reads only files whose names end in .prom, e.g. swtop.prom"),
            (directory + "/none/swtop.prom", "invalid --textfile '\(directory)/none/swtop.prom': cannot use the directory \(directory)/none/: No such file or directory"),
        ]
        for (path, message) in cases {
            let r = try run(Paths.swtop, ["export", "--textfile", path])
            #expect(r.status == 64, "\(path)")
            #expect(r.stderr.split(separator: "\n").first.map(String.init) == "swtop: \(message)", "\(path): \(r.stderr)")
        }
        let isDirectory = directory + "/dir.prom"
        try FileManager.default.createDirectory(atPath: isDirectory, withIntermediateDirectories: true)
        let r = try run(Paths.swtop, ["export", "--textfile", isDirectory])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("swtop: invalid --textfile '\(isDirectory)': \(isDirectory) is a directory; expected a file name ending in .prom"))
    }
}
