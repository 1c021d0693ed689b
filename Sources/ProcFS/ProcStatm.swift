/// `/proc/PID/statm`: memory sizes in pages.
public struct ProcStatm: Sendable, Equatable {
    public var size: UInt64
    public var resident: UInt64
    public var shared: UInt64

    public init(size: UInt64, resident: UInt64, shared: UInt64) {
        self.size = size
        self.resident = resident
        self.shared = shared
    }

    public static func parse(_ bytes: [UInt8]) -> ProcStatm? {
        bytes.withBytes { parse($0) }
    }

    /// Needs the first three fields; nil otherwise.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ProcStatm? {
        var scanner = ByteScanner(bytes)
        guard let size = scanner.nextUInt64(), let resident = scanner.nextUInt64(),
            let shared = scanner.nextUInt64()
        else { return nil }
        return ProcStatm(size: size, resident: resident, shared: shared)
    }
}
