import Foundation
import Testing
import TestSupport

/// swtop-exporter against clients that do not play fair (issue 17, items 3 and 4): its memory
/// stays bounded, it does not spin when out of descriptors, it serves a bounded number of
/// connections, and it serves again once they are gone.
@Suite(.serialized) struct ExporterLoadTests {
    /// A field of /proc/PID/status in kB (VmHWM, VmRSS).
    func statusKB(_ pid: Int32, _ field: String) -> Int? {
        let text = String(decoding: procFile("/proc/\(pid)/status"), as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return nil }
        return Int(line.dropFirst(field.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
    }

    /// A /proc file read to its end (a size-0 file that may take several reads).
    func procFile(_ path: String) -> Data {
        FileHandle(forReadingAtPath: path)?.readDataToEndOfFile() ?? Data()
    }

    /// POLLRDHUP (Linux; Glibc does not export it to Swift).
    static let peerClosed: Int16 = 0x2000

    /// Whether the server closed the connection (poll POLLRDHUP), whatever the client left unread.
    func closedByServer(_ connection: Connection) -> Bool {
        var pfd = pollfd(fd: connection.fd, events: Self.peerClosed, revents: 0)
        return poll(&pfd, 1, 0) == 1 && pfd.revents & (Self.peerClosed | Int16(POLLHUP | POLLERR)) != 0
    }

    /// Whether something arrived to read.
    func answered(_ connection: Connection) -> Bool {
        var pfd = pollfd(fd: connection.fd, events: Int16(POLLIN), revents: 0)
        return poll(&pfd, 1, 0) == 1 && pfd.revents & Int16(POLLIN) != 0
    }

    /// Sends `count` pipelined GET /metrics without reading anything, until the server stops
    /// taking them (its socket buffers full for 300 ms) or all are sent; the bytes sent.
    func pipeline(_ connection: Connection, count: Int) -> Int {
        _ = fcntl(connection.fd, F_SETFL, fcntl(connection.fd, F_GETFL) | O_NONBLOCK)
        let requests = Array(String(repeating: "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", count: count).utf8)
        var sent = 0
        while sent < requests.count {
            let n = requests[sent...].withUnsafeBytes { send(connection.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                sent += n
                continue
            }
            guard n < 0, errno == EAGAIN || errno == EINTR else { break }
            var pfd = pollfd(fd: connection.fd, events: Int16(POLLOUT), revents: 0)
            if poll(&pfd, 1, 300) == 0 { break }
        }
        return sent
    }

    /// The exporter's established TCP connections on `port` (its socket inodes, looked up in
    /// /proc/net/tcp).
    func serverConnections(_ pid: Int32, port: Int) -> Int {
        let fdDirectory = "/proc/\(pid)/fd"
        var inodes: Set<String> = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: fdDirectory)) ?? [] {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: fdDirectory + "/" + name),
                target.hasPrefix("socket:[")
            else { continue }
            inodes.insert(String(target.dropFirst(8).dropLast()))
        }
        let table = String(decoding: procFile("/proc/net/tcp"), as: UTF8.self)
        let localPort = String(format: ":%04X", port)
        return table.split(separator: "\n").dropFirst().filter { line in
            let fields = line.split(separator: " ")
            return fields.count > 9 && fields[1].hasSuffix(localPort) && fields[3] == "01" && inodes.contains(String(fields[9]))
        }.count
    }

    /// Four clients each pipeline 20,000 GET /metrics and never read a byte. Each connection
    /// holds one response in flight, the server stops reading from it, and closes it when the
    /// response has not gone out within the request timeout. The exporter's peak RSS stays
    /// small, and it serves again.
    @Test func pipeliningClientsThatNeverReadCannotGrowMemory() throws {
        let port = try freePort()
        let server = try Server(exporterPath, ["--listen", "127.0.0.1:\(port)", "--group-by", "name", "--request-timeout", "2"], label: "exporter")
        defer { server.stop() }
        try server.waitReady(port: port, path: "/metrics")
        let pid = server.process.processIdentifier
        let before = try #require(statusKB(pid, "VmHWM"))
        nonisolated(unsafe) let clients = try (0..<4).map { _ in try Connection(port: port, timeout: 30) }
        nonisolated(unsafe) var sent = [Int](repeating: 0, count: clients.count)
        DispatchQueue.concurrentPerform(iterations: clients.count) { i in sent[i] = pipeline(clients[i], count: 20_000) }
        // Every client is cut off: its responses did not go out in time.
        let cut = waitUntil(90) { clients.allSatisfy(closedByServer) }
        let peak = try #require(statusKB(pid, "VmHWM"))
        #expect(cut, "the exporter kept the pipelining clients (peak \(peak) kB; sent \(sent))")
        // Each client got far fewer requests read than it sent: the server stopped reading.
        #expect(sent.allSatisfy { $0 < 20_000 * 35 }, "sent \(sent) bytes: the server read them all")
        #expect(peak < 40 * 1024, "peak RSS \(peak) kB (before the clients: \(before) kB)")
        #expect(server.process.isRunning)
        let scrape = try httpGet(port: port, "/metrics")
        #expect(scrape.status == 200)
        #expect(scrape.body.contains("# TYPE swtop_group_num_procs gauge"))
        let rss = try #require(statusKB(pid, "VmRSS"))
        #expect(rss < 40 * 1024, "RSS after: \(rss) kB")
    }

    /// With RLIMIT_NOFILE 64 and 200 connections waiting, accept fails with EMFILE over and
    /// over: the exporter backs off instead of retrying in a loop (it used a whole CPU), and
    /// once the idle sockets are closed a scrape is answered.
    @Test(.enabled(if: isInstalled("/usr/bin/prlimit"), "needs prlimit (util-linux)"))
    func outOfDescriptorsItBacksOffInsteadOfSpinning() throws {
        let port = try freePort()
        let server = try Server("/usr/bin/prlimit", [
            "--nofile=64:64", "--", exporterPath, "--listen", "127.0.0.1:\(port)", "--group-by", "name", "--request-timeout", "3",
        ], label: "exporter")
        defer { server.stop() }
        try server.waitReady(port: port, path: "/metrics")
        let pid = server.process.processIdentifier
        var idle = try (0..<200).map { _ in try Connection(port: port, timeout: 30) }
        let cpuBefore = try cpuTicks(pid)
        // The connections it could accept are idle: it closes them after the timeout (3 s).
        // Until then, and meanwhile, the rest wait in the listen queue.
        #expect(waitUntil(30) { idle.contains(where: closedByServer) })
        let used = try cpuTicks(pid) - cpuBefore
        #expect(used < 50, "the exporter used \(used) ticks of CPU in the 3 s it was out of descriptors")
        #expect(server.process.isRunning)
        let freed = idle.count
        // Closing the idle ones lets a scrape through.
        idle.removeAll()
        var scraped: Int?
        #expect(waitUntil(30) {
            scraped = try? httpGet(port: port, "/metrics", timeout: 5).status
            return scraped == 200
        }, "no scrape answered after \(freed) idle sockets closed: \(String(describing: scraped)) \(server.output)")
    }

    /// --max-connections 4: four connections are served, the others wait in the listen queue
    /// until one closes.
    @Test func connectionCapHoldsTheRestInTheQueue() throws {
        let port = try freePort()
        let server = try Server(exporterPath, [
            "--listen", "127.0.0.1:\(port)", "--group-by", "name", "--request-timeout", "60", "--max-connections", "4",
        ], label: "exporter")
        defer { server.stop() }
        try server.waitReady(port: port, path: "/")
        let pid = server.process.processIdentifier
        // waitReady's connections are closed; the exporter has none now.
        #expect(waitUntil { serverConnections(pid, port: port) == 0 })
        var clients = try (0..<10).map { _ in try Connection(port: port, timeout: 30) }
        for client in clients { try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n") }
        #expect(waitUntil { clients.filter(answered).count == 4 })
        #expect(serverConnections(pid, port: port) == 4)
        // One served client leaves: one waiting one is served.
        let leaving = try #require(clients.firstIndex(where: answered))
        clients.remove(at: leaving)
        #expect(waitUntil { clients.filter(answered).count == 4 })
        #expect(serverConnections(pid, port: port) == 4)
        #expect(clients.filter(answered).count == 4 && clients.filter { !answered($0) }.count == 5)
        let refused = try run(exporterPath, ["--listen", "127.0.0.1:0", "--max-connections", "0"])
        #expect(refused.status == 64 && refused.stderr.contains("invalid --max-connections '0': expected 1 to 200"))
    }

    /// The systemd unit's LimitNOFILE fits the connection cap (issue 17, item 4): the kept /proc
    /// files leave 256 descriptors free (Sampler.fdsLeftFree), so the limit must be above that,
    /// and under it the exporter holds the most connections --max-connections allows (200)
    /// and still answers a scrape. (The unit's 65,536 is above this machine's hard limit of
    /// 20,000: the exporter runs under the smaller of the two.)
    @Test(.enabled(if: isInstalled("/usr/bin/prlimit"), "needs prlimit (util-linux)"))
    func theUnitsOpenFileLimitFitsTheMostConnections() throws {
        let unit = try String(contentsOfFile: Paths.packageRoot + "/Packaging/swtop-exporter.service", encoding: .utf8)
        let limit = try #require(unit.split(separator: "\n").first { $0.hasPrefix("LimitNOFILE=") }.flatMap { Int($0.dropFirst(12)) })
        #expect(limit > 256 + 200, "LimitNOFILE=\(limit)")
        var own = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &own)
        let applied = min(limit, Int(own.rlim_max))
        let port = try freePort()
        let server = try Server("/usr/bin/prlimit", [
            "--nofile=\(applied):\(applied)", "--", exporterPath, "--listen", "127.0.0.1:\(port)", "--group-by", "name",
            "--request-timeout", "60", "--max-connections", "200",
        ], label: "exporter")
        defer { server.stop() }
        try server.waitReady(port: port, path: "/metrics")
        let pid = server.process.processIdentifier
        let idle = try (0..<199).map { _ in try Connection(port: port, timeout: 30) }
        #expect(waitUntil(30) { serverConnections(pid, port: port) == 199 }, "\(serverConnections(pid, port: port)) connections")
        let scrape = try httpGet(port: port, "/metrics", timeout: 10)
        #expect(scrape.status == 200)
        withExtendedLifetime(idle) {}
    }
}
