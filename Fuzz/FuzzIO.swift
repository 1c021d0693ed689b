/// /proc/PID/io and the one-integer files (oom_score, oom_score_adj): never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIO(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    if let io = ProcIO.parse(bytes) {
        consume(io.readBytes); consume(io.writeBytes)
    }
    consume(ProcInteger.parse(bytes))
    return 0
}
