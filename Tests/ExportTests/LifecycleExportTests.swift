import Foundation
import Testing
import TestSupport

/// The exporter's lifecycle families as root: the proc connector's events are read at each
/// scrape, long after a short process has gone, so its name comes from the kernel's own word
/// (the comm event of its exec), never `[unknown]`.
@Suite(.enabled(if: isRoot, "the proc connector needs root")) struct LifecycleExportTests {
    @Test func processesOfAFewHundredMillisecondsAreCountedUnderTheirName() throws {
        let port = try freePort()
        let server = try Server(exporterPath, ["--listen", "127.0.0.1:\(port)"], label: "exporter-brief")
        defer { server.stop() }
        try server.waitReady(port: port, path: "/metrics")
        // A shell under a name of its own (the kernel names a process after the file it execs).
        let name = "swtopbrief\(Int.random(in: 1000...9999))"
        let children = Children()
        let link = children.linkPath(name)
        try? FileManager.default.removeItem(atPath: link)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/bin/sh")
        for _ in 0..<4 {
            let p = try children.start(link, ["-c", "sleep 0.3; exit 2"])
            p.waitUntilExit()
            #expect(p.terminationStatus == 2)
        }
        var body = ""
        let series = #"swtop_exits_total{group="\#(name)",outcome="exited"}"#
        #expect(waitUntil(30) {
            body = (try? httpGet(port: port, "/metrics").body) ?? ""
            return sampleValue(body, series) == 4
        }, "\(series) in:\n\(body.split(separator: "\n").filter { $0.hasPrefix("swtop_exits_total") }.joined(separator: "\n"))")
    }
}
