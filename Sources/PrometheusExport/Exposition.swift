/// The Prometheus text exposition format (version 0.0.4), written into one byte buffer.
///
/// Written here rather than with swift-prometheus: its registry keeps metrics alive between
/// scrapes, while swtop's groups come and go with the processes; each exposition is built whole
/// from one reading of /proc, so a writer is all that is needed.
public struct Exposition {
    public enum Kind: String, Sendable {
        case gauge, counter
    }

    public private(set) var bytes: [UInt8] = []

    public init() {
        bytes.reserveCapacity(16 << 10)
    }

    /// The HELP and TYPE lines of a metric family; its samples follow.
    public mutating func family(_ name: StaticString, _ kind: Kind, help: StaticString) {
        append("# HELP ")
        append(name)
        bytes.append(UInt8(ascii: " "))
        append(help)
        append("\n# TYPE ")
        append(name)
        bytes.append(UInt8(ascii: " "))
        append(kind.rawValue)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// One sample: `name{label="value",...} value`. Label values are escaped as the format asks
    /// (backslash, double quote, newline); process names are untrusted and can hold any byte.
    public mutating func sample(_ name: StaticString, _ labels: KeyValuePairs<StaticString, String>, _ value: Double) {
        append(name)
        if labels.count > 0 {
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for (key, text) in labels {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                append(key)
                append("=\"")
                appendEscaped(text)
                bytes.append(UInt8(ascii: "\""))
            }
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
        appendNumber(value)
        bytes.append(UInt8(ascii: "\n"))
    }

    public mutating func sample(_ name: StaticString, _ value: Double) {
        sample(name, [:], value)
    }

    private mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func appendEscaped(_ text: String) {
        // A String's UTF-8 is valid UTF-8 (names were decoded with invalid bytes replaced), as
        // the format requires.
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\n"): append("\\n")
            default: bytes.append(byte)
            }
        }
    }

    /// Whole numbers without a fraction (most values here are counts and bytes), others as Swift
    /// prints a Double (shortest round-trip form, which Go's ParseFloat reads back).
    private mutating func appendNumber(_ value: Double) {
        if value.isNaN {
            append("NaN")
        } else if value.isInfinite {
            append(value < 0 ? "-Inf" : "+Inf")
        } else if value == value.rounded(), abs(value) < 1e15 {
            append(String(Int64(value)))
        } else {
            append(value.description)
        }
    }
}
