/// `/proc/PID/limits`: a header line, then per resource its name (with spaces), the soft and
/// hard values (a number or `unlimited`) and a unit, which some resources lack.
public struct ProcLimits: Sendable, Equatable {
    public enum Value: Sendable, Equatable, CustomStringConvertible {
        case limited(UInt64)
        case unlimited

        public var description: String {
            switch self {
            case .limited(let n): return String(n)
            case .unlimited: return "unlimited"
            }
        }
    }

    public struct Limit: Sendable, Equatable {
        /// Short key, as prlimit(1) names it: `nofile`, `as`, `cpu`, ...
        public var resource: String
        /// The kernel's name: "Max open files".
        public var name: String
        public var soft: Value
        public var hard: Value
        public var unit: String?

        public init(resource: String, name: String, soft: Value, hard: Value, unit: String?) {
            self.resource = resource
            self.name = name
            self.soft = soft
            self.hard = hard
            self.unit = unit
        }
    }

    /// In the kernel's order.
    public var limits: [Limit]

    public init(limits: [Limit]) { self.limits = limits }

    public subscript(resource: String) -> Limit? {
        limits.first { $0.resource == resource }
    }

    /// The kernel's names and the keys swtop, prlimit(1) and the JSON use for them.
    public static let resourceKeys: [(name: String, key: String)] = [
        ("Max cpu time", "cpu"), ("Max file size", "fsize"), ("Max data size", "data"),
        ("Max stack size", "stack"), ("Max core file size", "core"), ("Max resident set", "rss"),
        ("Max processes", "nproc"), ("Max open files", "nofile"), ("Max locked memory", "memlock"),
        ("Max address space", "as"), ("Max file locks", "locks"), ("Max pending signals", "sigpending"),
        ("Max msgqueue size", "msgqueue"), ("Max nice priority", "nice"),
        ("Max realtime priority", "rtprio"), ("Max realtime timeout", "rttime"),
    ]

    public static func parse(_ bytes: [UInt8]) -> ProcLimits? {
        bytes.withBytes { parse($0) }
    }

    /// nil when no resource line parses.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ProcLimits? {
        var scanner = ByteScanner(bytes)
        var limits: [Limit] = []
        while !scanner.isAtEnd {
            let line = scanner.restOfLine()
            var words: [String] = []
            var ls = ByteScanner(UnsafeBufferPointer(rebasing: bytes[..<line.upperBound]), from: line.lowerBound)
            while let t = ls.nextToken() {
                words.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[t]), as: UTF8.self))
            }
            if let limit = parseLine(words) { limits.append(limit) }
        }
        return limits.isEmpty ? nil : ProcLimits(limits: limits)
    }

    private static func value(_ word: String) -> Value? {
        if word == "unlimited" { return .unlimited }
        return UInt64(word).map { .limited($0) }
    }

    private static func parseLine(_ words: [String]) -> Limit? {
        // From the end: [unit], hard, soft; the rest is the name.
        guard words.count >= 3 else { return nil }
        var rest = words[...]
        var unit: String?
        if let last = rest.last, value(last) == nil {
            unit = last
            rest = rest.dropLast()
        }
        guard rest.count >= 3, let hard = value(rest[rest.endIndex - 1]),
            let soft = value(rest[rest.endIndex - 2])
        else { return nil }
        let name = rest.dropLast(2).joined(separator: " ")
        guard name.hasPrefix("Max ") else { return nil }
        let key = resourceKeys.first { $0.name == name }?.key
            ?? String(name.dropFirst(4).lowercased().map { $0 == " " ? "_" : $0 })
        return Limit(resource: key, name: name, soft: soft, hard: hard, unit: unit)
    }
}
