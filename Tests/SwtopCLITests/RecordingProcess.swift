import Foundation
import TestSupport

/// `swtop events --record --json` running for a test, its output going to files beside the
/// journal, so a test can wait for what it printed and what it recorded.
final class RecordingProcess {
    let process = Process()
    let journal: String
    let outPath: String
    let errPath: String

    init(journal: String, _ arguments: [String]) throws {
        self.journal = journal
        let scratch = Paths.temporaryDirectory("recorder-out")
        outPath = scratch + "/stdout"
        errPath = scratch + "/stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: Paths.swtop)
        process.arguments = ["events", "--record", "--journal", journal, "--json"] + arguments
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    /// SIGTERM, then its exit status.
    func terminate() -> Int32 {
        kill(pid, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }

    func killHard() {
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { killHard() }
    }
}

/// The journal's lines, every day file in name (day) order.
func journalLines(_ directory: String) -> [String] {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix("events-") }.sorted()
    return names.flatMap { name -> [String] in
        let text = (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }
}

/// The journal's lines as JSON objects (lines that do not parse are left out).
func journalObjects(_ directory: String) -> [[String: Any]] {
    journalLines(directory).compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
}

/// "events-2026-12-06.jsonl" for the UTC day of `date`.
func dayFileName(_ date: Date) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyy-MM-dd"
    return "events-" + f.string(from: date) + ".jsonl"
}

/// An RFC 3339 UTC time with milliseconds, as the events have it.
func rfc3339(_ date: Date) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
    return f.string(from: date)
}
