import Foundation
import TestSupport
import Testing
@testable import ProcFS

/// The detail view's parsers and reader, over Fixtures/proc/detail (process 4242: in D state,
/// a deleted binary, nine fds of which four are sockets) and hand-made hard cases.
@Suite struct ProcessDetailTests {
    static let root = Paths.fixture("detail")

    func bytes(_ relative: String) throws -> [UInt8] {
        let reader = try ProcReader(root: Self.root)
        return try reader.read(relative).get()
    }

    @Test func tcpTableLocalRemoteAndStateByInode() throws {
        let sockets = try bytes("4242/net/tcp").withUnsafeBufferPointer { SocketTable.parseInet($0, proto: .tcp) }
        // The TIME_WAIT line has inode 0: no fd holds it.
        #expect(sockets == [
            SocketTable.Socket(proto: .tcp, local: "127.0.0.1:8080", remote: nil, state: "LISTEN", inode: 1001),
            SocketTable.Socket(proto: .tcp, local: "10.0.0.5:45678", remote: "93.184.216.34:443", state: "ESTABLISHED", inode: 1002),
        ])
    }

    @Test func tcp6TableWildcardAndMappedAddresses() throws {
        let sockets = try bytes("4242/net/tcp6").withUnsafeBufferPointer { SocketTable.parseInet($0, proto: .tcp6) }
        #expect(sockets.map(\.local) == ["[::]:22", "[::ffff:127.0.0.1]:8081"])
        #expect(sockets.map(\.state) == ["LISTEN", "LISTEN"])
        #expect(sockets.map(\.inode) == [1003, 1006])
    }

    @Test func udpTablesUnconnectedAndConnected() throws {
        let udp = try bytes("4242/net/udp").withUnsafeBufferPointer { SocketTable.parseInet($0, proto: .udp) }
        #expect(udp == [SocketTable.Socket(proto: .udp, local: "0.0.0.0:5353", remote: nil, state: nil, inode: 1004)])
        let udp6 = try bytes("4242/net/udp6").withUnsafeBufferPointer { SocketTable.parseInet($0, proto: .udp6) }
        #expect(udp6 == [SocketTable.Socket(proto: .udp6, local: "[::1]:53", remote: "[2001:db8::1]:53", state: "CONNECTED", inode: 1005)])
    }

    @Test func unixTableListeningConnectedAbstractAndPathWithSpace() throws {
        let sockets = try bytes("4242/net/unix").withUnsafeBufferPointer { SocketTable.parseUnix($0) }
        #expect(sockets == [
            SocketTable.Socket(proto: .unix, local: "/run/app.sock", remote: nil, state: "LISTEN", type: "STREAM", inode: 2001),
            SocketTable.Socket(proto: .unix, local: "", remote: nil, state: "CONNECTED", type: "STREAM", inode: 2002),
            SocketTable.Socket(proto: .unix, local: "@/tmp/.X11-unix/X0", remote: nil, state: "UNCONNECTED", type: "DGRAM", inode: 2003),
            SocketTable.Socket(proto: .unix, local: "/tmp/my sock", remote: nil, state: "CONNECTED", type: "STREAM", inode: 2004),
        ])
    }

    /// A unix socket's path can hold a newline, which makes a second "line" that claims another
    /// socket's inode: the first line with an inode wins, so the real entry (listed earlier) stays.
    @Test func aForgedUnixLineDoesNotReplaceAnEarlierSocket() {
        let text = "Num       RefCount Protocol Flags    Type St Inode Path\n"
            + "0000000000000000: 00000002 00000000 00010000 0001 01 2001 /run/real.sock\n"
            + "0000000000000000: 00000002 00000000 00000000 0001 01 2005 /tmp/x\n0000000000000000: 00000002 00000000 00000000 0001 03 2001 /forged\n"
        var table = SocketTable()
        Array(text.utf8).withUnsafeBufferPointer { table.addUnix($0) }
        #expect(table[2001]?.local == "/run/real.sock")
        #expect(table[2005]?.local == "/tmp/x")
        #expect(table.count == 2)
    }

    @Test func malformedSocketLinesAreSkipped() {
        let text = "header\n   0: 0100007F 00000000:0000 0A\n   1: 0100007F:1F90 00000000:0000 ZZ 0:0 0:0 0 0 0 7\n   2: 0100007F:FFFFF 00000000:0000 0A 0:0 0:0 0 0 0 8\n   3: 0100007F:0050 00000000:0000 0A 0:0 0:0 0 0 0 9\n"
        let sockets = Array(text.utf8).withUnsafeBufferPointer { SocketTable.parseInet($0, proto: .tcp) }
        #expect(sockets == [SocketTable.Socket(proto: .tcp, local: "127.0.0.1:80", remote: nil, state: "LISTEN", inode: 9)])
        #expect([UInt8]().withUnsafeBufferPointer { SocketTable.parseUnix($0) } == [])
    }

    @Test func ipv6TextCompressesTheLongestZeroRun() {
        #expect(SocketTable.ipv6Text([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]) == "2001:db8::1:0:0:1")
        #expect(SocketTable.ipv6Text([UInt8](repeating: 0, count: 16)) == "::")
        #expect(SocketTable.ipv6Text([0xfe, 0x80] + [UInt8](repeating: 0, count: 12) + [0, 0x2a]) == "fe80::2a")
        #expect(SocketTable.ipv6Text([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]) == "1:2:3:4:5:6:7:8")
    }

    @Test func socketInodeFromAnFdLink() {
        #expect(SocketTable.socketInode(Array("socket:[4748604]".utf8)) == 4_748_604)
        #expect(SocketTable.socketInode(Array("pipe:[77]".utf8)) == nil)
        #expect(SocketTable.socketInode(Array("socket:[]".utf8)) == nil)
        #expect(SocketTable.socketInode(Array("socket:[12x]".utf8)) == nil)
    }

    @Test func statusDetailMemorySplitIdsAndSignalQueue() throws {
        let status = try #require(StatusDetail.parse(try bytes("4242/status")))
        #expect(status.uids == [1000, 0, 0, 0])
        #expect(status.threads == 3)
        #expect(status.tracerPID == 0)
        #expect(status.vmSizeKB == 102_400)
        #expect(status.vmRSSKB == 10_240)
        #expect(status.rssAnonKB == 6144)
        #expect(status.rssFileKB == 3072)
        #expect(status.rssShmemKB == 1024)
        #expect(status.vmSwapKB == 512)
        #expect(status.vmLockedKB == 0)
        #expect(status.signalsQueued == 2)
        #expect(status.signalsLimit == 63_704)
        #expect(StatusDetail.parse(Array("Name:\tx\nState:\tS\n".utf8)) == nil)
    }

    @Test func schedulingFieldsCountedAfterTheLastParenthesis() throws {
        let s = try #require(StatScheduling.parse(try bytes("4242/stat")))
        #expect(s == StatScheduling(realtimePriority: 5, policy: 2))
        #expect(s.policyName == "SCHED_RR")
        // A name that fakes fields: only the bytes after the last ')' count.
        let forged = "9 (x) 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 (y) S " + String(repeating: "0 ", count: 36) + "7 3\n"
        #expect(StatScheduling.parse(Array(forged.utf8)) == StatScheduling(realtimePriority: 7, policy: 3))
        #expect(StatScheduling.parse(Array("9 (x) S 1 2 3".utf8)) == nil)
    }

    @Test func wchanAndKernelStack() throws {
        #expect(Array("do_epoll_wait\n".utf8).withUnsafeBufferPointer { KernelWait.wchan($0) } == "do_epoll_wait")
        #expect(Array("0".utf8).withUnsafeBufferPointer { KernelWait.wchan($0) } == nil)
        #expect([UInt8]().withUnsafeBufferPointer { KernelWait.wchan($0) } == nil)
        let frames = try bytes("4242/stack").withUnsafeBufferPointer { KernelWait.stack($0) }
        #expect(frames == ["folio_wait_bit_common+0x13f/0x340", "filemap_fault+0x5c1/0x9d0"])
        #expect(Array("[<0>]".utf8).withUnsafeBufferPointer { KernelWait.stack($0) } == [""])
    }

    @Test func readerReadsEveryDetailFileOfTheProcess() throws {
        let reader = try ProcReader(root: Self.root)
        guard case .read(let d) = reader.detail(4242, startTicks: 1000) else {
            Issue.record("4242 not read")
            return
        }
        #expect(d.stat.comm == Array("my) app".utf8))
        #expect(d.scheduling == StatScheduling(realtimePriority: 5, policy: 2))
        #expect(try d.exe.get() == Array("/usr/bin/app (deleted)".utf8))
        #expect(try d.cwd.get() == Array("/srv/app".utf8))
        #expect(try d.root.get() == Array("/srv/app/jail".utf8))
        #expect(try d.wchan.get() == "folio_wait_bit_common")
        #expect(try d.stack?.get() == ["folio_wait_bit_common+0x13f/0x340", "filemap_fault+0x5c1/0x9d0"])
        #expect(try d.cmdline.get().map { String(decoding: $0, as: UTF8.self) } == ["/usr/bin/app", "--port", "8080"])
        #expect(try d.environment.get().map { String(decoding: $0, as: UTF8.self) } == ["HOME=/home/app", "LANG=C.UTF-8", "EVIL=\u{1b}]0;pwned\u{07}"])
        #expect(try d.limits.get()["nofile"]?.soft == .limited(10))
        let files = try d.openFiles.get()
        #expect(d.openFileCount == 9)
        #expect(files.map(\.fd) == [0, 1, 2, 3, 4, 5, 6, 7, 8])
        #expect(try files.map { String(decoding: try $0.target.get(), as: UTF8.self) } == [
            "/dev/null", "/var/log/app.log", "/var/log/app.log", "socket:[1001]", "socket:[1002]", "socket:[2001]",
            "socket:[9999]", "pipe:[77]", "/var/log/old.log (deleted)",
        ])
        #expect(d.sockets.count == 10)
        #expect(d.sockets[1002]?.remote == "93.184.216.34:443")
        #expect(d.sockets[2001]?.state == "LISTEN")
        #expect(d.sockets[9999] == nil)
    }

    @Test func anotherStartTimeIsAnotherProcess() throws {
        let reader = try ProcReader(root: Self.root)
        #expect(reader.detail(4242, startTicks: 999) == .gone)
        #expect(reader.detail(5555, startTicks: 1000) == .gone)
    }

    /// A process without the files (here: init in the fixture, which has no links) says why
    /// in each place instead of failing as a whole; no stack is read outside disk sleep.
    @Test func missingFilesAreFailuresInTheirPlace() throws {
        let reader = try ProcReader(root: Self.root)
        guard case .read(let d) = reader.detail(1, startTicks: 1) else {
            Issue.record("1 not read")
            return
        }
        #expect(d.exe == .failure(.gone))
        #expect(d.openFiles == .failure(.gone))
        #expect(d.environment == .failure(.gone))
        #expect(d.stack == nil)
        #expect(d.sockets.count == 0)
    }

    /// A tool that walks Fixtures and follows links (glob's `**`, `cp -L`, an editor's search)
    /// must not leave the fixture: 4242's root once pointed at `/` and led into the live /proc,
    /// which never ends. Every recorded link names a path that is not a directory here.
    @Test func noFixtureLinkLeadsToADirectory() throws {
        let files = FileManager.default
        var links: [String] = []
        var pending = [Paths.packageRoot + "/Fixtures"]
        while let directory = pending.popLast() {
            for name in try files.contentsOfDirectory(atPath: directory) {
                let path = directory + "/" + name
                let type = try files.attributesOfItem(atPath: path)[.type] as? FileAttributeType
                if type == .typeSymbolicLink {
                    links.append(path)
                } else if type == .typeDirectory {
                    pending.append(path)
                }
            }
        }
        // The detail fixture's cwd, exe, root and nine fds: proof that the walk found them.
        #expect(links.count == 12)
        for link in links {
            var isDirectory: ObjCBool = false
            let exists = files.fileExists(atPath: link, isDirectory: &isDirectory)
            #expect(!(exists && isDirectory.boolValue), "\(link) -> \((try? files.destinationOfSymbolicLink(atPath: link)) ?? "?") is a directory")
        }
    }
}
