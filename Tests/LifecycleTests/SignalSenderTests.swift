import Foundation
import Lifecycle
import ProcFS
import Testing
import TestSupport

/// The tracepoint's format file and perf's records: bytes from the kernel, parsed exactly.
@Suite struct SignalRecordTests {
    static let format: TracepointFormat? = {
        let path = Paths.packageRoot + "/Fixtures/tracepoint/signal_generate.format"
        return TracepointFormat.parse(Substring(String(decoding: fileBytes(path) ?? [], as: UTF8.self)))
    }()

    @Test func formatRecordedFromTheKernel() throws {
        let format = try #require(Self.format)
        #expect(format.id == 261)
        #expect(format.signalOffsets() == SignalOffsets(sig: 8, code: 16, pid: 36, result: 44))
        #expect(format.fields["comm"]?.offset == 20)
        #expect(format.fields["comm"]?.size == 16)
        #expect(format.fields["common_pid"]?.offset == 4)
    }

    @Test func formatWithoutIdOrFieldsIsRejected() {
        #expect(TracepointFormat.parse("name: x\nformat:\n\tfield:int sig;\toffset:8;\tsize:4;\tsigned:1;\n") == nil)
        #expect(TracepointFormat.parse("ID: 12\n") == nil)
        // A sig that is not 4 bytes wide is not one swtop can read.
        let odd = TracepointFormat.parse("ID: 5\n\tfield:long sig;\toffset:8;\tsize:8;\tsigned:1;\n\tfield:int code;\toffset:16;\tsize:4;\n\tfield:pid_t pid;\toffset:20;\tsize:4;\n")
        #expect(odd?.id == 5)
        #expect(odd?.signalOffsets() == nil)
    }

    /// A PERF_RECORD_SAMPLE as the kernel writes it for TID|TIME|RAW, 8-byte aligned.
    static func sample(sender: Int32, tid: Int32, target: Int32, signal: Int32, code: Int32, result: Int32 = 0, nanoseconds: UInt64) -> [UInt8] {
        var raw = [UInt8](repeating: 0, count: 52)
        func put(_ value: Int32, _ at: Int) { withUnsafeBytes(of: value.littleEndian) { raw.replaceSubrange(at..<at + 4, with: $0) } }
        put(sender, 4)
        put(signal, 8)
        put(code, 16)
        put(target, 36)
        put(result, 44)
        var body: [UInt8] = []
        withUnsafeBytes(of: sender.littleEndian) { body += $0 }
        withUnsafeBytes(of: tid.littleEndian) { body += $0 }
        withUnsafeBytes(of: nanoseconds.littleEndian) { body += $0 }
        withUnsafeBytes(of: UInt32(raw.count).littleEndian) { body += $0 }
        body += raw
        while (body.count + 8) % 8 != 0 { body.append(0) }
        var record: [UInt8] = []
        withUnsafeBytes(of: UInt32(9).littleEndian) { record += $0 }
        withUnsafeBytes(of: UInt16(0).littleEndian) { record += $0 }
        withUnsafeBytes(of: UInt16(8 + body.count).littleEndian) { record += $0 }
        return record + body
    }

    static func lostRecord(_ count: UInt64) -> [UInt8] {
        var record: [UInt8] = []
        withUnsafeBytes(of: UInt32(2).littleEndian) { record += $0 }
        withUnsafeBytes(of: UInt16(0).littleEndian) { record += $0 }
        withUnsafeBytes(of: UInt16(24).littleEndian) { record += $0 }
        withUnsafeBytes(of: UInt64(1).littleEndian) { record += $0 }
        withUnsafeBytes(of: count.littleEndian) { record += $0 }
        return record
    }

    static let offsets = SignalOffsets(sig: 8, code: 16, pid: 36, result: 44)

    /// A PERF_RECORD_COMM as the kernel writes it with sample_id_all (TID and TIME): pid, tid,
    /// the name NUL-padded to 8 bytes, then the sample's pid, tid and time.
    static func commRecord(pid: UInt32, tid: UInt32, name: String, exec: Bool, nanoseconds: UInt64) -> [UInt8] {
        var body: [UInt8] = []
        withUnsafeBytes(of: pid.littleEndian) { body += $0 }
        withUnsafeBytes(of: tid.littleEndian) { body += $0 }
        var comm = Array(name.utf8) + [0]
        while comm.count % 8 != 0 { comm.append(0) }
        body += comm
        withUnsafeBytes(of: pid.littleEndian) { body += $0 }
        withUnsafeBytes(of: tid.littleEndian) { body += $0 }
        withUnsafeBytes(of: nanoseconds.littleEndian) { body += $0 }
        var record: [UInt8] = []
        withUnsafeBytes(of: UInt32(3).littleEndian) { record += $0 }
        withUnsafeBytes(of: UInt16(exec ? 0x2000 : 0).littleEndian) { record += $0 }
        withUnsafeBytes(of: UInt16(8 + body.count).littleEndian) { record += $0 }
        return record + body
    }

    /// Only a process's own exec names it: a rename (no exec flag) and a thread's are left out;
    /// a 15-byte name (the kernel's longest) is whole.
    @Test func execsParsedWithTheirTimes() {
        let bytes = Self.commRecord(pid: 700, tid: 700, name: "kill", exec: true, nanoseconds: 2_000_000_000)
            + Self.commRecord(pid: 701, tid: 701, name: "renamed", exec: false, nanoseconds: 2_100_000_000)
            + Self.commRecord(pid: 702, tid: 703, name: "thread", exec: true, nanoseconds: 2_200_000_000)
            + Self.commRecord(pid: 704, tid: 704, name: "fifteen-bytes-n", exec: true, nanoseconds: 2_500_000_000)
        let parsed = bytes.withUnsafeBytes { PerfRecords.parse($0, offsets: Self.offsets, clockOffset: 100) }
        #expect(parsed.execs == [
            ProgramName(pid: 700, name: Array("kill".utf8), time: 102),
            ProgramName(pid: 704, name: Array("fifteen-bytes-n".utf8), time: 102.5),
        ])
        #expect(parsed.samples.isEmpty && parsed.lost == 0)
    }

    @Test func samplesAndLossesParsedInOrder() {
        let bytes = Self.sample(sender: 812, tid: 813, target: 1234, signal: 15, code: 0, nanoseconds: 1_700_000_000_500_000_000)
            + Self.lostRecord(3)
            + Self.sample(sender: 99, tid: 99, target: 99, signal: 11, code: 1, result: 0, nanoseconds: 1_700_000_001_000_000_000)
        let parsed = bytes.withUnsafeBytes { PerfRecords.parse($0, offsets: Self.offsets) }
        #expect(parsed.lost == 3)
        #expect(parsed.samples == [
            SignalSample(senderPID: 812, senderTID: 813, targetPID: 1234, signal: 15, code: 0, result: 0, time: 1_700_000_000.5),
            SignalSample(senderPID: 99, senderTID: 99, targetPID: 99, signal: 11, code: 1, result: 0, time: 1_700_000_001),
        ])
        #expect(parsed.samples[1].byKernel)
        #expect(!parsed.samples[0].byKernel)
    }

    /// Every cut of a buffer yields only the whole records before the cut, never a trap.
    @Test func everyTruncationYieldsTheWholeRecordsBeforeIt() {
        let one = Self.sample(sender: 1, tid: 1, target: 2, signal: 9, code: 0, nanoseconds: 1_000_000_000)
        let bytes = one + one
        for cut in 0...bytes.count {
            let parsed = Array(bytes[0..<cut]).withUnsafeBytes { PerfRecords.parse($0, offsets: Self.offsets) }
            #expect(parsed.samples.count == cut / one.count, "cut at \(cut)")
        }
        // A raw size that claims more than the record holds gives nothing.
        var lying = one
        lying[24] = 0xff
        #expect(lying.withUnsafeBytes { PerfRecords.parse($0, offsets: Self.offsets) }.samples.isEmpty)
    }
}

/// The join of signals to processes, fed samples directly.
@Suite struct SignalSendersTests {
    static func senders() -> SignalSenders {
        SignalSenders(userName: { [0: "root", 33: "www-data"][$0] })
    }

    static func describe(_ pid: Int32) -> (name: String, uid: UInt32?)? {
        [812: ("deployer", UInt32(0)), 500: ("api", UInt32(33)), 1: ("systemd", UInt32(0))][pid].map { (name: $0.0, uid: $0.1) }
    }

    static func sample(_ sender: Int32, _ target: Int32, _ signal: Int32, code: Int32 = 0, at time: Double, tid: Int32? = nil) -> SignalSample {
        SignalSample(senderPID: sender, senderTID: tid ?? sender, targetPID: target, signal: signal, code: code, result: 0, time: time)
    }

    static let deployer = SignalSender(pid: 812, name: "deployer", uid: 0, user: "root", kernel: false)

    @Test func aKillNamesItsSender() {
        let s = Self.senders()
        let reported = s.record([Self.sample(812, 500, 9, at: 100)], describe: Self.describe)
        #expect(reported.count == 1)
        #expect(reported[0].target == 500 && reported[0].signal == 9 && reported[0].sender == Self.deployer)
        let ending = s.ending(of: 500, signal: 9, time: 100.01)
        #expect(ending.sentBy == Self.deployer)
        #expect(ending.stop == nil)
        #expect(Self.deployer.words == "deployer (pid 812, root)")
        #expect(Self.deployer.shortWords == "deployer (pid 812)")
        #expect(s.count == 0)
    }

    @Test func aFaultIsTheKernels() {
        let s = Self.senders()
        // The kernel raises SIGSEGV in the faulting thread 501 of process 500, with SEGV_MAPERR.
        #expect(s.record([Self.sample(500, 501, 11, code: 1, at: 5, tid: 501)], describe: Self.describe).isEmpty)
        let ending = s.ending(of: 500, signal: 11, time: 5)
        #expect(ending.sentBy == .theKernel)
        #expect(SignalSender.theKernel.words == "the kernel")
    }

    @Test func abortIsTheProcessItself() {
        let s = Self.senders()
        #expect(s.record([Self.sample(500, 500, 6, code: -6, at: 5)], describe: Self.describe).isEmpty)
        let ending = s.ending(of: 500, signal: 6, time: 5)
        #expect(ending.sentBy == SignalSender(pid: 500, name: "api", uid: 33, user: "www-data", kernel: false))
        #expect(ending.stop == nil)
    }

    @Test func aHandledTermIsAGracefulStop() {
        let s = Self.senders()
        s.record([Self.sample(812, 500, 15, at: 10)], describe: Self.describe)
        #expect(s.draining(500) == StopRequest(signal: 15, time: 10, sender: Self.deployer))
        // A second request does not move the start of the drain.
        s.record([Self.sample(1, 500, 15, at: 11)], describe: Self.describe)
        let ending = s.ending(of: 500, signal: nil, time: 12)
        #expect(ending.sentBy == nil)
        #expect(ending.stop == StopEnding(kind: .graceful, signal: 15, after: 2, requestedBy: Self.deployer))
        #expect(s.draining(500) == nil)
    }

    /// bash and most runtimes handle SIGTERM, clean up and raise it again to die of it: the
    /// signal that ended it was the one the requester sent, not its own.
    @Test func aTermRaisedAgainIsTheRequesters() {
        let s = Self.senders()
        s.record([Self.sample(812, 500, 15, at: 10), Self.sample(500, 500, 15, at: 11.5)], describe: Self.describe)
        let ending = s.ending(of: 500, signal: 15, time: 12)
        #expect(ending.sentBy == Self.deployer)
        #expect(ending.stop == StopEnding(kind: .graceful, signal: 15, after: 2, requestedBy: Self.deployer))
        // abort(): nobody else sent SIGABRT, so it is its own.
        s.record([Self.sample(501, 501, 6, at: 20)], describe: Self.describe)
        #expect(s.ending(of: 501, signal: 6, time: 20.01).sentBy?.pid == 501)
    }

    @Test func anIgnoredTermThenKillIsForced() {
        let s = Self.senders()
        s.record([Self.sample(812, 500, 15, at: 10), Self.sample(1, 500, 9, at: 12)], describe: Self.describe)
        let ending = s.ending(of: 500, signal: 9, time: 12.001)
        #expect(ending.sentBy == SignalSender(pid: 1, name: "systemd", uid: 0, user: "root", kernel: false))
        #expect(ending.stop?.kind == .forced)
        #expect(ending.stop?.requestedBy == Self.deployer)
        #expect(abs((ending.stop?.after ?? 0) - 2.001) < 1e-9)
    }

    @Test func aPlainExitHasNeitherSenderNorStop() {
        let s = Self.senders()
        let ending = s.ending(of: 500, signal: nil, time: 1)
        #expect(ending.sentBy == nil && ending.stop == nil)
        // A signal the process sent itself is no stop request.
        s.record([Self.sample(500, 500, 15, at: 1)], describe: Self.describe)
        #expect(s.draining(500) == nil)
    }

    @Test func aGonePidIsForgotten() {
        let s = Self.senders()
        s.record([Self.sample(812, 500, 15, at: 1), Self.sample(812, 600, 15, at: 1)], describe: Self.describe)
        s.forget(where: { $0 == 500 })
        #expect(s.draining(500) == nil)
        #expect(s.draining(600) != nil)
    }
}

/// The real tracepoint, as root: a named process kills another, a fault and an abort.
/// The tracepoint the tests below share (opening it forks a child to mount tracefs privately).
nonisolated(unsafe) let openedTracepoint: Result<SignalTracepoint, TracepointError> = SignalTracepoint.open()
let tracepointOpens: Bool = { if case .failure(let why) = openedTracepoint { print("signal tracepoint: \(why)"); return false } else { return true } }()

@Suite(.serialized, .enabled(if: tracepointOpens, "needs root and the signal tracepoint (perf_event_open, tracefs)"))
struct SignalTracepointTests {
    static var tracepoint: SignalTracepoint? { if case .success(let t) = openedTracepoint { return t } else { return nil } }

    static func samples(of tracepoint: SignalTracepoint, until found: ([SignalSample]) -> Bool) -> [SignalSample] {
        var all: [SignalSample] = []
        _ = waitUntil(10) {
            all += tracepoint.drain().samples
            return found(all)
        }
        return all
    }

    @Test func aNamedKillerIsTheSender() throws {
        let tracepoint = try #require(Self.tracepoint)
        _ = tracepoint.drain()  // other tests' signals, which could fill the rings
        let children = Children()
        defer { children.stopAll() }
        let victim = try children.sleeper(named: "victim")
        // A process named "deployer" (its argv[0] a link named so) sends SIGKILL with kill(1).
        let link = children.linkPath("deployer")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/bin/kill")
        let killer = try children.start(link, ["-KILL", String(victim.processIdentifier)])
        let found = Self.samples(of: tracepoint) { $0.contains { $0.targetPID == victim.processIdentifier && $0.signal == 9 } }
        let kill = try #require(found.first { $0.targetPID == victim.processIdentifier && $0.signal == 9 })
        #expect(kill.senderPID == killer.processIdentifier)
        #expect(kill.code == 0)
        #expect(!kill.byKernel)
        #expect(abs(kill.time - Clock.now()) < 10)
    }

    /// The private mount of tracefs leaves the host's mounts as they were.
    @Test func openingLeavesTheHostsMountsAlone() throws {
        let before = fileBytes("/proc/self/mountinfo")
        let again = SignalTracepoint.open()
        guard case .success = again else { Issue.record("a second open failed: \(again)"); return }
        #expect(fileBytes("/proc/self/mountinfo") == before)
        #expect(fileBytes("/proc/1/mountinfo").map { String(decoding: $0, as: UTF8.self).contains(" - tracefs ") } == before.map { String(decoding: $0, as: UTF8.self).contains(" - tracefs ") })
    }

    @Test func aNullDereferenceIsTheKernelsAndAbortIsItsOwn() throws {
        let tracepoint = try #require(Self.tracepoint)
        // The rings filled with other tests' signals since the suite opened them would drop
        // this test's: emptied first.
        _ = tracepoint.drain()
        let segv = try run("/usr/bin/python3", ["-c", "import ctypes; ctypes.string_at(0)"])
        #expect(segv.status != 0)
        let abort = try run("/usr/bin/python3", ["-c", "import os; os.abort()"])
        #expect(abort.status != 0)
        let found = Self.samples(of: tracepoint) { s in s.contains { $0.signal == 11 } && s.contains { $0.signal == 6 } }
        let fault = try #require(found.last { $0.signal == 11 })
        #expect(fault.byKernel)
        #expect(fault.code == 1)  // SEGV_MAPERR
        let aborted = try #require(found.last { $0.signal == 6 })
        #expect(aborted.senderPID == aborted.targetPID)
        #expect(aborted.code == -6)  // SI_TKILL
    }
}

/// Exits and signal events in words, with their senders and stops.
@Suite struct SignalWordsTests {
    static let facts = ProcessFacts(key: ProcessKey(id: 500, startTicks: 1), name: "api", cmdline: ["api"], ppid: 1, uid: 33, user: "www-data", startTime: 90)
    static let kubelet = SignalSender(pid: 812, name: "kubelet", uid: 0, user: "root", kernel: false)
    static let systemd = SignalSender(pid: 1, name: "systemd", uid: 0, user: "root", kernel: false)

    static func exit(_ outcome: Outcome, sentBy: SignalSender? = nil, stop: StopEnding? = nil) -> String {
        var record = ExitRecord(process: facts, outcome: outcome, source: .procConnector, time: 100)
        record.sentBy = sentBy
        record.stop = stop
        return LifecycleEvent(time: 100, process: facts, kind: .exit(record)).words
    }

    @Test func exitLines() {
        #expect(Self.exit(.killed(signal: 9), sentBy: Self.kubelet) == "killed by SIGKILL from kubelet (pid 812) after 10.0 s")
        #expect(Self.exit(.coreDumped(signal: 11), sentBy: .theKernel) == "SIGSEGV, core dumped from the kernel after 10.0 s")
        #expect(Self.exit(.exited(code: 0), stop: StopEnding(kind: .graceful, signal: 15, after: 2, requestedBy: Self.systemd))
            == "stopped gracefully in 2.0 s after SIGTERM from systemd (pid 1)")
        #expect(Self.exit(.killed(signal: 15), sentBy: Self.systemd, stop: StopEnding(kind: .graceful, signal: 15, after: 0.004, requestedBy: Self.systemd))
            == "stopped gracefully in 4 ms after SIGTERM from systemd (pid 1) (killed by SIGTERM)")
        #expect(Self.exit(.killed(signal: 9), sentBy: Self.systemd, stop: StopEnding(kind: .forced, signal: 15, after: 90, requestedBy: Self.kubelet))
            == "killed by SIGKILL from systemd (pid 1), forced 1m 30s after SIGTERM from kubelet (pid 812)")
        #expect(Self.exit(.exited(code: 3)) == "exited 3 after 10.0 s")
    }

    @Test func signalLine() {
        let event = LifecycleEvent(time: 100, process: Self.facts, kind: .signal(signal: 15, sender: SignalSender(pid: 812, name: "deployer", uid: 0, user: "root", kernel: false)))
        #expect(event.words == "SIGTERM from deployer (pid 812, root)")
        #expect(event.name == "signal")
        let unnamed = LifecycleEvent(time: 100, process: Self.facts, kind: .signal(signal: 9, sender: SignalSender(pid: 7, name: nil, uid: 1000, user: nil, kernel: false)))
        #expect(unnamed.words == "SIGKILL from ? (pid 7, uid 1000)")
    }
}
