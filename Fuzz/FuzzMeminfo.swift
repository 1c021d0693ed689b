/// /proc/meminfo: any bytes give a Meminfo or nil, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMeminfo(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let m = Meminfo.parse(fuzzBytes(data, size)) else { return 0 }
    precondition(m.memUsed <= m.memTotal && m.swapUsed <= m.swapTotal, "used exceeds total")
    consume(m.memTotal); consume(m.memFree); consume(m.memAvailable); consume(m.buffers)
    consume(m.cached); consume(m.sReclaimable); consume(m.shmem); consume(m.swapTotal)
    consume(m.swapFree); consume(m.memUsed); consume(m.swapUsed)
    return 0
}
