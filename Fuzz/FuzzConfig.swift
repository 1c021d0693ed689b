/// The settings file (swtoprc, the user's own text): any bytes give values and problems, never a
/// trap. A file read without a problem, once saved with any values, reads back as exactly
/// those values with no problem, and keeps its other lines.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(fuzzBytes(data, size))
    let columns: Set<String> = ["pid", "user", "cpu", "command", "rss"]
    let parse = { (b: [UInt8]) in ConfigFile.parse(b, isColumn: { columns.contains($0) }, isSortKey: { columns.contains($0) }) }
    let (values, problems) = parse(bytes)
    for p in problems {
        consume(p.line)
        consume(p.message)
        precondition(p.line >= 1, "line numbers start at 1")
    }
    consume(values.columns?.joined() ?? "")
    consume(values.delayTenths)
    consume(values.highlightSeconds)
    guard problems.isEmpty else { return 0 }
    var other = ConfigValues()
    other.columns = ["cpu", "pid"]
    other.sortKey = "rss"
    other.sortInverted = true
    other.treeView = false
    other.hideKernelThreads = true
    other.hideUserlandThreads = false
    other.highlightChanges = true
    other.highlightSeconds = 42
    other.delayTenths = 7
    other.color = false
    for wanted in [values, other] {
        let saved = ConfigFile.updated(bytes, with: wanted)
        let (again, problemsAgain) = parse(saved)
        precondition(problemsAgain.isEmpty, "a saved file reads without problems")
        // Keys the file set and `wanted` does not keep their values: compare only what was written.
        var expected = again
        for (key, _) in ConfigFile.lines(wanted) {
            switch key {
            case "columns": expected.columns = wanted.columns
            case "sort_key": expected.sortKey = wanted.sortKey
            case "sort_inverted": expected.sortInverted = wanted.sortInverted
            case "tree_view": expected.treeView = wanted.treeView
            case "hide_kernel_threads": expected.hideKernelThreads = wanted.hideKernelThreads
            case "hide_userland_threads": expected.hideUserlandThreads = wanted.hideUserlandThreads
            case "highlight_changes": expected.highlightChanges = wanted.highlightChanges
            case "highlight_seconds": expected.highlightSeconds = wanted.highlightSeconds
            case "delay": expected.delayTenths = wanted.delayTenths
            case "color": expected.color = wanted.color
            default: preconditionFailure("unknown key written")
            }
        }
        precondition(again == expected, "a saved file reads back as the values saved")
        if wanted == values { precondition(again == values, "saving what was read changes no value") }
    }
    return 0
}
