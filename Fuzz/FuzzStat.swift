/// /proc/PID/stat: any bytes give a ProcStat or nil, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStat(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    guard let s = ProcStat.parse(bytes) else { return 0 }
    // comm is exactly the bytes between the first '(' and the last ')'.
    let open = bytes.firstIndex(of: UInt8(ascii: "("))!
    let close = bytes.lastIndex(of: UInt8(ascii: ")"))!
    precondition(s.comm.elementsEqual(bytes[(open + 1)..<close]), "comm is not the bytes between ( and the last )")
    precondition(s.pid > 0, "pid must be positive")
    consume(s.pid); consume(s.comm); consume(s.state); consume(s.ppid); consume(s.pgrp)
    consume(s.session); consume(s.ttyNr); consume(s.flags); consume(s.utime); consume(s.stime)
    consume(s.priority); consume(s.nice); consume(s.numThreads); consume(s.startTime)
    consume(s.vsize); consume(s.rss); consume(s.processor); consume(s.exitCode)
    consume(s.isKernelThread)
    return 0
}
