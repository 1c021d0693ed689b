import Foundation
import Testing
import TestSupport

/// The HTTP endpoint itself: what it answers to bad input, and that it keeps serving.
@Suite struct EndpointTests {
    /// swtop-exporter on a port of the test's, with a short request timeout.
    func startExporter(timeout: Double = 1) throws -> (Server, Int) {
        let port = try freePort()
        let server = try Server(exporterPath, ["--listen", "127.0.0.1:\(port)", "--group-by", "name", "--request-timeout", String(timeout)], label: "exporter")
        try server.waitReady(port: port, path: "/metrics")
        return (server, port)
    }

    @Test func badRequestsGetErrorsAndServingGoesOn() throws {
        let (server, port) = try startExporter()
        defer { server.stop() }
        #expect(try httpGet(port: port, "/nope").status == 404)
        #expect(try httpGet(port: port, "/metrics/../etc/passwd").status == 404)
        let post = try Connection(port: port)
        try post.send("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc")
        #expect(parseResponse(post.readToEnd() ?? [])?.status == 405)
        // A malformed request line: 400, and the connection is closed.
        let garbage = try Connection(port: port)
        try garbage.send("THIS IS NOT HTTP\r\n\r\n")
        #expect(parseResponse(garbage.readToEnd() ?? [])?.status == 400)
        let binary = try Connection(port: port)
        try binary.send("\u{1}\u{2}\u{3}\r\n\r\n")
        #expect(parseResponse(binary.readToEnd() ?? [])?.status == 400)
        let scrape = try httpGet(port: port, "/metrics")
        #expect(scrape.status == 200)
        #expect(scrape.headers.contains("Content-Type: text/plain; version=0.0.4"))
        #expect(scrape.body.contains("# TYPE swtop_group_processes gauge"))
    }

    /// A client that sends half a request is cut off after the timeout; others are served
    /// meanwhile.
    @Test func slowClientTimesOutAndOthersAreServed() throws {
        let (server, port) = try startExporter(timeout: 1)
        defer { server.stop() }
        let slow = try Connection(port: port, timeout: 20)
        try slow.send("GET /metr")
        let started = Date()
        #expect(try httpGet(port: port, "/metrics").status == 200)
        // The server closes it: the read ends (no response, or a short one) well before 20 s.
        let answer = slow.readToEnd()
        let waited = Date().timeIntervalSince(started)
        #expect(answer != nil && waited < 10, "the slow connection stayed open \(waited) s")
        #expect(try httpGet(port: port, "/metrics").status == 200)
    }

    /// Scrapes that arrive together are all answered, from at most one reading of /proc each.
    @Test func concurrentScrapesShareReadings() throws {
        let (server, port) = try startExporter()
        defer { server.stop() }
        let before = try #require(sampleValue(try httpGet(port: port, "/metrics").body, "swtop_readings_total"))
        let count = 8
        nonisolated(unsafe) var statuses = [Int](repeating: 0, count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in
            statuses[i] = (try? httpGet(port: port, "/metrics").status) ?? -1
        }
        #expect(statuses == [Int](repeating: 200, count: count))
        let after = try #require(sampleValue(try httpGet(port: port, "/metrics").body, "swtop_readings_total"))
        // This last scrape is its own reading; the eight took at most eight.
        #expect(after - before >= 2 && after - before <= Double(count + 1))
    }

    /// One reading per scrape, in sequence.
    @Test func eachScrapeReadsOnce() throws {
        let (server, port) = try startExporter()
        defer { server.stop() }
        var values: [Double] = []
        for _ in 0..<3 {
            values.append(try #require(sampleValue(try httpGet(port: port, "/metrics").body, "swtop_readings_total")))
        }
        #expect(values[1] == values[0] + 1 && values[2] == values[1] + 1)
    }

    @Test func listenNeedsAnAddressAndPort() throws {
        let r = try run(Paths.swtop, ["export", "--listen", "nonsense"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("invalid --listen 'nonsense'"))
    }
}
