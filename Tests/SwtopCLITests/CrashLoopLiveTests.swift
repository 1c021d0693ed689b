import Foundation
import Testing
import TestSupport

/// Crash loops and the names of ends, with real processes watched by `swtop events` as root
/// (the proc connector): what is a loop (a shell that respawns a failing server, nginx
/// respawning a killed worker), what is not (a script that ran a failing command three times,
/// three forks of one parent, three different programs), and that an end carries the name and
/// command line the process last had.
@Suite(.serialized, .enabled(if: isRoot, "the proc connector needs root")) struct CrashLoopLiveTests {
    /// Runs `bash -c SCRIPT` to its end; returns its pid.
    func bash(_ script: String, _ arguments: [String] = []) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", script] + arguments
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    /// Waits until `parent`'s own exit has been told, then a moment for anything it would bring.
    func settle(_ stream: EventStream, after parent: Int32) throws {
        _ = try #require(stream.wait { $0["event"] as? String == "exit" && $0["pid"] as? Int == Int(parent) }, "\(stream.text)")
        _ = stream.wait(1.5) { _ in false }
    }

    func loops(under parent: Int32, in stream: EventStream) -> [[String: Any]] {
        stream.all.filter { $0["event"] as? String == "crash_loop" && $0["ppid"] as? Int == Int(parent) }
    }

    @Test func aScriptThatRanAFailingCommandThreeTimesIsNoLoop() throws {
        let stream = try EventStream(["--for", "60"])
        defer { stream.stop() }
        let mark = marker("grep3")
        let script = try bash("for i in 1 2 3; do grep -q -e \"$0\" /etc/hostname; done", [mark])
        try settle(stream, after: script)
        let greps = stream.all.filter { $0["event"] as? String == "exit" && $0["ppid"] as? Int == Int(script) }
        #expect(greps.count == 3, "\(stream.text)")
        // Named grep where swtop read it in time, never another's name.
        #expect(greps.allSatisfy { ["grep", ""].contains($0["name"] as? String ?? "-") && $0["exit_code"] as? Int == 1 }, "\(greps)")
        #expect(loops(under: script, in: stream).isEmpty, "\(stream.text)")
    }

    @Test func threeForksOfOneParentAreNoLoop() throws {
        let stream = try EventStream(["--for", "60"])
        defer { stream.stop() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import os\nfor i in range(3):\n    if os.fork() == 0: os._exit(1)\nfor i in range(3): os.wait()", marker("forks")]
        try p.run()
        p.waitUntilExit()
        try settle(stream, after: p.processIdentifier)
        let children = stream.all.filter { $0["event"] as? String == "exit" && $0["ppid"] as? Int == Int(p.processIdentifier) }
        #expect(children.count == 3 && children.allSatisfy { $0["exit_code"] as? Int == 1 }, "\(stream.text)")
        #expect(loops(under: p.processIdentifier, in: stream).isEmpty, "\(stream.text)")
    }

    @Test func threeDifferentProgramsAreNoLoop() throws {
        let stream = try EventStream(["--for", "60"])
        defer { stream.stop() }
        let script = try bash("/bin/false; ls /nonexistent; grep -q x /dev/null")
        try settle(stream, after: script)
        let ends = stream.all.filter { $0["event"] as? String == "exit" && $0["ppid"] as? Int == Int(script) }
        // bash execs its last command itself (grep is the script's own pid): two children.
        #expect(ends.compactMap { $0["exit_code"] as? Int } == [1, 2], "\(stream.text)")
        #expect(loops(under: script, in: stream).isEmpty, "\(stream.text)")
    }

    /// `while :; do server; sleep 1; done`, the server failing each time.
    @Test func aShellRespawningAFailingServerIsALoop() throws {
        let stream = try EventStream(["--for", "60"])
        defer { stream.stop() }
        let mark = marker("server")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", "while :; do /bin/sh -c 'sleep 0.1; exit 4' \"$0\"; sleep 1; done", mark]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        defer {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
        let loop = try #require(stream.wait(30) { $0["event"] as? String == "crash_loop" && $0["ppid"] as? Int == Int(p.processIdentifier) }, "\(stream.text)")
        #expect(loop["cmdline"] as? [String] == ["/bin/sh", "-c", "sleep 0.1; exit 4", mark])
        #expect(loop["restarts"] as? Int == 3)
        #expect(loop["last_exit_code"] as? Int == 4)
        // Reported when the third restart starts: the fourth run, the three before it ended.
        let runs = stream.events(marked: mark).filter { $0["event"] as? String == "exit" }.compactMap { $0["pid"] as? Int }
        let pids = try #require(loop["pids"] as? [Int])
        #expect(runs.count >= 3 && pids.count == 3, "\(stream.text)")
        if runs.count >= 3 { #expect(Array(pids.prefix(2)) == Array(runs[1...2]), "\(stream.text)") }
        #expect(pids.last == loop["pid"] as? Int)
        // Reported once when the loop starts, not at every later restart.
        _ = stream.wait(2.5) { _ in false }
        #expect(loops(under: p.processIdentifier, in: stream).count == 1)
    }

    /// nginx (its own config, in a temporary directory) respawns each worker killed: a loop of
    /// the master's program, each worker's end told with its own title.
    @Test(.enabled(if: isInstalled("/usr/sbin/nginx"), "nginx is not installed (apt-get install nginx)"))
    func nginxRespawningAKilledWorkerIsALoop() throws {
        let directory = Paths.temporaryDirectory("nginx")
        let port = 20_000 + Int(getpid() % 20_000)
        let config = """
            worker_processes 1; daemon off; pid \(directory)/nginx.pid; error_log \(directory)/error.log;
            events { worker_connections 16; }
            http { access_log off; client_body_temp_path \(directory); proxy_temp_path \(directory);
                   fastcgi_temp_path \(directory); uwsgi_temp_path \(directory); scgi_temp_path \(directory);
                   server { listen 127.0.0.1:\(port); } }
            """
        try config.write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
        let stream = try EventStream(["--for", "90", "--refresh", "0.2"])
        defer { stream.stop() }
        let master = Process()
        master.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        master.arguments = ["-p", directory, "-c", directory + "/nginx.conf"]
        master.standardError = FileHandle.nullDevice
        try master.run()
        let pid = master.processIdentifier
        func workers() -> [Int32] {
            String(decoding: fileBytes("/proc/\(pid)/task/\(pid)/children") ?? [], as: UTF8.self).split(separator: " ").compactMap { Int32($0) }
        }
        defer {
            // The workers outlive a killed master: each is ended by pid. The master is reaped
            // here, not by waiting on Foundation's Process (which did not return once).
            let left = workers()
            kill(pid, SIGKILL)
            for worker in left { kill(worker, SIGKILL) }
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        func worker(other than: Int32) -> Int32? {
            var found: Int32?
            _ = waitUntil(10) {
                found = workers().first { $0 != than }
                return found != nil
            }
            return found
        }
        var killed: [Int32] = []
        var current = try #require(worker(other: 0))
        for _ in 0..<3 {
            // A moment for the worker to be up and retitled (and read again by swtop).
            _ = stream.wait(0.5) { _ in false }
            kill(current, SIGKILL)
            killed.append(current)
            current = try #require(worker(other: current))
        }
        for victim in killed {
            let e = try #require(stream.wait { $0["event"] as? String == "exit" && $0["pid"] as? Int == Int(victim) }, "\(stream.text)")
            // Its own title, not the master's command line it had at the fork (setproctitle
            // leaves the rest of the argument area as empty arguments).
            let cmdline = e["cmdline"] as? [String] ?? []
            #expect(cmdline.first == "nginx: worker process" && cmdline.dropFirst().allSatisfy(\.isEmpty), "\(e)")
            #expect(e["name"] as? String == "nginx")
            #expect(e["signal"] as? String == "SIGKILL")
        }
        let loop = try #require(stream.wait { $0["event"] as? String == "crash_loop" && $0["ppid"] as? Int == Int(pid) }, "\(stream.text)")
        #expect(loop["restarts"] as? Int == 3)
        #expect(loop["last_signal"] as? String == "SIGKILL")
        #expect(loop["pid"] as? Int == Int(current))
    }

    /// A child that renames itself after its fork (prctl PR_SET_NAME, as postgres and node's
    /// process.title do) ends under its new name.
    @Test func aProcessRenamedAfterItsForkIsNamedByItsNewName() throws {
        let stream = try EventStream(["--for", "60"])
        defer { stream.stop() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = [
            "-c", "import ctypes, os, time\nif os.fork() == 0:\n    ctypes.CDLL(None).prctl(15, b'swtop-renamed', 0, 0, 0)\n    time.sleep(0.2)\n    os._exit(3)\nos.wait()",
            marker("rename"),
        ]
        try p.run()
        p.waitUntilExit()
        let e = try #require(stream.wait { $0["event"] as? String == "exit" && $0["ppid"] as? Int == Int(p.processIdentifier) }, "\(stream.text)")
        #expect(e["name"] as? String == "swtop-renamed")
        #expect(e["exit_code"] as? Int == 3)
    }
}
