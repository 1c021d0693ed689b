/// Replies of the kernel's taskstats family and of the generic netlink controller: any bytes give
/// answers or none, never a trap or a read past the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTaskstats(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(fuzzBytes(data, size))
    // 31: the family id the recorded replies were sent with.
    TaskstatsReply.forEach(bytes, family: 31) { sequence, answer in
        consume(sequence)
        switch answer {
        case .account(let id, let s):
            consume(id); consume(s.runNanoseconds); consume(s.waitNanoseconds); consume(s.timeslices)
        case .failed(let code):
            consume(code)
        }
    }
    if let id = TaskstatsReply.familyID(bytes) { consume(UInt64(id)) }
    return 0
}
