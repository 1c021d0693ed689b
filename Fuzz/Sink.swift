/// Shared by every fuzz target (Scripts/fuzz.sh builds one libFuzzer binary per parser: the
/// parser sources, this file and one target file).
///
/// Every field of a parsed value is folded into a global the optimiser cannot see through, so no
/// field read (and no parsing behind it) is dropped as dead code.
nonisolated(unsafe) var fuzzSink: UInt64 = 0

@inline(never)
func consume(_ value: UInt64) { fuzzSink = fuzzSink &* 31 &+ value }

func consume(_ value: Int64) { consume(UInt64(bitPattern: value)) }
func consume(_ value: Int32) { consume(UInt64(UInt32(bitPattern: value))) }
func consume(_ value: UInt32) { consume(UInt64(value)) }
func consume(_ value: UInt8) { consume(UInt64(value)) }
func consume(_ value: Int) { consume(UInt64(bitPattern: Int64(value))) }
func consume(_ value: Double) { consume(value.bitPattern) }
func consume(_ value: Bool) { consume(value ? 1 as UInt64 : 2) }
func consume(_ value: Int32?) { if let value { consume(value) } else { consume(3 as UInt64) } }
func consume(_ value: UInt64?) { if let value { consume(value) } else { consume(3 as UInt64) } }
func consume(_ value: Int?) { if let value { consume(value) } else { consume(3 as UInt64) } }
func consume(_ bytes: [UInt8]) {
    consume(bytes.count)
    for b in bytes { consume(b) }
}
func consume(_ text: String) { consume(Array(text.utf8)) }

/// libFuzzer passes a null pointer for the empty input.
func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: size > 0 ? data : nil, count: size)
}
