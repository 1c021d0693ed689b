/// /proc/PID/cgroup: any bytes give a ProcCgroup (path, unit, container) or nil, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCgroup(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let c = ProcCgroup.parse(fuzzBytes(data, size)) else { return 0 }
    consume(c.path)
    consume(c.unit ?? "")
    if let container = c.container {
        consume(container.runtime); consume(container.id); consume(container.shortID); consume(container.pod ?? "")
    }
    return 0
}
