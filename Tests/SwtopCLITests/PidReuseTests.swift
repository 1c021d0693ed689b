import Foundation
import Testing
import TestSupport

/// renice and `limits --set` take a bare pid (setpriority and prlimit have no pidfd form). A
/// process that takes the pid between swtop's check and the change must be put back as it
/// was, and swtop must say so. The reuse is forced as NOTES.md describes: in a pid namespace
/// of the test's own, strace holds swtop at the entry of the changing call, the target is
/// killed, and ns_last_pid hands its pid to a new sleep.
@Suite(.serialized) struct PidReuseTests {
    #if arch(x86_64)
    static let numbers: (setpriority: Int, prlimit64: Int)? = (141, 302)
    #elseif arch(arm64)
    static let numbers: (setpriority: Int, prlimit64: Int)? = (140, 261)
    #else
    static let numbers: (setpriority: Int, prlimit64: Int)? = nil
    #endif

    static let usable = isRoot && isInstalled("/usr/bin/strace") && isInstalled("/usr/bin/unshare") && numbers != nil

    /// Runs, inside `unshare -p -f --mount-proc`: a target sleep; swtop ARGS TARGET under strace,
    /// held at the entry of `call` when its arguments start with `pattern` (a shell pattern with
    /// HEX for the target's pid in hex); then the target killed and a new sleep given its pid.
    /// Prints the newcomer's pid, swtop's status and output, and the newcomer's nice and
    /// open-files limit.
    static func reuse(call: String, pattern: String, _ swtopArguments: String) throws -> [String: String] {
        let script = """
            sleep 1000 & T=$!
            HEX=$(printf %x $T)
            strace -f -o /dev/null -e trace=\(call) -e inject=\(call):delay_enter=1000000 "$0" \(swtopArguments) $T > "$1" 2>&1 &
            S=$!
            W=""
            # swtop among strace's children (strace first forks a child of its own to test ptrace).
            while [ -z "$W" ]; do
              for c in $(cat /proc/$S/task/$S/children); do [ "$(cat /proc/$c/comm 2>/dev/null)" = swtop ] && W=$c; done
            done
            tries=0
            while :; do
              line=$(cat /proc/$W/syscall 2>/dev/null)
              case "$line" in \(pattern)) break;; esac
              tries=$((tries + 1)); [ $tries -lt 3000 ] || { echo "never held"; exit 1; }
              sleep 0.01
            done
            kill -9 $T; wait $T 2>/dev/null
            echo $((T - 1)) > /proc/sys/kernel/ns_last_pid
            sleep 1001 & N=$!
            echo "target=$T"; echo "newcomer=$N"
            wait $S; echo "status=$?"
            echo "nice=$(cut -d' ' -f19 /proc/$N/stat)"
            echo "nofile=$(grep 'Max open files' /proc/$N/limits | tr -s ' ' | cut -d' ' -f4,5)"
            kill $N
            """
        let out = Paths.temporaryDirectory("reuse") + "/out"
        let r = try run("/usr/bin/unshare", ["-p", "-f", "--mount-proc", "/bin/sh", "-c", script, Paths.swtop, out], timeout: 60)
        #expect(r.stderr == "", "\(r.stdoutText)")
        var fields: [String: String] = ["swtop": String(decoding: fileBytes(out) ?? [], as: UTF8.self)]
        for line in r.stdoutText.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }

    @Test(.enabled(if: usable, "needs root, strace, unshare and a known syscall table (x86_64 or arm64)"))
    func reniceOfAPidTakenDuringTheChangePutsTheNewcomerBack() throws {
        let call = try #require(Self.numbers).setpriority
        // setpriority(PRIO_PROCESS, target, 19)
        let f = try Self.reuse(call: "setpriority", pattern: "\"\(call) 0x0 0x$HEX 0x13 \"*", "renice 19")
        let target = try #require(f["target"])
        #expect(f["newcomer"] == target, "the pid was not reused: \(f)")
        #expect(f["status"] == "1")
        #expect(f["swtop"] == "swtop: \(target): ended during the change, and another process took id \(target): put back to nice 0\n")
        #expect(f["nice"] == "0")
    }

    @Test(.enabled(if: usable, "needs root, strace, unshare and a known syscall table (x86_64 or arm64)"))
    func limitsSetOfAPidTakenDuringTheChangePutsTheNewcomerBack() throws {
        let call = try #require(Self.numbers).prlimit64
        let nofile = try #require(Self.ownNofile())
        // prlimit64(target, RLIMIT_NOFILE, new, old) with a new value (not the read before it).
        let f = try Self.reuse(call: "prlimit64", pattern: "\"\(call) 0x$HEX 0x7 0x\"[1-9a-f]*", "limits --set nofile=100")
        let target = try #require(f["target"])
        #expect(f["newcomer"] == target, "the pid was not reused: \(f)")
        #expect(f["status"] == "1")
        #expect(f["swtop"] == "swtop: \(target): ended during the change, and another process took id \(target): put back to soft \(nofile.soft) hard \(nofile.hard)\n")
        #expect(f["nofile"] == "\(nofile.soft) \(nofile.hard)")
    }

    /// The open-files limit this test runner passes on (the sleeps inherit it).
    static func ownNofile() -> (soft: String, hard: String)? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        func text(_ v: rlim_t) -> String { v == rlim_t.max ? "unlimited" : String(v) }
        return (text(limit.rlim_cur), text(limit.rlim_max))
    }
}
