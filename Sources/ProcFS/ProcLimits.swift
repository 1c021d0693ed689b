#if canImport(Glibc)
import Glibc
#endif

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

    /// Every resource, once: the kernel's name in /proc/PID/limits, the key swtop, prlimit(1)
    /// and the JSON use, and the RLIMIT_ number prlimit(2) takes.
    public static let resources: [(name: String, key: String, number: Int32)] = [
        ("Max cpu time", "cpu", Int32(RLIMIT_CPU.rawValue)),
        ("Max file size", "fsize", Int32(RLIMIT_FSIZE.rawValue)),
        ("Max data size", "data", Int32(RLIMIT_DATA.rawValue)),
        ("Max stack size", "stack", Int32(RLIMIT_STACK.rawValue)),
        ("Max core file size", "core", Int32(RLIMIT_CORE.rawValue)),
        ("Max resident set", "rss", Int32(__RLIMIT_RSS.rawValue)),
        ("Max processes", "nproc", Int32(__RLIMIT_NPROC.rawValue)),
        ("Max open files", "nofile", Int32(RLIMIT_NOFILE.rawValue)),
        ("Max locked memory", "memlock", Int32(__RLIMIT_MEMLOCK.rawValue)),
        ("Max address space", "as", Int32(RLIMIT_AS.rawValue)),
        ("Max file locks", "locks", Int32(__RLIMIT_LOCKS.rawValue)),
        ("Max pending signals", "sigpending", Int32(__RLIMIT_SIGPENDING.rawValue)),
        ("Max msgqueue size", "msgqueue", Int32(__RLIMIT_MSGQUEUE.rawValue)),
        ("Max nice priority", "nice", Int32(__RLIMIT_NICE.rawValue)),
        ("Max realtime priority", "rtprio", Int32(__RLIMIT_RTPRIO.rawValue)),
        ("Max realtime timeout", "rttime", Int32(__RLIMIT_RTTIME.rawValue)),
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
        let key = resources.first { $0.name == name }?.key
            ?? String(name.dropFirst(4).lowercased().map { $0 == " " ? "_" : $0 })
        return Limit(resource: key, name: name, soft: soft, hard: hard, unit: unit)
    }
}
