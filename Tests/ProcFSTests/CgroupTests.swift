import Foundation
import Testing
import TestSupport
@testable import ProcFS

/// The cgroup files of Fixtures/proc/containers (written by Fixtures/make-containers.py), one
/// per runtime and shape.
@Suite struct CgroupTests {
    static let docker = "3f4e8a1c2b9d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f"
    static let pod = "1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901"

    func cgroup(_ pid: Int) throws -> ProcCgroup {
        let bytes = try #require(fileBytesIn("containers", "\(pid)/cgroup"))
        return try #require(ProcCgroup.parse(bytes))
    }

    @Test func systemdServiceOnV2() throws {
        #expect(try cgroup(10) == ProcCgroup(path: "/system.slice/nginx.service", unit: "nginx.service"))
        #expect(try cgroup(1) == ProcCgroup(path: "/init.scope", unit: "init.scope"))
        #expect(try cgroup(18) == ProcCgroup(path: "/user.slice/user-1000.slice/session-3.scope", unit: "session-3.scope"))
    }

    /// A user service is named by itself, not by user@1000.service.
    @Test func userServiceByItsOwnName() throws {
        let c = try cgroup(17)
        #expect(c.unit == "pipewire.service")
        #expect(c.container == nil)
    }

    @Test func dockerSystemdDriverOnV2() throws {
        let c = try cgroup(11)
        #expect(c.path == "/system.slice/docker-\(Self.docker).scope")
        #expect(c.unit == "docker-\(Self.docker).scope")
        #expect(c.container == CgroupContainer(runtime: "docker", id: Self.docker))
        #expect(c.container?.shortID == "3f4e8a1c2b9d")
    }

    @Test func podmanScopeWithItsContainerSubgroup() throws {
        let id = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b"
        let c = try cgroup(12)
        #expect(c.container == CgroupContainer(runtime: "podman", id: id))
        #expect(c.unit == "libpod-\(id).scope")
    }

    @Test func kubernetesContainerdAndCrioCarryThePod() throws {
        let containerd = try cgroup(13)
        #expect(containerd.container == CgroupContainer(runtime: "containerd", id: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", pod: Self.pod))
        let crio = try cgroup(14)
        #expect(crio.container == CgroupContainer(runtime: "cri-o", id: "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210", pod: Self.pod))
        // The cgroupfs driver on v1: /kubepods/<qos>/pod<uid>/<id>.
        let cgroupfs = try cgroup(33)
        #expect(cgroupfs.container == CgroupContainer(runtime: "kubernetes", id: "aaaabbbbccccddddeeeeffff0000111122223333444455556666777788889999", pod: Self.pod))
        #expect(cgroupfs.unit == nil)
    }

    /// The container's own units (a systemd inside LXC or nspawn) are not the host's unit.
    @Test func lxcAndNspawnByName() throws {
        let lxc = try cgroup(15)
        #expect(lxc.container == CgroupContainer(runtime: "lxc", id: "web01"))
        #expect(lxc.unit == nil)
        #expect(try cgroup(35).container == CgroupContainer(runtime: "lxc", id: "web02"))
        let nspawn = try cgroup(16)
        #expect(nspawn.container == CgroupContainer(runtime: "systemd-nspawn", id: "db-test"))
        #expect(nspawn.unit == "machine-db\\x2dtest.scope")
    }

    /// Hybrid and v1: the name=systemd hierarchy's path, even where the v2 line is "/".
    @Test func hybridTakesTheSystemdHierarchy() throws {
        #expect(try cgroup(34) == ProcCgroup(path: "/system.slice/swtop-test.service", unit: "swtop-test.service"))
        #expect(try cgroup(36).unit == "getty@tty1.service")
        let hybridDocker = try cgroup(30)
        #expect(hybridDocker.container?.runtime == "docker")
        #expect(hybridDocker.container?.id.hasSuffix("beef") == true)
        // Docker's cgroupfs driver under systemd: /docker/<id> in name=systemd.
        #expect(try cgroup(31) == ProcCgroup(path: "/docker/\(Self.docker)", container: CgroupContainer(runtime: "docker", id: Self.docker)))
        #expect(try cgroup(37) == ProcCgroup(path: "/"))
    }

    /// A v1 host without systemd has no name=systemd line: a controller's path says it.
    @Test func v1WithoutSystemdTakesAController() throws {
        #expect(try cgroup(32) == ProcCgroup(path: "/docker/\(Self.docker)", container: CgroupContainer(runtime: "docker", id: Self.docker)))
    }

    /// This machine's shape: name=systemd at the root, a controller elsewhere: the root, not
    /// another manager's grouping.
    @Test func controllerPathIgnoredWhereSystemdHasAHierarchy() throws {
        let text = "9:name=systemd:/\n4:memory:/process_api/a9e2cfb718a28e6a57f322abb53c6732\n0::/\n"
        #expect(ProcCgroup.parse(Array(text.utf8)) == ProcCgroup(path: "/"))
    }

    @Test func oddPathsAreKeptAsTheyAre() throws {
        let c = try cgroup(19)
        #expect(Array(c.path.utf8) == Array("/system.slice/ev\u{1b}[31mil\u{FFFD}.service".utf8))
        #expect(c.unit == "ev\u{1b}[31mil\u{FFFD}.service")
        // A colon in a cgroup's name stays in its path.
        #expect(ProcCgroup.parse(Array("0::/a:b/c.service\n".utf8)) == ProcCgroup(path: "/a:b/c.service", unit: "c.service"))
        // Lines without two colons, an empty file, a lone newline: no cgroup.
        #expect(ProcCgroup.parse([]) == nil)
        #expect(ProcCgroup.parse(Array("\n".utf8)) == nil)
        #expect(ProcCgroup.parse(Array("garbage\n0:x\n".utf8)) == nil)
        // An id that is not hex is not a container.
        #expect(ProcCgroup.parse(Array("0::/system.slice/docker-zzzz.scope\n".utf8))?.container == nil)
        #expect(ProcCgroup.parse(Array("0::/machine.slice/machine-.scope\n".utf8))?.container == nil)
        #expect(ProcCgroup.parse(Array("0::/lxc.payload.\n".utf8))?.container == nil)
    }

    @Test func dockerNameFromConfig() throws {
        let bytes = try #require(fileBytes(Paths.packageRoot + "/Fixtures/docker/config.v2.json"))
        // Not the labels', the network's or the mount's Name: the top level's, without its slash.
        #expect(DockerConfig.name(bytes) == "web-1")
        #expect(DockerConfig.name(Array(#"{"Name":"/a\"b"}"#.utf8)) == "a\"b")
        #expect(DockerConfig.name(Array(#"{"Name":null}"#.utf8)) == nil)
        #expect(DockerConfig.name(Array(#"{"X":{"Name":"/inner"}}"#.utf8)) == nil)
        #expect(DockerConfig.name(Array(#"[{"Name":"/in-array"}]"#.utf8)) == nil)
        #expect(DockerConfig.name(Array(#"{"Name":"/unclosed"#.utf8)) == nil)
        #expect(DockerConfig.name([]) == nil)
    }

    @Test func ioAndOOMFiles() throws {
        let io = try #require(fileBytesIn("containers", "10/io"))
        #expect(ProcIO.parse(io) == ProcIO(readBytes: 4096, writeBytes: 1_048_576))
        #expect(ProcIO.parse(Array("rchar: 5\nwchar: 6\n".utf8)) == nil)
        #expect(ProcInteger.parse(Array("-500\n".utf8)) == -500)
        #expect(ProcInteger.parse(Array("666\n".utf8)) == 666)
        #expect(ProcInteger.parse(Array("".utf8)) == nil)
        #expect(ProcInteger.parse(Array("1 2\n".utf8)) == nil)
        #expect(ProcInteger.parse(Array("99999999999\n".utf8)) == nil)
    }

    func status(_ pid: Int) throws -> ProcStatus {
        let bytes = try #require(fileBytesIn("containers", "\(pid)/status"))
        return try #require(ProcStatus.parse(bytes))
    }

    /// NSpid's last value is the pid inside; more than one value: a nested namespace.
    @Test func namespacePid() throws {
        let inside = try status(11)
        #expect(inside.nsPID == 1 && inside.nsLevels == 2 && inside.isNamespaceInit)
        let host = try status(1)
        #expect(host.nsPID == 1 && host.nsLevels == 1 && !host.isNamespaceInit)
        let worker = try status(20)
        #expect(worker.nsPID == 7 && !worker.isNamespaceInit)
    }
}
