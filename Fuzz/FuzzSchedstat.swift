/// /proc/PID/schedstat: any bytes give a ProcSchedstat or nil, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchedstat(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let s = ProcSchedstat.parse(fuzzBytes(data, size)) else { return 0 }
    consume(s.runNanoseconds); consume(s.waitNanoseconds); consume(s.timeslices); consume(s.isUsable)
    return 0
}
