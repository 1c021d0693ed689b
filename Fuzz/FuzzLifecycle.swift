/// What the lifecycle monitor parses from the kernel: proc connector datagrams, kernel log lines
/// and /proc/PID/cgroup. Any bytes give values or nothing, never a trap or an out-of-bounds read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLifecycle(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    for message in ConnectorMessage.parse(UnsafeRawBufferPointer(bytes)) {
        consume(message.cpu)
        consume(message.sequence)
        switch message.event {
        case .fork(let a, let b, let c)?: consume(a); consume(b); consume(c)
        case .exec(let a, let b)?: consume(a); consume(b)
        case .uid(let a, let b, let c)?: consume(a); consume(b); consume(c)
        case .comm(let a, let b, let name)?: consume(a); consume(b); consume(UInt64(name.count))
        case .exit(let a, let b, let c, let d)?: consume(a); consume(b); consume(c); consume(d)
        case nil: consume(0 as UInt64)
        }
    }
    consume(OOMLine.killedPID(bytes))
    if let cgroup = MemoryCgroup.parse(Array(bytes)) {
        consume(cgroup.path)
        consume(cgroup.isV1)
    }
    return 0
}
