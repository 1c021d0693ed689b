/// The Prometheus text exposition format (version 0.0.4), written into one byte buffer.
///
/// Written here rather than with swift-prometheus: its registry keeps metrics alive between
/// scrapes, while swtop's groups come and go with the processes; each exposition is built whole
/// from one reading of /proc, so a writer is all that is needed.
public struct Exposition {
    public enum Kind: String, Sendable {
        case gauge, counter
    }

    /// What two samples of one family with the same labels become: one sample, whose value is
    /// their sum (counts, bytes, seconds), the larger (a 0/1 flag) or the smaller (a start time).
    /// node_exporter refuses a whole textfile, and Prometheus a scrape, over a repeated series;
    /// label values that are cut or escaped can make two series alike, so this is done here, for
    /// every family, rather than trusted to each caller.
    public enum Merge: Sendable {
        case sum, max, min
    }

    /// The families written so far.
    private var written: [UInt8] = []
    /// The current family's samples: series text (`name{labels}`) and value, in the order
    /// first given.
    private var series: [(text: [UInt8], value: Double)] = []
    private var index: [[UInt8]: Int] = [:]
    private var merge = Merge.sum

    public init() {
        written.reserveCapacity(16 << 10)
    }

    /// The exposition so far.
    public var bytes: [UInt8] {
        var out = written
        Self.append(series, to: &out)
        return out
    }

    /// The HELP and TYPE lines of a metric family; its samples follow.
    public mutating func family(_ name: StaticString, _ kind: Kind, help: StaticString, merge: Merge = .sum) {
        Self.append(series, to: &written)
        series.removeAll(keepingCapacity: true)
        index.removeAll(keepingCapacity: true)
        self.merge = merge
        Self.append("# HELP ", to: &written)
        Self.append(name, to: &written)
        written.append(UInt8(ascii: " "))
        Self.append(help, to: &written)
        Self.append("\n# TYPE ", to: &written)
        Self.append(name, to: &written)
        written.append(UInt8(ascii: " "))
        written.append(contentsOf: kind.rawValue.utf8)
        written.append(UInt8(ascii: "\n"))
    }

    /// One sample: `name{label="value",...} value`. Label values are cleaned (LabelText: control
    /// and format characters made visible, cut to 128 bytes) and escaped as the format asks
    /// (backslash, double quote, newline); process names are untrusted and can hold any byte.
    /// A sample whose series the family already has is merged into it.
    public mutating func sample(_ name: StaticString, _ labels: KeyValuePairs<StaticString, String>, _ value: Double) {
        var text: [UInt8] = []
        Self.append(name, to: &text)
        if labels.count > 0 {
            text.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in labels {
                if !first { text.append(UInt8(ascii: ",")) }
                first = false
                Self.append(key, to: &text)
                Self.append("=\"", to: &text)
                Self.appendEscaped(LabelText.clean(value), to: &text)
                text.append(UInt8(ascii: "\""))
            }
            text.append(UInt8(ascii: "}"))
        }
        guard let at = index[text] else {
            index[text] = series.count
            series.append((text, value))
            return
        }
        let old = series[at].value
        switch merge {
        case .sum: series[at].value = old + value
        case .max: series[at].value = Swift.max(old, value)
        case .min: series[at].value = Swift.min(old, value)
        }
    }

    public mutating func sample(_ name: StaticString, _ value: Double) {
        sample(name, [:], value)
    }

    private static func append(_ samples: [(text: [UInt8], value: Double)], to out: inout [UInt8]) {
        for sample in samples {
            out += sample.text
            out.append(UInt8(ascii: " "))
            appendNumber(sample.value, to: &out)
            out.append(UInt8(ascii: "\n"))
        }
    }

    private static func append(_ text: StaticString, to out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    private static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        // A String's UTF-8 is valid UTF-8 (names were decoded with invalid bytes replaced), as
        // the format requires; a clean value has no newline left, but the rule stays whole.
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            default: out.append(byte)
            }
        }
    }

    /// Whole numbers without a fraction (most values here are counts and bytes), others as Swift
    /// prints a Double (shortest round-trip form, which Go's ParseFloat reads back).
    private static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        if value.isNaN {
            out += Array("NaN".utf8)
        } else if value.isInfinite {
            out += Array((value < 0 ? "-Inf" : "+Inf").utf8)
        } else if value == value.rounded(), abs(value) < 1e15 {
            out += Array(String(Int64(value)).utf8)
        } else {
            out += Array(value.description.utf8)
        }
    }
}
