import Foundation
import Testing
import TestSupport

/// swtop writing into a directory another user can write (issue 17, item 1): what that user
/// plants there (links to a root-owned file, FIFOs) is never followed, opened or waited on.
@Suite(.serialized) struct HostileDirectoryTests {
    static let nobody: uid_t = 65534

    /// A directory owned by nobody (who may plant anything in it), and a root-owned mode-600
    /// file outside it, the target of the links planted.
    func setUp(_ label: String) throws -> (directory: String, secret: String, bytes: [UInt8]) {
        let base = Paths.temporaryDirectory(label)
        let directory = base + "/shared"
        #expect(mkdir(directory, 0o755) == 0 && chown(directory, Self.nobody, Self.nobody) == 0)
        let secret = base + "/secret"
        let bytes = Array("root:only:\(UInt64.random(in: 0...UInt64.max))\n".utf8)
        #expect(FileManager.default.createFile(atPath: secret, contents: Data(bytes), attributes: [.posixPermissions: 0o600]))
        return (directory, secret, bytes)
    }

    /// A link planted as nobody would plant it (owned by nobody); false when the name is taken.
    @discardableResult
    func plantLink(_ path: String, to target: String) -> Bool {
        guard symlink(target, path) == 0 else { return false }
        lchown(path, Self.nobody, Self.nobody)
        return true
    }

    @discardableResult
    func plantFIFO(_ path: String) -> Bool {
        guard mkfifo(path, 0o666) == 0 else { return false }
        lchown(path, Self.nobody, Self.nobody)
        return true
    }

    /// The readings count of the textfile now, if it is there and whole.
    func readings(_ path: String) -> Double? {
        guard let bytes = fileBytes(path) else { return nil }
        return sampleValue(String(decoding: bytes, as: UTF8.self), "swtop_readings_total")
    }

    @Test(.enabled(if: isRoot, "needs root: the directory belongs to nobody and the secret to root"))
    func textfileWriterFollowsNothingPlanted() throws {
        let (directory, secret, bytes) = try setUp("hostile-textfile")
        let path = directory + "/swtop.prom"
        // The target name itself is a link to the secret, planted before the writer starts.
        #expect(plantLink(path, to: secret))
        let writer = try Server(Paths.swtop, ["export", "--textfile", path, "--every", "0.1"], label: "textfile")
        defer { writer.stop() }
        let pid = writer.process.processIdentifier
        // The temporary names the writer used to use (`.swtop.prom.PID.tmp`), and guesses
        // around them: links to the secret, and FIFOs.
        #expect(plantLink(directory + "/.swtop.prom.\(pid).tmp", to: secret))
        #expect(plantFIFO(directory + "/.swtop.prom.\(pid).tmp.fifo"))
        for guess in ["/.swtop.prom.tmp", "/swtop.prom.tmp", "/.swtop.prom.\(pid + 1).tmp"] { plantLink(directory + guess, to: secret) }
        // Written several times over: the file is a regular file of the writer's, replacing
        // the link, and the secret did not change by a byte.
        var first: Double?
        let wrote = waitUntil {
            guard let now = readings(path) else { return false }
            if first == nil { first = now }
            return now >= (first ?? now) + 5
        }
        #expect(wrote, "the writer did not keep writing: \(writer.output)")
        #expect(fileBytes(secret) == bytes)
        var st = stat()
        #expect(lstat(path, &st) == 0 && st.st_mode & S_IFMT == S_IFREG && st.st_uid == 0)
        #expect(writer.process.isRunning)
        // What was planted is still there, untouched (not removed, not replaced).
        var link = stat()
        #expect(lstat(directory + "/.swtop.prom.\(pid).tmp", &link) == 0 && link.st_mode & S_IFMT == S_IFLNK)
    }

    /// A FIFO at the old temporary name used to hang the writer in open() for good.
    @Test(.enabled(if: isRoot, "needs root: the directory belongs to nobody"))
    func textfileWriterNeverWaitsOnAFIFO() throws {
        let (directory, secret, bytes) = try setUp("hostile-fifo")
        let path = directory + "/swtop.prom"
        let writer = try Server(Paths.swtop, ["export", "--textfile", path, "--every", "0.1"], label: "textfile")
        defer { writer.stop() }
        let pid = writer.process.processIdentifier
        #expect(plantFIFO(directory + "/.swtop.prom.\(pid).tmp"))
        let start = waitUntil { readings(path) != nil }
        #expect(start, "no textfile: \(writer.output)")
        let before = readings(path) ?? 0
        #expect(waitUntil { (readings(path) ?? 0) >= before + 5 }, "the writer stopped: \(writer.output)")
        #expect(fileBytes(secret) == bytes)
        #expect(writer.output.isEmpty, "it said: \(writer.output)")
    }

    /// `swtop record DIR` into an empty directory of nobody's, with a racer that plants links
    /// and a FIFO the moment swtop starts writing there (inotify: on the first file created).
    /// Whether or not the racer gets in first, nothing of root's is written through a link,
    /// and swtop never hangs.
    @Test(.enabled(if: isRoot, "needs root: the directory belongs to nobody and the secret to root"))
    func recordFollowsNothingPlanted() throws {
        var caught = 0
        for attempt in 0..<5 {
            let (directory, secret, bytes) = try setUp("hostile-record-\(attempt)")
            // A directory of the racer's whose kernel/hostname is a link to the secret: `sys`
            // planted as a link to it would make hostname land in the secret.
            let decoy = directory + "-decoy"
            try FileManager.default.createDirectory(atPath: decoy + "/kernel", withIntermediateDirectories: true)
            #expect(plantLink(decoy + "/kernel/hostname", to: secret))
            let racer = try Racer(directory: directory) { [self] in
                plantLink(directory + "/uptime", to: secret)
                plantFIFO(directory + "/loadavg")
                plantLink(directory + "/sys", to: decoy)
            }
            let result = try run(Paths.swtop, ["record", directory], timeout: 120)
            racer.stop()
            #expect(fileBytes(secret) == bytes, "run \(attempt): the secret was written: \(result.stderr)")
            if result.status == 0 {
                #expect(result.stderr.hasPrefix("recorded "))
            } else {
                #expect(result.status == 1)
                #expect(result.stderr.contains("appeared while recording (someone else writes in the directory)"), "run \(attempt): \(result.stderr)")
                caught += 1
            }
        }
        // The racer planted after swtop had checked the directory was empty in some runs at
        // least (it waits for swtop's first file): those were stopped.
        #expect(caught > 0)
    }
}

/// Plants files once, as soon as the first file appears in a directory (inotify IN_CREATE).
final class Racer: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)

    init(directory: String, plant: @escaping @Sendable () -> Void) throws {
        fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0, inotify_add_watch(fd, directory, UInt32(IN_CREATE)) >= 0 else { throw TestFailure("inotify: \(errno)") }
        let fd = self.fd
        Thread { [self] in
            defer { finished.signal() }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            while !isStopped {
                guard poll(&pfd, 1, 50) == 1 else { continue }
                plant()
                return
            }
        }.start()
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    func stop() {
        lock.withLock { stopped = true }
        finished.wait()
        close(fd)
    }
}
