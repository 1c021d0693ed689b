import Foundation
import Testing
import TestSupport

/// Issue 10 on this machine's real kernel: processes moved into real cgroups, a real PID
/// namespace with a real zombie, real I/O, a real oom_score_adj; read back with
/// `swtop --once --json -p PID`.
@Suite(.serialized) struct ContainerLiveTests {
    static let systemdHierarchy = "/sys/fs/cgroup/systemd"
    static let canMakeCgroups = isRoot && FileManager.default.isWritableFile(atPath: systemdHierarchy + "/cgroup.procs")
    static let canUnshare = isRoot && isInstalled("/usr/bin/unshare")

    func json(_ pid: Int32, _ extra: [String] = []) throws -> [String: Any] {
        let r = try swtop(["--once", "--json", "--interval", "0", "-p", String(pid)] + extra)
        guard r.status == 0 else { throw TestFailure("exit \(r.status): \(r.stderr)") }
        return try #require(process(try jsonObject(r.stdout), Int(pid)))
    }

    /// mkdir of a cgroup directory and of its parents that are missing; each one made is added to
    /// `made`, which the test removes, last made first, even when it fails.
    func makeCgroup(_ path: String, _ made: inout [String]) throws {
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += "/" + part
            guard !FileManager.default.fileExists(atPath: prefix) else { continue }
            guard mkdir(prefix, 0o755) == 0 else { throw TestFailure("mkdir \(prefix): errno \(errno)") }
            made.append(prefix)
        }
    }

    func move(_ pid: Int32, into cgroup: String) throws {
        try String(pid).write(toFile: cgroup + "/cgroup.procs", atomically: false, encoding: .utf8)
    }

    @Test(.enabled(if: canMakeCgroups, "needs root and a writable name=systemd hierarchy at /sys/fs/cgroup/systemd"))
    func unitAndDockerContainerFromRealCgroups() throws {
        let id = (0..<4).map { _ in String(format: "%016llx", UInt64.random(in: 1 << 60...UInt64.max)) }.joined()
        let service = Self.systemdHierarchy + "/system.slice/swtop-test.service"
        let scope = Self.systemdHierarchy + "/system.slice/docker-\(id).scope"
        // Docker's name, where Docker keeps it, for this made-up container (only where there is
        // no Docker to disturb).
        let dockerDir = "/var/lib/docker/containers/\(id)"
        let ownsDockerDir = !FileManager.default.fileExists(atPath: "/var/lib/docker")
        var made: [String] = []
        let children = Children()
        defer {
            children.stopAll()
            // Children first, then each cgroup made, deepest (last made) first; rmdir fails while
            // a killed child is still leaving it.
            for dir in made.reversed() { _ = waitUntil(10) { rmdir(dir) == 0 || errno == ENOENT } }
            if ownsDockerDir { try? FileManager.default.removeItem(atPath: "/var/lib/docker") }
        }
        try makeCgroup(service, &made)
        try makeCgroup(scope, &made)
        if ownsDockerDir {
            try FileManager.default.createDirectory(atPath: dockerDir, withIntermediateDirectories: true)
            let config = try #require(fileBytes(Paths.packageRoot + "/Fixtures/docker/config.v2.json"))
            try Data(config).write(to: URL(fileURLWithPath: dockerDir + "/config.v2.json"))
        }
        let inService = try children.sleeper(named: "swtop-unit").processIdentifier
        let inScope = try children.sleeper(named: "swtop-docker").processIdentifier
        try move(inService, into: service)
        try move(inScope, into: scope)

        let a = try json(inService)
        #expect(a["cgroup"] as? String == "/system.slice/swtop-test.service")
        #expect(a["unit"] as? String == "swtop-test.service")
        #expect(a["container"] is NSNull)

        let b = try json(inScope)
        #expect(b["unit"] as? String == "docker-\(id).scope")
        let container = try #require(b["container"] as? [String: Any])
        #expect(container["runtime"] as? String == "docker")
        #expect(container["id"] as? String == id)
        #expect(container["pod"] is NSNull)
        if ownsDockerDir { #expect(container["name"] as? String == "web-1") }

        // The filters, by unit and by container (id prefix, and name).
        let byUnit = try swtop(["--once", "--json", "--interval", "0", "--unit", "swtop-test"])
        #expect(processes(try jsonObject(byUnit.stdout)).compactMap { $0["pid"] as? Int } == [Int(inService)])
        let byID = try swtop(["--once", "--json", "--interval", "0", "--container", String(id.prefix(12))])
        #expect(processes(try jsonObject(byID.stdout)).compactMap { $0["pid"] as? Int } == [Int(inScope)])
        if ownsDockerDir {
            let byName = try swtop(["--once", "--interval", "0", "--container", "web-1"])
            #expect(byName.stdoutText.contains("swtop-docker"))
            #expect(!byName.stdoutText.contains("swtop-unit"))
        }
    }

    /// PID 1 of its own namespace that leaves its child a zombie: `sh` starts `true` in the
    /// background and execs `sleep`, which never waits.
    @Test(.enabled(if: canUnshare, "needs root and unshare(1) for a PID namespace"))
    func namespaceInitWithAZombieChild() throws {
        let children = Children()
        defer { children.stopAll() }
        let unshare = try children.start("/usr/bin/unshare", ["--pid", "--fork", "/bin/sh", "-c", "/bin/true & exec /bin/sleep 300"])
        var initPID: Int32 = 0
        // Killing the namespace's PID 1 ends everything in it; unshare, killed alone, would
        // leave it (and the suite) waiting out its sleep.
        defer { if initPID > 0 { kill(initPID, SIGKILL) } }
        var last: [String: Any] = [:]
        let seen = try waitUntil {
            if initPID == 0 {
                let all = try jsonObject(try swtop(["--once", "--json", "--interval", "0"]).stdout)
                initPID = Int32(processes(all).first { ($0["ppid"] as? Int) == Int(unshare.processIdentifier) }?["pid"] as? Int ?? 0)
                if initPID == 0 { return false }
            }
            last = try json(initPID)
            return last["zombie_children"] as? Int == 1 && last["name"] as? String == "sleep"
        }
        #expect(seen, "no zombie child under \(initPID): \(last)")
        #expect(last["pid_namespace_init"] as? Bool == true)
        #expect(last["ns_pid"] as? Int == 1)
        // The zombie, in the namespace, is pid 2.
        let all = try jsonObject(try swtop(["--once", "--json", "--interval", "0"]).stdout)
        let zombie = try #require(processes(all).first { ($0["ppid"] as? Int) == Int(initPID) })
        #expect(zombie["state"] as? String == "Z")
        #expect(zombie["ns_pid"] as? Int == 2)
        #expect(zombie["pid_namespace_init"] as? Bool == false)
        #expect(zombie["zombie_children"] as? Int == 0)
    }

    /// A child that writes 64 MiB and fsyncs: storage bytes it wrote, cumulative.
    @Test(.enabled(if: isInstalled("/usr/bin/python3"), "needs python3 for a writer that stays alive"))
    func writerShowsItsBytes() throws {
        let children = Children()
        // On a disk file system (the package's .build), not a tmpfs, which sends nothing to storage.
        let dir = Paths.packageRoot + "/.build/swtop-io-test-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer {
            children.stopAll()
            try? FileManager.default.removeItem(atPath: dir)
        }
        let script = """
            import os, sys, time
            with open(sys.argv[1] + '/data', 'wb') as f:
                for _ in range(64):
                    f.write(b'x' * (1 << 20))
                f.flush()
                os.fsync(f.fileno())
            open(sys.argv[1] + '/done', 'w').close()
            time.sleep(300)
            """
        let writer = try children.start("/usr/bin/python3", ["-c", script, dir]).processIdentifier
        #expect(waitUntil(60) { FileManager.default.fileExists(atPath: dir + "/done") })
        let p = try json(writer)
        let written = try #require(p["io_write_bytes"] as? Int)
        #expect(written >= 64 << 20)
        #expect(p["io_read_bytes"] is Int)
        // One sample: the rates are unknown, not 0.
        #expect(p["io_write_bps"] is NSNull)
        // Two samples: a rate, 0 for a writer that is done.
        let twice = try json(writer, ["--interval", "0.2"])
        #expect(twice["io_write_bps"] as? Double == 0)
    }

    /// Not readable without ptrace access: null, never 0.
    @Test(.enabled(if: !isRoot, "as root every process's io is readable"))
    func othersIOIsNull() throws {
        let p = try json(1)
        #expect(p["io_read_bytes"] is NSNull)
        #expect(p["io_write_bytes"] is NSNull)
    }

    @Test func oomScoreAdjust() throws {
        let children = Children()
        defer { children.stopAll() }
        let pid = try children.sleeper(named: "swtop-oom").processIdentifier
        // Raising one's own oom_score_adj needs no privilege.
        try "500".write(toFile: "/proc/\(pid)/oom_score_adj", atomically: false, encoding: .utf8)
        let p = try json(pid)
        #expect(p["oom_score_adj"] as? Int == 500)
        let score = try #require(p["oom_score"] as? Int)
        let kernel = Int(String(decoding: fileBytes("/proc/\(pid)/oom_score") ?? [], as: UTF8.self).filter(\.isNumber))
        #expect(score >= 500 && score == kernel)
    }
}
