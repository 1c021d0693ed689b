/// /proc/PID/status: any bytes give a ProcStatus or nil, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStatus(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let s = ProcStatus.parse(fuzzBytes(data, size)) else { return 0 }
    for id in s.uids { consume(id) }
    for id in s.gids { consume(id) }
    consume(s.tgid); consume(s.threads); consume(s.vmSwap)
    if let uid = s.realUID { consume(uid) }
    return 0
}
