import Foundation

/// Where the package, its fixtures and the built binary are.
public enum Paths {
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static func fixture(_ name: String) -> String {
        packageRoot + "/Fixtures/proc/" + name
    }

    /// The swtop binary built beside the test bundle.
    public static var swtop: String {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("swtop").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return packageRoot + "/.build/debug/swtop"
    }

    /// The test child with known signal behaviour (Tests/Testee).
    public static var testee: String {
        URL(fileURLWithPath: swtop).deletingLastPathComponent().appendingPathComponent("swtop-testee").path
    }

    public static func temporaryDirectory(_ label: String) -> String {
        let path = NSTemporaryDirectory() + "swtop-test-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// What a finished command printed and how it exited.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: String
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs a program to completion with a time limit; its output is read fully.
public func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read before waiting, so a large output cannot fill the pipe and stall the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
        outData = out.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    if group.wait(timeout: .now() + timeout) == .timedOut {
        process.terminate()
        throw TestFailure("\(executable) \(arguments) did not finish in \(timeout) s")
    }
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
}

public struct TestFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Child processes a test starts itself and always ends, by pid.
public final class Children {
    public private(set) var processes: [Process] = []
    private let directory: String

    public init() {
        directory = Paths.temporaryDirectory("children")
    }

    deinit { stopAll() }

    /// Starts `/bin/sleep SECONDS` under the name `name`: the kernel takes a process's name
    /// (comm) from the file it executes, so a symlink with that name names the process.
    /// The path a sleeper named `name` was started from (its argv[0]).
    public func linkPath(_ name: String) -> String { directory + "/" + name }

    @discardableResult
    public func sleeper(named name: String, seconds: Int = 300) throws -> Process {
        let link = linkPath(name)
        try? FileManager.default.removeItem(atPath: link)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/bin/sleep")
        return try start(link, [String(seconds)])
    }

    @discardableResult
    public func start(_ executable: String, _ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        processes.append(p)
        return p
    }

    /// Starts swtop-testee with `arguments` and returns once it has said "ready" (its signal
    /// handlers are in place).
    @discardableResult
    public func testee(_ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Paths.testee)
        p.arguments = arguments
        p.standardInput = FileHandle.nullDevice
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        processes.append(p)
        // Wait with a deadline: a testee that died would leave the read waiting for an EOF that a
        // pipe end inherited by another test's child can hold off indefinitely.
        var pfd = pollfd(fd: out.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, 10_000) == 1 else { throw TestFailure("testee \(arguments) did not get ready in 10 s") }
        let line = out.fileHandleForReading.readData(ofLength: 6)
        guard line == Data("ready\n".utf8) else { throw TestFailure("testee \(arguments) did not get ready") }
        return p
    }

    public func stopAll() {
        for p in processes where p.isRunning {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
        processes.removeAll()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Waits until `condition` holds or `seconds` pass; tests poll instead of sleeping a fixed time.
public func waitUntil(_ seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}

/// Bytes of a file, or nil.
public func fileBytes(_ path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) }
}

/// Parses the output of `swtop --once --json`.
public func jsonObject(_ data: Data) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw TestFailure("not a JSON object")
    }
    return object
}
