import Foundation
import TestSupport

/// swtop-run and tini as the tests run them, and the events file they read.
enum RunSupport {
    static var swtopRun: String {
        URL(fileURLWithPath: Paths.swtop).deletingLastPathComponent().appendingPathComponent("swtop-run").path
    }

    static let tini = "/usr/bin/tini"
    static let dumbInit = "/usr/bin/dumb-init"

    /// A fresh directory for one test's files.
    static func directory(_ label: String) -> String { Paths.temporaryDirectory("run-" + label) }

    /// The events of an --events file, in order.
    static func events(_ path: String) -> [[String: Any]] {
        guard let bytes = fileBytes(path) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    static func events(_ path: String, named name: String) -> [[String: Any]] {
        events(path).filter { $0["event"] as? String == name }
    }

    /// An event's time, in seconds since the epoch.
    static func time(_ event: [String: Any]) -> Double? {
        guard let text = event["time"] as? String else { return nil }
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return parser.date(from: text)?.timeIntervalSince1970
    }
}

/// A program started in the background with its stdout read by the test.
final class Background {
    let process = Process()
    let stdout = Pipe()

    init(_ executable: String, _ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits (with a deadline) until stdout has `text`: a testee says "ready" once its handlers
    /// are in place.
    func waitForOutput(_ text: String, seconds: Int32 = 10) throws {
        var seen = ""
        let fd = stdout.fileHandleForReading.fileDescriptor
        let deadline = Date().addingTimeInterval(Double(seconds))
        while !seen.contains(text) {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard poll(&pfd, 1, left) == 1 else { throw TestFailure("no '\(text)' within \(seconds) s; saw '\(seen)'") }
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = read(fd, &buffer, buffer.count)
            guard n > 0 else { throw TestFailure("stdout closed before '\(text)'; saw '\(seen)'") }
            seen += String(decoding: buffer[0..<n], as: UTF8.self)
        }
    }

    /// The exit status as a shell gives it (code, or 128 + signal), waiting at most `seconds`.
    func status(within seconds: Double = 20) throws -> Int32 {
        guard waitUntil(seconds, { !process.isRunning }) else { throw TestFailure("still running after \(seconds) s") }
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }
}

/// The parent pid of a process, from /proc; nil once it is gone.
func parentPID(_ pid: Int32) -> Int32? {
    guard let bytes = fileBytes("/proc/\(pid)/stat"), let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
    let fields = String(decoding: bytes[(close + 2)...], as: UTF8.self).split(separator: " ")
    return fields.count > 1 ? Int32(fields[1]) : nil
}
