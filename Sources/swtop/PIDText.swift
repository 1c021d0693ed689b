/// Pids as typed on the command line, in plain Swift (no imports: Fuzz/FuzzCommandLine.swift
/// fuzzes it with the argument rewriting).
enum PIDText {
    struct Problem: Error, Equatable {
        var message: String
    }

    /// `--pid 1,2 -p 3`: positive pids, or the reason why not, naming the first bad one.
    static func list(_ texts: [String]) -> Result<Set<Int32>, Problem> {
        var set = Set<Int32>()
        for part in texts.joined(separator: ",").split(separator: ",", omittingEmptySubsequences: false) {
            let text = trimmed(part)
            guard let pid = Int32(text), pid > 0 else {
                let negative = text.count > 1 && text.hasPrefix("-") && text.dropFirst().allSatisfy { $0.isASCII && $0.isNumber }
                return .failure(Problem(message: "invalid pid '\(text)' in --pid: \(negative ? "a pid must not be negative" : "expected positive integers separated by commas")"))
            }
            set.insert(pid)
        }
        return .success(set)
    }

    /// A command's target: any Int32, so that 0 and negative pids reach ProcessControl's
    /// refusal with its reason; the reason why not otherwise.
    static func one(_ text: String) -> Result<Int32, Problem> {
        if let pid = Int32(text) { return .success(pid) }
        return .failure(Problem(message: "invalid pid '\(text)': expected an integer from 1 to \(Int32.max)"))
    }

    static func trimmed(_ text: Substring) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
