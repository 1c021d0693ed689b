import Foundation
import Testing
import TestSupport

/// Each command accepts only the options it uses; kill's and renice's habits; errors that say
/// what was wrong; the conventions a user of ps, kill and htop expects. On real children.
@Suite(.serialized) struct CommandOptionsTests {
    /// Whether `pid` is alive and not a zombie (field 3 of stat).
    static func running(_ pid: Int32) -> Bool {
        guard let stat = fileBytes("/proc/\(pid)/stat").map({ String(decoding: $0, as: UTF8.self) }),
              let close = stat.range(of: ")", options: .backwards)
        else { return false }
        return !stat[close.upperBound...].hasPrefix(" Z")
    }

    @Test func readonlyIsHonouredByTheCommandsThatAct() throws {
        let children = Children()
        defer { children.stopAll() }
        let pid = try children.testee(["handle-term"]).processIdentifier
        let stop = try swtop(["stop", "--readonly", "\(pid)"])
        #expect(stop.status == 1)
        #expect(stop.stderr == "swtop: --readonly: stop refused, nothing changed\n")
        #expect(stop.stdout.isEmpty)
        let signal = try swtop(["signal", "--readonly", "KILL", "\(pid)"])
        #expect(signal.stderr == "swtop: --readonly: signal refused, nothing changed\n")
        let renice = try swtop(["renice", "--readonly", "-n", "19", "\(pid)"])
        #expect(renice.stderr == "swtop: --readonly: renice refused, nothing changed\n")
        let set = try swtop(["limits", "\(pid)", "--readonly", "--set", "nofile=64"])
        #expect(set.stderr == "swtop: --readonly: limits --set refused, nothing changed\n")
        // Viewing is not changing.
        let view = try swtop(["limits", "--readonly", "\(pid)"])
        #expect(view.status == 0)
        #expect(view.stdoutText.hasPrefix("RESOURCE    DESCRIPTION"))
        // swtop's own options before a command are not quietly dropped.
        let before = try swtop(["--readonly", "stop", "\(pid)"])
        #expect(before.status == 64)
        #expect(before.stderr == "swtop: 'stop' must come first: swtop's options do not apply to 'swtop stop' (see 'swtop stop --help')\n")
        #expect(Self.running(pid))
        #expect(String(decoding: fileBytes("/proc/\(pid)/stat") ?? [], as: UTF8.self).split(separator: " ")[18] == "\(runnerNice())")
    }

    @Test func aCommandRefusesTheScreensOptionsByName() throws {
        for (arguments, message) in [(["export", "-p", "1"], "Unknown option '-p'"), (["export", "--tree"], "Unknown option '--tree'. Did you mean '--top'?"),
                                     (["events", "-s", "pid", "--for", "1"], "Unknown option '-s'"),
                                     (["record", "/tmp/never", "--once"], "Unknown option '--once'"), (["stop", "--json", "4194304"], "Unknown option '--json'"),
                                     (["limits", "1", "--sort-key", "pid"], "Unknown option '--sort-key'")] {
            let r = try swtop(arguments)
            #expect(r.status == 64, "\(arguments)")
            #expect(r.stderr == "swtop: \(message)\n", "\(arguments)")
            #expect(r.stdout.isEmpty)
        }
    }

    @Test func killsAndRenicesHabits() throws {
        let children = Children()
        defer { children.stopAll() }
        let child = try children.testee(["handle-term"])
        let pid = child.processIdentifier
        // Signal 0: nothing sent, nothing printed, status as kill's.
        let exists = try swtop(["signal", "0", "\(pid)"])
        #expect(exists.status == 0)
        #expect(exists.stdout.isEmpty && exists.stderr == "")
        #expect(try swtop(["signal", "-0", "\(pid)"]).status == 0)
        let missing = try swtop(["signal", "0", "4194304"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "swtop: 4194304: no such process\n")
        #expect(Self.running(pid))

        let niced = runnerNice(plus: 3)
        let n = try swtop(["renice", "-n", "\(niced)", "\(pid)"])
        #expect(n.status == 0)
        #expect(n.stdoutText == "\(pid) (swtop-testee): nice \(runnerNice()) -> \(niced) on 1 thread\n")
        let np = try swtop(["renice", "-n", "\(niced + 1 > 19 ? 19 : niced + 1)", "-p", "\(pid)"])
        #expect(np.status == 0)

        let term = try swtop(["signal", "-s", "TERM", "\(pid)"])
        #expect(term.status == 0)
        #expect(term.stdoutText == "sent SIGTERM to \(pid) (swtop-testee)\n")
        child.waitUntilExit()
        #expect(child.terminationStatus == 0)
    }

    /// kill(1)'s existence check answers 1 for a process the caller may not signal.
    @Test(.enabled(if: isRoot, "needs root: a root-owned target and another uid"),
          .enabled(if: isInstalled("/usr/bin/setpriv"), "needs setpriv (util-linux)"))
    func signalZeroOnAnotherUsersProcessIsStatusOne() throws {
        let children = Children()
        defer { children.stopAll() }
        let target = try children.sleeper(named: "root-owned").processIdentifier
        let r = try run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", Paths.swtop, "signal", "0", "\(target)"])
        #expect(r.status == 1)
        #expect(r.stderr == "swtop: \(target) (root-owned): not permitted: owned by user root\n")
    }

    @Test func negativeValuesAreSaidToBeNegative() throws {
        let cases: [([String], String)] = [
            (["--once", "--interval", "-1"], "invalid --interval '-1': must not be negative"),
            (["events", "--for", "-1"], "invalid --for '-1': must not be negative"),
            (["stop", "--grace", "-1", "4194304"], "invalid --grace '-1': must not be negative"),
            (["--once", "-u", "-1"], "invalid --user '-1': a uid must not be negative"),
            (["--once", "-p", "-5"], "invalid pid '-5' in --pid: a pid must not be negative"),
            (["-d", "-3"], "invalid --delay '-3': must not be negative"),
            (["export", "--every", "-0.5"], "invalid --every '-0.5': must not be negative"),
        ]
        for (arguments, message) in cases {
            let r = try swtop(arguments)
            #expect(r.status == 64, "\(arguments)")
            #expect(r.stderr == "swtop: \(message)\n", "\(arguments)")
        }
    }

    @Test func groupByErrorsAreOneLine() throws {
        let export = try swtop(["export", "--group-by", "bogus"])
        #expect(export.status == 64)
        #expect(export.stderr == "swtop: The value 'bogus' is invalid for '--group-by <KEY>'. Please provide one of 'auto', 'unit', 'container', 'name' or 'user'.\n")
        let once = try swtop(["--once", "--group-by", "unit"])
        #expect(once.status == 64)
        #expect(once.stderr == "swtop: invalid --group-by 'unit': expected 'cgroup' (swtop export groups by auto, unit, container, name or user)\n")
    }

    @Test func versionAndConventions() throws {
        let version = try swtop(["--version"])
        #expect(version.status == 0)
        #expect(version.stdoutText == "swtop 0.1.0\n")
        // As ps -p: a selection that selects nothing is status 1, the header still printed.
        let none = try swtop(["--once", "-p", "4194304"])
        #expect(none.status == 1)
        #expect(none.stdoutText.hasPrefix("swtop - "))
        #expect(try swtop(["--once", "--json", "-p", "4194304"]).status == 1)
        #expect(try swtop(["--once", "-p", "1"]).status == 0)
        let limits = try swtop(["--once", "--limits"])
        #expect(limits.status == 64)
        #expect(limits.stderr == "swtop: --limits needs --once --json (for one process's limits as a table: swtop limits PID)\n")
    }

    /// Values that used to trap (SIGILL, no message): each is a one-line refusal now.
    @Test func extremePidsAndSignalsAreRefusedInWords() throws {
        let cases: [([String], Int32, String)] = [
            (["signal", "TERM", "-2147483648"], 1, "swtop: -2147483648: refused: pid -2147483648 would signal process group 2147483648\n"),
            (["stop", "--", "-2147483648", "-2147483648"], 1, "swtop: -2147483648: refused: pid -2147483648 would signal process group 2147483648\n"),
            (["renice", "5", "--", "-2147483648", "-2147483648"], 1, "swtop: -2147483648: refused: pid -2147483648 would signal process group 2147483648\n"),
            (["stop", "4194304", "4194304"], 1, "swtop: 4194304: no such process\n"),
            (["signal", "RTMIN+2147483647", "1"], 64, "swtop: unknown signal 'RTMIN+2147483647': expected a name such as TERM or HUP, a number from 1 to 64, or 0\n"),
            (["signal", "TERM", "2147483648"], 64, "swtop: invalid pid '2147483648': expected an integer from 1 to 2147483647\n"),
            (["limits", "99999999999999999999"], 64, "swtop: invalid pid '99999999999999999999': expected an integer from 1 to 2147483647\n"),
            (["--once", "-p", "99999999999999999999"], 64, "swtop: invalid pid '99999999999999999999' in --pid: expected positive integers separated by commas\n"),
        ]
        for (arguments, status, stderr) in cases {
            let r = try swtop(arguments)
            #expect(r.status == status, "\(arguments)")
            #expect(r.stderr == stderr, "\(arguments)")
        }
    }

    /// Root without CAP_SYS_RESOURCE (a container; this machine's sandbox) is told which
    /// capability raising a hard limit needs, not "needs root".
    @Test(.enabled(if: isRoot && !hasCapability(24), "needs root without CAP_SYS_RESOURCE"))
    func raisingAHardLimitNamesTheMissingCapability() throws {
        let children = Children()
        defer { children.stopAll() }
        let pid = try children.testee(["handle-term"]).processIdentifier
        #expect(try swtop(["limits", "\(pid)", "--set", "nofile=10:20"]).status == 0)
        let r = try swtop(["limits", "\(pid)", "--set", "nofile=10:30"])
        #expect(r.status == 1)
        #expect(r.stderr == "swtop: \(pid): not permitted: raising the hard limit of nofile needs CAP_SYS_RESOURCE, which this root process does not have\n")
    }
}

/// Out of descriptors, swtop names the cause, not "not a /proc tree".
@Suite struct DescriptorExhaustionTests {
    @Test func tooManyOpenFilesIsSaidSo() throws {
        for command in [["--once"], ["export"]] {
            let r = try run("/bin/sh", ["-c", "ulimit -n 4; exec \"$0\" \"$@\"", Paths.swtop] + command)
            #expect(r.status == 1, "\(command)")
            #expect(r.stderr == "swtop: cannot read proc root /proc: Too many open files (the open-file limit, ulimit -n, is 4)\n", "\(command)")
        }
    }
}
