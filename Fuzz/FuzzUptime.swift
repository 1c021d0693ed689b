/// /proc/uptime: any bytes give an Uptime or nil, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzUptime(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let u = Uptime.parse(fuzzBytes(data, size)) else { return 0 }
    consume(u.seconds); consume(u.idleSeconds)
    return 0
}
