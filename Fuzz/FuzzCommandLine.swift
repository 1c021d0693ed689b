/// The command line's pids, numbers and signals (`swtop signal -s TERM -- -2147483648`,
/// `--interval -1`, `-p 99999999999999999999`): argv as NUL-separated bytes goes through the
/// rewriting swtop does before parsing (kill's and renice's forms, negative values) and through
/// the pid and signal parsers. Any argv gives an argv or a reason, never a trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCommandLine(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    let rewritten = NegativeArguments.checked(ToolHabits.rewritten(arguments))
    // Nothing is invented: every word out is a word in, a "--", a signal without its dash
    // (`-9`), or an option joined to its value.
    let words = Set(arguments)
    for word in rewritten where word != "--" && !words.contains(word) && !words.contains("-" + word) {
        let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
        precondition(parts.count == 2 && NegativeArguments.numericOptions.values.contains(parts[0]) && words.contains(parts[1]), "invented \(word)")
    }
    // A command named first stays first (an option first may be joined to its value).
    if let first = arguments.first, !first.hasPrefix("-") { precondition(rewritten.first == first, "the command moved") }
    for word in rewritten {
        consume(word)
        if let signal = Signal(parsing: word) {
            precondition((1...64).contains(signal.number), "signal \(signal.number) out of range")
            consume(signal.name)
        }
        switch PIDText.one(word) {
        case .success(let pid): consume(pid)
        case .failure(let problem): consume(problem.message)
        }
    }
    switch PIDText.list(rewritten) {
    case .success(let pids):
        precondition(pids.allSatisfy { $0 > 0 }, "a pid not positive")
        consume(pids.count)
    case .failure(let problem): consume(problem.message)
    }
    return 0
}
