import ProcFS

/// What the textfile writer says about failed writes: one line per kind of error (errno) while
/// the failure lasts, and one when the file is written again, so a full disk does not fill the
/// journal with a line every second.
struct WriteFailures {
    /// The errors said since the last write that worked.
    private var said: Set<Int32> = []

    /// The line to print after a write that failed with `code` (nil: it worked), if any.
    mutating func note(_ code: Int32?, path: String, retry: Double) -> String? {
        guard let code else {
            guard !said.isEmpty else { return nil }
            said = []
            return "\(path) written again"
        }
        guard said.insert(code).inserted else { return nil }
        return "cannot write \(path): \(errnoText(code)); still running, trying again every \(Self.seconds(retry)) s"
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() && value < 1e9 ? String(Int(value)) : String(value)
    }
}
