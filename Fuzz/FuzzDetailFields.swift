/// The detail view's other parsers: status's memory split and ids, stat's scheduling fields,
/// wchan and the kernel stack. Any bytes give a value or nil, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDetailFields(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    if let s = StatusDetail.parse(bytes) {
        for id in s.uids { consume(id) }
        for id in s.gids { consume(id) }
        consume(s.threads); consume(s.tracerPID)
        consume(s.vmSizeKB); consume(s.vmRSSKB); consume(s.rssAnonKB); consume(s.rssFileKB); consume(s.rssShmemKB)
        consume(s.vmSwapKB); consume(s.vmLockedKB); consume(s.signalsQueued); consume(s.signalsLimit)
    }
    if let s = StatScheduling.parse(bytes) {
        precondition(!s.policyName.isEmpty, "a policy without a name")
        consume(s.realtimePriority); consume(s.policy)
    }
    if let w = KernelWait.wchan(bytes) {
        precondition(!w.isEmpty && w != "0", "wchan of a running task")
        consume(w)
    }
    let frames = KernelWait.stack(bytes)
    var newlines = 0
    for b in bytes where b == 0x0A { newlines += 1 }
    precondition(frames.count <= newlines + 1, "more frames than lines")
    for f in frames { consume(f) }
    return 0
}
