import Foundation
import Testing
import TestSupport

/// `swtop stop`, `signal`, `renice` and `limits` as a script runs them, on real children.
@Suite(.serialized) struct ControlCommandTests {
    @Test func stopExitStatusZeroWhenEveryTargetExitsAfterTerm() throws {
        let children = Children()
        defer { children.stopAll() }
        let child = try children.testee(["handle-term"])
        let pid = child.processIdentifier
        let r = try swtop(["stop", "\(pid)"])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        let line = r.stdoutText
        #expect(line.hasPrefix("\(pid) (swtop-testee): exited ") && line.hasSuffix(" s after SIGTERM\n"))
    }

    @Test func stopExitStatusThreeWhenAnyNeededKill() throws {
        let children = Children()
        defer { children.stopAll() }
        let a = try children.testee(["ignore-term"])
        let b = try children.testee(["handle-term"])
        let r = try swtop(["stop", "--grace", "0.5", "\(a.processIdentifier)", "\(b.processIdentifier)"])
        #expect(r.status == 3)
        let lines = r.stdoutText.split(separator: "\n").map(String.init).sorted()
        #expect(lines.count == 2)
        let killed = try #require(lines.first { $0.hasPrefix("\(a.processIdentifier) ") })
        #expect(killed.hasPrefix("\(a.processIdentifier) (swtop-testee): still running after 0.5 s: sent SIGKILL; gone "))
        #expect(killed.hasSuffix(" later"))
        #expect(lines.contains { $0.hasPrefix("\(b.processIdentifier) (swtop-testee): exited ") })
        a.waitUntilExit()
        #expect(a.terminationStatus == SIGKILL)
    }

    @Test func stopExitStatusOneWhenAnyCouldNotBeSignalled() throws {
        // 4194304 is the kernel's PID_MAX_LIMIT: no pid reaches it, whatever pid_max is.
        let r = try swtop(["stop", "4194304", "0", "-1"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == """
            swtop: 4194304: no such process
            swtop: 0: refused: pid 0 would signal the caller's whole process group
            swtop: -1: refused: pid -1 would signal every process

            """)
    }

    @Test func signalCountsOneHUP() throws {
        let children = Children()
        defer { children.stopAll() }
        let file = Paths.temporaryDirectory("cli-hup") + "/count"
        let child = try children.testee(["count-hup", file])
        let pid = child.processIdentifier
        let r = try swtop(["signal", "HUP", "\(pid)"])
        #expect(r.status == 0)
        #expect(r.stdoutText == "sent SIGHUP to \(pid) (swtop-testee)\n")
        #expect(waitUntil { fileBytes(file) == Array("1\n".utf8) })
        let term = try swtop(["signal", "15", "\(pid)"])
        #expect(term.stdoutText == "sent SIGTERM to \(pid) (swtop-testee)\n")
        child.waitUntilExit()
        #expect(fileBytes(file) == Array("1\n".utf8))
    }

    @Test func unknownSignalAndBadPidAreUsageErrors() throws {
        let bad = try swtop(["signal", "BOGUS", "1"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("unknown signal 'BOGUS'"))
        let pid = try swtop(["signal", "TERM", "12x"])
        #expect(pid.status == 64)
        #expect(pid.stderr.contains("invalid pid '12x'"))
        let nice = try swtop(["renice", "25", "1"])
        #expect(nice.status == 64)
        #expect(nice.stderr.contains("invalid nice '25': expected an integer from -20 to 19"))
    }

    /// An unprivileged process may not signal a root-owned process: the kernel's EPERM comes back
    /// in words. The target is a root sleeper this test starts, and the signal is USR1: CONT would
    /// be allowed by the kernel within one session (CI's pid 1 shares the tests' session).
    @Test(.enabled(if: isRoot, "needs root: starts a root-owned target and drops to another uid"),
          .enabled(if: isInstalled("/usr/bin/setpriv"), "needs setpriv (util-linux)"))
    func permissionDeniedIsReportedInWords() throws {
        let setpriv = "/usr/bin/setpriv"
        let children = Children()
        defer { children.stopAll() }
        let target = try children.sleeper(named: "root-owned").processIdentifier
        let r = try run(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", Paths.swtop, "signal", "USR1", "\(target)"])
        #expect(r.stderr == "swtop: \(target) (root-owned): not permitted: owned by user root\n")
        #expect(r.status == 1)
    }

    /// No kill(2), pidfd_open or pidfd_send_signal is made for pid 0 or -1: strace shows none.
    @Test(.enabled(if: isInstalled("/usr/bin/strace"), "needs strace"))
    func pidZeroAndMinusOneMakeNoSyscall() throws {
        let strace = "/usr/bin/strace"
        let log = Paths.temporaryDirectory("strace") + "/log"
        let r = try run(strace, ["-f", "-o", log, "-e", "trace=kill,tkill,tgkill,pidfd_open,pidfd_send_signal,rt_sigqueueinfo", Paths.swtop, "signal", "KILL", "--", "0", "-1"])
        #expect(r.status == 1)
        let calls = String(decoding: fileBytes(log) ?? [], as: UTF8.self)
            .split(separator: "\n").filter { !$0.contains("+++ exited") && !$0.contains("--- SIG") }
        #expect(calls == [])
        #expect(r.stderr.contains("swtop: 0: refused"))
        #expect(r.stderr.contains("swtop: -1: refused"))
    }

    /// As kill(1) and renice(1) take them: `signal -9 PID`, `signal -STOP PID`, `renice -5 PID`
    /// (that one below: lowering a nice value needs root).
    @Test func negativeValuesAsKillAndReniceTakeThem() throws {
        let children = Children()
        defer { children.stopAll() }
        let child = try children.testee(["threads", "2"])
        let pid = child.processIdentifier
        #expect(waitUntil { ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []).count == 2 })
        let stop = try swtop(["signal", "-STOP", "\(pid)"])
        #expect(stop.stdoutText == "sent SIGSTOP to \(pid) (swtop-testee)\n")
        let cont = try swtop(["signal", "-CONT", "\(pid)"])
        #expect(cont.stdoutText == "sent SIGCONT to \(pid) (swtop-testee)\n")
        let tid = try #require(((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []).compactMap { Int32($0) }.first { $0 != pid })
        let thread = try swtop(["signal", "-9", "\(tid)"])
        #expect(thread.status == 1)
        #expect(thread.stderr == "swtop: \(tid): a thread of process \(pid), not a process\n")
        let kill = try swtop(["signal", "-9", "\(pid)"])
        #expect(kill.stdoutText == "sent SIGKILL to \(pid) (swtop-testee)\n")
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL)
        let bad = try swtop(["renice", "-50", "1"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("invalid nice '-50': expected an integer from -20 to 19"))
    }

    @Test(.enabled(if: isRoot, "needs root: lowers a nice value below 0"))
    func negativeNiceAsReniceTakesIt() throws {
        let children = Children()
        defer { children.stopAll() }
        let pid = try children.testee(["threads", "2"]).processIdentifier
        #expect(waitUntil { ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []).count == 2 })
        let renice = try swtop(["renice", "-5", "\(pid)"])
        #expect(renice.status == 0)
        #expect(renice.stdoutText == "\(pid) (swtop-testee): nice \(runnerNice()) -> -5 on 2 threads\n")
    }

    @Test func reniceAndLimitsCommands() throws {
        let children = Children()
        defer { children.stopAll() }
        let child = try children.testee(["threads", "3"])
        let pid = child.processIdentifier
        #expect(waitUntil { ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []).count == 3 })
        // Raised from the runner's nice (it may be niced): no privilege needed.
        let niced = runnerNice(plus: 4)
        let renice = try swtop(["renice", "\(niced)", "\(pid)"])
        #expect(renice.status == 0)
        #expect(renice.stdoutText == "\(pid) (swtop-testee): nice \(runnerNice()) -> \(niced) on 3 threads\n")

        let set = try swtop(["limits", "\(pid)", "--set", "nofile=300:600"])
        #expect(set.status == 0)
        #expect(set.stdoutText == "\(pid): nofile soft 300 hard 600\n")
        let table = try swtop(["limits", "\(pid)"])
        #expect(table.stdoutText.contains("\nnofile      Max open files                  300          600  files\n"))
        #expect(table.stdoutText.hasPrefix("RESOURCE    DESCRIPTION                    SOFT         HARD  UNIT\n"))
        let json = try jsonObject(try swtop(["limits", "\(pid)", "--json"]).stdout)
        #expect(json["pid"] as? Int == Int(pid))
        #expect(json["name"] as? String == "swtop-testee")
        let nofile = (json["limits"] as? [String: [String: Any]])?["nofile"]
        #expect(nofile?["soft"] as? Int == 300)
        #expect(nofile?["hard"] as? Int == 600)
        #expect(nofile?["unit"] as? String == "files")

        let refused = try swtop(["limits", "\(pid)", "--set", "nofile=900"])
        #expect(refused.status == 1)
        #expect(refused.stderr == "swtop: \(pid): soft limit 900 is above the hard limit 600 of nofile\n")
        let unknown = try swtop(["limits", "\(pid)", "--set", "files=1"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("unknown resource 'files'"))
    }
}
