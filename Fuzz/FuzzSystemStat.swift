/// /proc/stat: any bytes give a SystemStat or nil, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSystemStat(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let s = SystemStat.parse(fuzzBytes(data, size)) else { return 0 }
    precondition(s.perCPU.count == s.cpuIDs.count, "one CPU id per per-CPU line")
    for t in [s.total] + s.perCPU {
        consume(t.user); consume(t.nice); consume(t.system); consume(t.idle); consume(t.iowait)
        consume(t.irq); consume(t.softirq); consume(t.steal); consume(t.guest); consume(t.guestNice)
        consume(t.total)
    }
    for id in s.cpuIDs { consume(id) }
    consume(s.bootTime); consume(s.procsRunning); consume(s.procsBlocked)
    return 0
}
