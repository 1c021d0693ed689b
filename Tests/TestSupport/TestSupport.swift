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

/// Whether the tests run as root. The few that need it (lowering a nice value, a root-owned
/// target for an unprivileged caller) are enabled only then; the rest must pass as any user.
public let isRoot = geteuid() == 0

/// Whether CAP_NET_ADMIN is in the effective set (bit 12 of CapEff): the kernel's taskstats and
/// proc connector answer only with it (root, unless a container dropped it).
public let hasNetAdmin = hasCapability(12)

/// Whether capability `bit` is in the effective set (CapEff of /proc/self/status).
public func hasCapability(_ bit: Int) -> Bool {
    let status = String(decoding: fileBytes("/proc/self/status") ?? [], as: UTF8.self)
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
          let caps = UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16)
    else { return false }
    return caps & (1 << UInt64(bit)) != 0
}

/// The nice value children of the calling thread start with: the test runner may itself be
/// niced (`nice -n 10 swift test`), so a test that expects a child's nice computes it from this.
public func runnerNice() -> Int32 {
    getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
}

/// `runnerNice() + step`, kept within the kernel's range (raising nice needs no privilege).
public func runnerNice(plus step: Int32) -> Int32 {
    min(runnerNice() + step, 19)
}

/// Whether an executable exists at `path`: a test that runs a tool skips without it.
public func isInstalled(_ path: String) -> Bool {
    FileManager.default.isExecutableFile(atPath: path)
}

/// The CPU time the kernel has counted for a process (utime + stime), in clock ticks.
public func cpuTicks(_ pid: Int32) throws -> UInt64 {
    guard let bytes = fileBytes("/proc/\(pid)/stat"), let close = bytes.lastIndex(of: UInt8(ascii: ")")) else {
        throw TestFailure("cannot read /proc/\(pid)/stat")
    }
    // Fields 14 and 15 (utime, stime), counted from field 3 (state) just after the name.
    let fields = String(decoding: bytes[(close + 2)...], as: UTF8.self).split(separator: " ")
    guard fields.count > 12, let utime = UInt64(fields[11]), let stime = UInt64(fields[12]) else {
        throw TestFailure("unexpected /proc/\(pid)/stat")
    }
    return utime + stime
}

/// Waits until `condition` holds or `seconds` pass; tests poll instead of sleeping a fixed time.
/// The default is generous: a slow, busy machine may take a while, and a condition that holds
/// returns at once.
public func waitUntil(_ seconds: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
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
