/// /proc/loadavg: any bytes give a LoadAverage or nil, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLoadavg(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let l = LoadAverage.parse(fuzzBytes(data, size)) else { return 0 }
    consume(l.one); consume(l.five); consume(l.fifteen)
    return 0
}
