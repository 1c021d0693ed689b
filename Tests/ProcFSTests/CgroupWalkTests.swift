import Foundation
import Testing
import TestSupport
@testable import ProcFS

/// `--once` takes every process's cgroup from one walk of the hierarchy (CgroupWalk); each answer
/// must be exactly what the process's own `cgroup` file gives.
@Suite struct CgroupWalkTests {
    /// The walk makes a cgroup from its path in the hierarchy the parser chooses; for every
    /// recorded file (each runtime, v1 and v2) that is the file's own answer.
    @Test func pathOfTheChosenHierarchyGivesTheFilesAnswer() throws {
        var checked = 0
        for pid in [1, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 30, 31, 33, 34, 35, 36, 37] {
            let bytes = try #require(fileBytesIn("containers", "\(pid)/cgroup"))
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map { $0.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false) }
            let systemd = lines.first { $0.count == 3 && $0[1] == "name=systemd" }?[2]
            let unified = lines.first { $0.count == 3 && $0[0] == "0" && $0[1].isEmpty }?[2]
            // What the walk takes: name=systemd's path unless it is the root, then v2's.
            guard let path = systemd.flatMap({ $0 == "/" ? nil : $0 }) ?? unified ?? systemd else { continue }
            #expect(CgroupWalk.cgroup(path: Array(path.utf8)) == ProcCgroup.parse(bytes), "pid \(pid)")
            checked += 1
        }
        #expect(checked == 19)
        // A path that is not valid UTF-8 is replaced as the file's is.
        let odd: [UInt8] = Array("/system.slice/ev\u{1b}[31mil".utf8) + [0xFF] + Array(".service".utf8)
        #expect(CgroupWalk.cgroup(path: odd) == ProcCgroup.parse(Array("0::".utf8) + odd + [0x0A]))
    }

    @Test func mountsFromMountinfo() {
        // This machine's (a hybrid).
        let hybrid = """
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw

            """
        #expect(ProcReader.cgroupMounts(Array(hybrid.utf8)) == ("/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified"))
        // Pure v2, with optional fields before the dash.
        let v2 = "35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n"
        #expect(ProcReader.cgroupMounts(Array(v2.utf8)) == (nil, "/sys/fs/cgroup"))
        // Mounted from below the root (another cgroup namespace's view), an escaped mount point,
        // a line cut short: not walked.
        let odd = """
            35 24 0:30 /../.. /sys/fs/cgroup rw - cgroup2 cgroup2 rw
            36 24 0:31 / /mnt/a\\040b rw - cgroup cgroup rw,name=systemd
            37 24 0:32 / /x rw - cgroup
            """
        #expect(ProcReader.cgroupMounts(Array(odd.utf8)) == (nil, nil))
    }

    /// A recorded tree is never walked: its processes are not this machine's.
    @Test func recordedTreeIsNotWalked() throws {
        let reader = try ProcReader(root: Paths.fixture("containers"))
        #expect(reader.walkCgroups() == nil)
        // Its processes still have their cgroups, from their files.
        #expect(reader.process(10, files: [.cgroup])?.cgroup?.unit == "nginx.service")
    }

    static let hierarchy = FileManager.default.fileExists(atPath: "/sys/fs/cgroup/systemd/cgroup.procs")
        ? "/sys/fs/cgroup/systemd" : "/sys/fs/cgroup"
    static let unified = "/sys/fs/cgroup/unified"

    /// Every process of this machine the walk answers for gets what its own file says.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: hierarchy + "/cgroup.procs"), "no cgroup hierarchy to walk"))
    func thisMachinesProcessesAgreeWithTheirFiles() throws {
        // Enough processes that a cgroup's `cgroup.procs` is longer than the page a read gives,
        // started by one shell that prints their pids: one spawn from this process instead of
        // 700 (a CI run once saw one of 700 Foundation spawns fail with EBADF).
        let out = Pipe()
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "for i in $(seq 700); do sleep 300 & echo $!; done; wait"]
        shell.standardInput = FileHandle.nullDevice
        shell.standardOutput = out
        shell.standardError = FileHandle.nullDevice
        try shell.run()
        var sleepers: [Int32] = []
        defer {
            for pid in sleepers { kill(pid, SIGKILL) }
            kill(shell.processIdentifier, SIGKILL)
            shell.waitUntilExit()
        }
        var text = ""
        while sleepers.count < 700 {
            let data = out.fileHandleForReading.availableData
            guard !data.isEmpty else { break }
            text += String(decoding: data, as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            sleepers = lines.dropLast().compactMap { Int32($0) }
        }
        try #require(sleepers.count == 700, "the shell started \(sleepers.count) sleepers")
        let reader = try ProcReader()
        let walk = try #require(reader.walkCgroups())
        for pid in sleepers { #expect(walk.cgroup(of: pid) != nil, "pid \(pid) not answered for") }
        let pids = try reader.pids()
        var compared = 0
        for pid in pids {
            guard let walked = walk.cgroup(of: pid), let own = reader.cgroup(pid) else { continue }
            #expect(walked == own, "pid \(pid)")
            compared += 1
        }
        #expect(compared > 0)
        #expect(walk.cgroup(of: getpid()) == reader.cgroup(getpid()))
    }

    /// Real cgroups, as root: a child in a unit of the walked hierarchy, and (on a hybrid) a
    /// child at its root but in a v2 cgroup, whose file then names the v2 path.
    @Test(.enabled(if: isRoot && FileManager.default.isWritableFile(atPath: hierarchy + "/cgroup.procs"), "needs root and a writable cgroup hierarchy"))
    func childrenMovedIntoCgroupsAreFoundWhereTheirFilesSay() throws {
        let unit = Self.hierarchy + "/swtop-walk-\(getpid()).service"
        let v2 = Self.unified + "/swtop-walk-\(getpid())"
        let hybrid = Self.hierarchy != "/sys/fs/cgroup" && FileManager.default.isWritableFile(atPath: Self.unified + "/cgroup.procs")
        guard mkdir(unit, 0o755) == 0 else { throw TestFailure("mkdir \(unit): errno \(errno)") }
        if hybrid, mkdir(v2, 0o755) != 0 { throw TestFailure("mkdir \(v2): errno \(errno)") }
        let children = Children()
        defer {
            children.stopAll()
            _ = waitUntil(10) { rmdir(unit) == 0 || errno == ENOENT }
            if hybrid { _ = waitUntil(10) { rmdir(v2) == 0 || errno == ENOENT } }
        }
        let inUnit = try children.sleeper(named: "walk-unit").processIdentifier
        let inV2 = try children.sleeper(named: "walk-v2").processIdentifier
        try String(inUnit).write(toFile: unit + "/cgroup.procs", atomically: false, encoding: .utf8)
        if hybrid { try String(inV2).write(toFile: v2 + "/cgroup.procs", atomically: false, encoding: .utf8) }

        let reader = try ProcReader()
        let walk = try #require(reader.walkCgroups())
        let name = "swtop-walk-\(getpid()).service"
        #expect(walk.cgroup(of: inUnit) == ProcCgroup(path: "/" + name, unit: name))
        #expect(walk.cgroup(of: inUnit) == reader.cgroup(inUnit))
        if hybrid {
            #expect(walk.cgroup(of: inV2) == ProcCgroup(path: "/swtop-walk-\(getpid())"))
            #expect(walk.cgroup(of: inV2) == reader.cgroup(inV2))
        }
        // A process that does not exist is not answered for: its file is read.
        #expect(walk.cgroup(of: Int32.max) == nil)
    }
}
