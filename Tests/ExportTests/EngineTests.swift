import Foundation
import Testing
import TestSupport

let promtool = "/usr/bin/promtool"
let prometheus = "/usr/bin/prometheus"
let nodeExporter = "/usr/bin/prometheus-node-exporter"

/// What Prometheus' own tools and servers make of swtop's metrics and rules. Each test skips,
/// saying so, where Debian's `prometheus` or `prometheus-node-exporter` is not installed
/// (.ci/run installs them).
@Suite struct EngineTests {
    @Test(.enabled(if: isInstalled(promtool), "promtool is not installed (Debian package prometheus)"))
    func promtoolFindsNothingToSayAboutTheMetrics() throws {
        for arguments in [["export", "--per-process"], ["export", "--group-by", "user"], ["export", "--proc-root", Paths.fixture("hardcases"), "--per-process", "--top", "1000"]] {
            let exposition = try run(Paths.swtop, arguments)
            #expect(exposition.status == 0, "\(arguments): \(exposition.stderr)")
            let input = Paths.temporaryDirectory("promtool") + "/metrics.prom"
            try exposition.stdout.write(to: URL(fileURLWithPath: input))
            // promtool reads the exposition on stdin; a shell gives it the file.
            let check = try run("/bin/sh", ["-c", "\(promtool) check metrics < '\(input)'"])
            #expect(check.status == 0, "\(arguments): \(check.stderr)")
            #expect(check.stdout.isEmpty && check.stderr.isEmpty, "\(arguments): promtool said: \(check.stdoutText) \(check.stderr)")
        }
        // The endpoint's, with the lifecycle families (exits, OOM kills, crash loops) and an exit
        // seen: a child of the test's ends between two scrapes.
        let port = try freePort()
        let server = try Server(exporterPath, ["--listen", "127.0.0.1:\(port)", "--per-process"], label: "exporter")
        defer { server.stop() }
        try server.waitReady(port: port, path: "/metrics")
        let children = Children()
        let child = try children.sleeper(named: "swtopfleetcheck")
        _ = try httpGet(port: port, "/metrics")
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        var body = ""
        #expect(waitUntil { body = (try? httpGet(port: port, "/metrics").body) ?? ""; return body.contains(#"swtop_exits_total{group="swtopfleetcheck",outcome="killed"} 1"#) })
        let input = Paths.temporaryDirectory("promtool") + "/endpoint.prom"
        try body.write(toFile: input, atomically: true, encoding: .utf8)
        let check = try run("/bin/sh", ["-c", "\(promtool) check metrics < '\(input)'"])
        #expect(check.status == 0 && check.stdout.isEmpty && check.stderr.isEmpty, "endpoint: promtool said: \(check.stdoutText) \(check.stderr)")
        #expect(body.contains("# TYPE swtop_exits_total counter") && body.contains("# TYPE swtop_crash_looping gauge"))
    }

    @Test(.enabled(if: isInstalled(promtool), "promtool is not installed (Debian package prometheus)"))
    func alertRulesCheckAndTheirUnitTestsPass() throws {
        let rules = Paths.packageRoot + "/Monitoring/swtop-rules.yml"
        let check = try run(promtool, ["check", "rules", rules])
        #expect(check.status == 0, "\(check.stdoutText) \(check.stderr)")
        #expect(check.stdoutText.contains("SUCCESS: 5 rules found"))
        let tests = try run(promtool, ["test", "rules", Paths.packageRoot + "/Monitoring/swtop-rules.test.yml"])
        #expect(tests.status == 0, "\(tests.stdoutText) \(tests.stderr)")
        #expect(tests.stdoutText.contains("SUCCESS"))
    }

    /// The textfile is replaced whole: a reader never sees half of it.
    @Test func textfileIsAlwaysWhole() throws {
        let directory = Paths.temporaryDirectory("textfile")
        let path = directory + "/swtop.prom"
        let writer = try Server(Paths.swtop, ["export", "--textfile", path, "--every", "0.1"], label: "textfile")
        defer { writer.stop() }
        #expect(waitUntil { FileManager.default.fileExists(atPath: path) }, "no \(path): \(writer.output)")
        var reads = 0
        var readings: Set<Double> = []
        while readings.count < 5 {
            guard let bytes = fileBytes(path) else { Issue.record("\(path) vanished"); return }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.hasPrefix("# HELP swtop_group_num_procs "))
            #expect(text.hasSuffix("\n") && text.contains("\nswtop_scrape_duration_seconds "), "a cut file: \(text.suffix(100))")
            if let readings_ = sampleValue(text, "swtop_readings_total") { readings.insert(readings_) }
            reads += 1
            #expect(reads < 100_000, "the file stopped changing: \(writer.output)")
            if reads >= 100_000 { return }
        }
        // Only the target and nothing left behind that node_exporter would read (*.prom).
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".prom") }
        #expect(names == ["swtop.prom"])
    }

    @Test(.enabled(if: isInstalled(nodeExporter), "prometheus-node-exporter is not installed"))
    func nodeExporterServesTheTextfile() throws {
        let children = Children()
        for _ in 0..<3 { try children.sleeper(named: "swtopfleetnode") }
        let directory = Paths.temporaryDirectory("textfile")
        let writer = try Server(Paths.swtop, ["export", "--group-by", "name", "--textfile", directory + "/swtop.prom", "--every", "1"], label: "textfile")
        defer { writer.stop() }
        let port = try freePort()
        let node = try Server(nodeExporter, [
            "--web.listen-address=127.0.0.1:\(port)", "--collector.disable-defaults", "--collector.textfile",
            "--collector.textfile.directory=\(directory)",
        ], label: "node")
        defer { node.stop() }
        try node.waitReady(port: port, path: "/metrics")
        var metrics = ""
        let served = waitUntil(30) {
            metrics = (try? httpGet(port: port, "/metrics").body) ?? ""
            return sampleValue(metrics, #"swtop_group_num_procs{group="swtopfleetnode"}"#) == 3
        }
        #expect(served, "node_exporter's /metrics: \(metrics.split(separator: "\n").filter { $0.contains("swtop") || $0.contains("textfile") }.prefix(20))\nwriter: \(writer.output)\nnode: \(node.output.suffix(2000))")
        #expect(sampleValue(metrics, "node_textfile_scrape_error") == 0)
        #expect(metrics.contains("# TYPE swtop_group_cpu_seconds_total counter"))
    }

    @Test(.enabled(if: isInstalled(prometheus), "prometheus is not installed"))
    func prometheusScrapesTheEndpoint() throws {
        let children = Children()
        var sleepers = [try children.sleeper(named: "swtopfleetprom")]
        for _ in 0..<2 { sleepers.append(try children.sleeper(named: "swtopfleetprom")) }
        let exporterPort = try freePort()
        let exporter = try Server(Paths.swtop, ["export", "--group-by", "name", "--listen", "127.0.0.1:\(exporterPort)"], label: "exporter")
        defer { exporter.stop() }
        try exporter.waitReady(port: exporterPort, path: "/metrics")

        let directory = Paths.temporaryDirectory("prometheus")
        let config = """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: swtop
                static_configs:
                  - targets: ['127.0.0.1:\(exporterPort)']
            """
        try config.write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
        let port = try freePort()
        let server = try Server(prometheus, [
            "--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/data",
            "--web.listen-address=127.0.0.1:\(port)",
        ], label: "prometheus")
        defer { server.stop() }
        try server.waitReady(port: port, path: "/-/ready", seconds: 60)

        func query(_ promql: String) -> String? {
            let encoded = promql.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            guard let response = try? httpGet(port: port, "/api/v1/query?query=\(encoded)"), response.status == 200,
                let json = try? JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any],
                let data = json["data"] as? [String: Any], let result = data["result"] as? [[String: Any]],
                let first = result.first, let value = first["value"] as? [Any]
            else { return nil }
            return value.last as? String
        }
        let three = waitUntil(60) { query(#"swtop_group_num_procs{group="swtopfleetprom"}"#) == "3" }
        #expect(three, "Prometheus never saw 3 swtopfleetprom processes: \(query(#"swtop_group_num_procs{group="swtopfleetprom"}"#) ?? "nothing"); exporter: \(exporter.output)")
        #expect(query(#"sum(swtop_group_processes{group="swtopfleetprom",state="sleeping"})"#) == "3")
        // One of them killed: Prometheus sees two, and an exit with outcome killed.
        kill(sleepers[0].processIdentifier, SIGKILL)
        sleepers[0].waitUntilExit()
        #expect(waitUntil(60) { query(#"swtop_group_num_procs{group="swtopfleetprom"}"#) == "2" })
        #expect(waitUntil(60) { query(#"swtop_exits_total{group="swtopfleetprom",outcome="killed"}"#) == "1" },
            "exits: \(query(#"sum by (outcome) (swtop_exits_total{group="swtopfleetprom"})"#) ?? "none")")
        // A child that exits 3 (a shell named swtopfleetexit, once the exporter has seen it).
        let shell = children.linkPath("swtopfleetexit")
        try? FileManager.default.removeItem(atPath: shell)
        try FileManager.default.createSymbolicLink(atPath: shell, withDestinationPath: "/bin/sh")
        try children.start(shell, ["-c", "sleep 3; exit 3"])
        #expect(waitUntil(60) { query(#"swtop_exits_total{group="swtopfleetexit",outcome="exited"}"#) == "1" },
            "exits: \(query(#"sum by (outcome) (swtop_exits_total{group="swtopfleetexit"})"#) ?? "none")")
        #expect(query(#"up{job="swtop"}"#) == "1")
    }
}
