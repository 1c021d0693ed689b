/// /proc/PID/statm: any bytes give a ProcStatm or nil, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStatm(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let s = ProcStatm.parse(fuzzBytes(data, size)) else { return 0 }
    consume(s.size); consume(s.resident); consume(s.shared)
    return 0
}
