/// /proc/PID/limits: any bytes give a ProcLimits or nil, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLimits(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let l = ProcLimits.parse(fuzzBytes(data, size)) else { return 0 }
    precondition(!l.limits.isEmpty, "a ProcLimits without a limit should be nil")
    for limit in l.limits {
        precondition(limit.name.hasPrefix("Max "), "a limit's name starts with Max")
        consume(limit.resource); consume(limit.name)
        consume(limit.soft.description); consume(limit.hard.description)
        if let unit = limit.unit { consume(unit) }
    }
    if let first = l.limits.first { consume(l[first.resource] != nil) }
    return 0
}
