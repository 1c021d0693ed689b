/// `/proc/PID/schedstat`: the scheduler's account of one task: nanoseconds on a CPU, nanoseconds
/// waiting on a run queue, and the number of times it was given a CPU.
///
/// The screen uses it as a cheap test of whether a task ran since the last refresh: a task that
/// did not run cannot have changed its state, CPU time, name, thread count or memory map
/// (reading it costs about 1.7 µs against 4 µs for `stat`, measured in NOTES.md's way with 5,000
/// processes). A kernel without scheduler statistics writes `0 0 0`: `isUsable` is false then.
public struct ProcSchedstat: Sendable, Equatable {
    public var runNanoseconds: UInt64
    public var waitNanoseconds: UInt64
    public var timeslices: UInt64

    public init(runNanoseconds: UInt64, waitNanoseconds: UInt64, timeslices: UInt64) {
        self.runNanoseconds = runNanoseconds
        self.waitNanoseconds = waitNanoseconds
        self.timeslices = timeslices
    }

    /// Nothing read: never usable, so never taken for "did not run".
    public static let unread = ProcSchedstat(runNanoseconds: 0, waitNanoseconds: 0, timeslices: 0)

    /// Every task that exists has run: a zero run time means the kernel keeps no statistics.
    public var isUsable: Bool { runNanoseconds > 0 }

    public static func parse(_ bytes: [UInt8]) -> ProcSchedstat? {
        bytes.withBytes { parse($0) }
    }

    /// Needs all three fields; nil otherwise.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ProcSchedstat? {
        var scanner = ByteScanner(bytes)
        guard let run = scanner.nextUInt64(), let wait = scanner.nextUInt64(), let slices = scanner.nextUInt64()
        else { return nil }
        return ProcSchedstat(runNanoseconds: run, waitNanoseconds: wait, timeslices: slices)
    }
}
