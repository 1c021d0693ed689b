/// What `swtop events --since` parses from the journal: any bytes give a flat JSON object's
/// values or nothing, never a trap or an out-of-bounds read; likewise the times and file names.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournalLine(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = ArraySlice(Array(fuzzBytes(data, size)))
    if let line = FlatJSONLine(bytes) {
        consume(line.string("time") ?? "")
        consume(line.string("name") ?? "")
        consume(line.integer("pid").map(Int.init) ?? -1)
        consume(line.number("lifetime_s") ?? -1)
        consume(line.bool("unreaped_at_least") ?? false)
        consume((line.strings("cmdline") ?? []).joined())
        consume((line.integers("pids") ?? []).count)
        consume(line.rawString("event").map(Array.init) ?? [])
    }
    consume(CalendarDay.parseRFC3339(bytes) ?? -1)
    consume(CalendarDay.parseDate(bytes) ?? -1)
    consume(DayFile.day(ofName: Array(bytes)) ?? -1)
    return 0
}
