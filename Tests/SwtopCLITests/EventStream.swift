import Foundation
import TestSupport

/// `swtop events --json` running as a test's witness: its JSON Lines are collected as they come,
/// and a test waits for the one it expects.
final class EventStream: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var lines: [[String: Any]] = []
    private var rawText = ""
    /// Where its standard error goes.
    private let errors = Paths.temporaryDirectory("event-stream") + "/stderr"

    /// Starts `prefix + [swtop, "events", "--json"] + arguments` and waits for its first line.
    init(_ arguments: [String], prefix: [String] = []) throws {
        let out = Pipe()
        let all = prefix + [Paths.swtop, "events", "--json"] + arguments
        process.executableURL = URL(fileURLWithPath: all[0])
        process.arguments = Array(all.dropFirst())
        process.standardOutput = out
        FileManager.default.createFile(atPath: errors, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let handle = out.fileHandleForReading
        Thread { [weak self] in
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = Data(pending[pending.startIndex..<newline])
                    pending = Data(pending[(newline + 1)...])
                    guard let self else { return }
                    self.take(line)
                }
            }
        }.start()
        guard waitUntil(30, { first != nil }) else {
            stop()
            throw TestFailure("swtop events printed no first line in 30 s")
        }
    }

    private func take(_ line: Data) {
        let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any]
        lock.lock()
        if let object { lines.append(object) }
        rawText += String(decoding: line, as: UTF8.self) + "\n"
        lock.unlock()
    }

    var all: [[String: Any]] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return rawText
    }

    /// The first line: sources and notes.
    var first: [String: Any]? { all.first }

    /// How many lines have come so far: a test that starts a child notes it first and looks only
    /// at what came after (pids are reused quickly on a busy machine).
    var count: Int { all.count }

    /// Waits for an event matching `predicate`, among those after the first `after`.
    func wait(_ seconds: Double = 20, after: Int = 0, for predicate: ([String: Any]) -> Bool) -> [String: Any]? {
        var found: [String: Any]?
        _ = waitUntil(seconds) {
            found = all.dropFirst(after).first(where: predicate)
            return found != nil
        }
        return found
    }

    /// The events about a process whose command line contains `marker`.
    func events(marked marker: String) -> [[String: Any]] {
        all.filter { ($0["cmdline"] as? [String])?.contains(marker) ?? false }
    }

    /// Whether it said the signal tracepoint's ring overflowed: records were lost (on a loaded
    /// machine, while it was stopped), and what they would have told is not known.
    var saidSignalsLost: Bool {
        String(decoding: FileManager.default.contents(atPath: errors) ?? Data(), as: UTF8.self).contains(" signals lost: ")
    }

    func stop() {
        if process.isRunning {
            process.interrupt()
            process.waitUntilExit()
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: (errors as NSString).deletingLastPathComponent)
    }
}

/// A unique word to put in a child's command line, so its events can be found among the
/// machine's.
func marker(_ label: String) -> String {
    "swtop-ev-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
}

/// Runs `sh -c SCRIPT MARKER` (the marker is $0, so it is in the command line) to its end;
/// returns its pid.
@discardableResult
func shell(_ script: String, marker: String, directory: String? = nil, wait: Bool = true) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", script, marker]
    if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
    p.standardInput = FileHandle.nullDevice
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    if wait { p.waitUntilExit() }
    return p
}
