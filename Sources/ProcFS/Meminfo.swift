/// `/proc/meminfo`, in kB.
public struct Meminfo: Sendable, Equatable {
    public var memTotal: UInt64
    public var memFree: UInt64
    /// Absent before Linux 3.14; estimated from free + buffers + cached + reclaimable then.
    public var memAvailable: UInt64
    public var buffers: UInt64
    public var cached: UInt64
    public var sReclaimable: UInt64
    public var shmem: UInt64
    public var swapTotal: UInt64
    public var swapFree: UInt64

    public init(memTotal: UInt64, memFree: UInt64, memAvailable: UInt64, buffers: UInt64, cached: UInt64, sReclaimable: UInt64, shmem: UInt64, swapTotal: UInt64, swapFree: UInt64) {
        self.memTotal = memTotal
        self.memFree = memFree
        self.memAvailable = memAvailable
        self.buffers = buffers
        self.cached = cached
        self.sReclaimable = sReclaimable
        self.shmem = shmem
        self.swapTotal = swapTotal
        self.swapFree = swapFree
    }

    public var memUsed: UInt64 { memTotal >= memAvailable ? memTotal - memAvailable : 0 }
    public var swapUsed: UInt64 { swapTotal >= swapFree ? swapTotal - swapFree : 0 }

    public static func parse(_ bytes: [UInt8]) -> Meminfo? {
        bytes.withBytes { parse($0) }
    }

    /// nil without MemTotal.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Meminfo? {
        var total: UInt64?
        var free: UInt64 = 0
        var available: UInt64?
        var buffers: UInt64 = 0
        var cached: UInt64 = 0
        var reclaimable: UInt64 = 0
        var shmem: UInt64 = 0
        var swapTotal: UInt64 = 0
        var swapFree: UInt64 = 0
        var scanner = ByteScanner(bytes)
        while !scanner.isAtEnd {
            let line = scanner.restOfLine()
            guard let colon = bytes[line].firstIndex(of: UInt8(ascii: ":")) else { continue }
            let key = line.lowerBound..<colon
            var vs = ByteScanner(UnsafeBufferPointer(rebasing: bytes[..<line.upperBound]), from: colon + 1)
            guard let value = vs.nextUInt64() else { continue }
            if bytesEqual(bytes, key, "MemTotal") { total = value }
            else if bytesEqual(bytes, key, "MemFree") { free = value }
            else if bytesEqual(bytes, key, "MemAvailable") { available = value }
            else if bytesEqual(bytes, key, "Buffers") { buffers = value }
            else if bytesEqual(bytes, key, "Cached") { cached = value }
            else if bytesEqual(bytes, key, "SReclaimable") { reclaimable = value }
            else if bytesEqual(bytes, key, "Shmem") { shmem = value }
            else if bytesEqual(bytes, key, "SwapTotal") { swapTotal = value }
            else if bytesEqual(bytes, key, "SwapFree") { swapFree = value }
        }
        guard let total else { return nil }
        let avail = available ?? min(total, free &+ buffers &+ cached &+ reclaimable)
        return Meminfo(memTotal: total, memFree: free, memAvailable: avail, buffers: buffers, cached: cached, sReclaimable: reclaimable, shmem: shmem, swapTotal: swapTotal, swapFree: swapFree)
    }
}
