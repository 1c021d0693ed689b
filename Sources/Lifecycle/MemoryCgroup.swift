/// A process's memory cgroup.
public struct MemoryCgroup: Hashable, Sendable {
    public var path: String
    public var isV1: Bool

    public init(path: String, isV1: Bool) {
        self.path = path
        self.isV1 = isV1
    }

    /// From /proc/PID/cgroup: `N:memory:/path` (v1; also in a list like `N:cpu,memory:`) wins
    /// over `0::/path` (v2).
    public static func parse(_ bytes: [UInt8]) -> MemoryCgroup? {
        var v2: MemoryCgroup?
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            let parts = line.split(separator: UInt8(ascii: ":"), maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3 else { continue }
            let path = String(decoding: parts[2], as: UTF8.self)
            guard path.hasPrefix("/") else { continue }
            if parts[1].split(separator: UInt8(ascii: ",")).contains(where: { Array($0) == Array("memory".utf8) }) {
                return MemoryCgroup(path: path, isV1: true)
            }
            if parts[0].elementsEqual("0".utf8), parts[1].isEmpty { v2 = MemoryCgroup(path: path, isV1: false) }
        }
        return v2
    }
}
