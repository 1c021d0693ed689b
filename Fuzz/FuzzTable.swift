/// `--once`'s plain table: any process values, however extreme, format without a trap.
///
/// The input is read as a stat line (the parser decides utime, stime, start time, sizes, ids,
/// priority, nice and threads, up to 2^64-1 and down to Int32.min), followed by the raw bytes
/// of a statm, a uid and a command line; then every column of the registry is formatted for
/// the process, as `--once --fields` with every name would print it, in a tree and not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTable(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(fuzzBytes(data, size))
    // "stat \n statm \n tail": the tail's bytes pick the rest.
    let parts = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 2, omittingEmptySubsequences: false)
    guard let stat = ProcStat.parse(Array(parts[0])) else { return 0 }
    var raw = RawProcess(stat: stat, pid: stat.pid)
    if parts.count > 1 { raw.statm = ProcStatm.parse(Array(parts[1])) }
    let tail = parts.count > 2 ? Array(parts[2]) : []
    raw.cmdline = tail.isEmpty ? nil : ProcCmdline.parse(tail)
    func word(_ i: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<8 where i * 8 + k < tail.count { v = v << 8 | UInt64(tail[i * 8 + k]) }
        return v
    }
    // The values a reading gives, as the files that give them would.
    raw.status = ProcStatus(uids: tail.count > 8 ? [UInt32(truncatingIfNeeded: word(1))] : [])
    raw.status?.nsPID = Int32(truncatingIfNeeded: word(9))
    raw.io = ProcIO(readBytes: word(7), writeBytes: .max)
    raw.oomScore = Int32(truncatingIfNeeded: word(8))
    // Page sizes up to 2^32 KiB: the product with an extreme resident count overflows.
    var p = ProcessEntry(raw: raw, pageSizeKB: word(0) & 0xFFFF_FFFF)
    p.cpuPercent = Double(bitPattern: word(2))
    p.memPercent = Double(bitPattern: word(3))
    p.startTime = Double(bitPattern: word(4))
    p.setIORates(read: Double(bitPattern: word(5)), write: Double(bitPattern: word(6)))
    p.zombieChildren = Int32(truncatingIfNeeded: word(10))
    p.oldestZombieChildAge = Double(bitPattern: word(11))
    let ticks = Double(bitPattern: word(12))
    let context = Column.Context(ticksPerSecond: ticks, singleSample: word(13) & 1 == 0, now: Double(bitPattern: word(14)))
    let snapshot = Snapshot(
        time: Double(bitPattern: word(15)), monotonic: 0,
        system: SystemInfo(hostname: "", uptime: nil, load: nil, cpuTimes: nil, memory: nil, cpus: 1),
        processes: [p], clockTicksPerSecond: ticks)
    var table = PlainTable(snapshot: snapshot, rows: [(entry: p, depth: Int(word(16) & 0xFF))], width: Int(word(17) & 0x3FF))
    table.columns = Column.all
    consume(table.render())
    consume(table.line(p, depth: nil, context: context))
    for column in Column.all {
        consume(column.text(p, context))
        for field in column.json { if let value = field.value(p, context) { consume(String(describing: value)) } }
    }
    return 0
}
