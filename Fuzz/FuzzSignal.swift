/// What the signal tracepoint gives: perf ring-buffer records and the tracefs format file. Any
/// bytes give samples or nothing, never a trap or a read past the input. The input's first byte
/// picks the offsets: the kernel's (8, 16, 36, 44) or ones taken from the input, so offsets near
/// and past the end of a record are tried too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSignal(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    var offsets = SignalOffsets(sig: 8, code: 16, pid: 36, result: 44)
    if size >= 5, bytes[0] & 1 == 1 {
        offsets = SignalOffsets(sig: Int(bytes[1]), code: Int(bytes[2]), pid: Int(bytes[3]), result: bytes[4] == 0 ? nil : Int(bytes[4]))
    }
    let parsed = PerfRecords.parse(UnsafeRawBufferPointer(bytes), offsets: offsets, clockOffset: 1e9)
    consume(parsed.lost)
    for s in parsed.samples {
        consume(s.senderPID); consume(s.senderTID); consume(s.targetPID); consume(s.signal)
        consume(s.code); consume(s.result); consume(s.time); consume(s.byKernel)
    }
    if let format = TracepointFormat.parse(Substring(String(decoding: bytes, as: UTF8.self))) {
        consume(format.id)
        consume(format.fields.count)
        if let o = format.signalOffsets() { consume(o.sig); consume(o.code); consume(o.pid); consume(o.result) }
    }
    return 0
}
