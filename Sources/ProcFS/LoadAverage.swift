/// `/proc/loadavg`: "0.52 0.58 0.59 2/345 12345".
public struct LoadAverage: Sendable, Equatable {
    public var one: Double
    public var five: Double
    public var fifteen: Double

    public init(one: Double, five: Double, fifteen: Double) {
        self.one = one
        self.five = five
        self.fifteen = fifteen
    }

    public static func parse(_ bytes: [UInt8]) -> LoadAverage? {
        bytes.withBytes { parse($0) }
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> LoadAverage? {
        var s = ByteScanner(bytes)
        guard let a = s.nextToken(), let b = s.nextToken(), let c = s.nextToken(),
            let one = parseDouble(bytes, a), let five = parseDouble(bytes, b),
            let fifteen = parseDouble(bytes, c)
        else { return nil }
        return LoadAverage(one: one, five: five, fifteen: fifteen)
    }

    /// The last field: the pid the kernel gave out last (in the reader's pid namespace).
    public static func lastPID(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        var s = ByteScanner(bytes)
        for _ in 0..<4 { guard s.nextToken() != nil else { return nil } }
        return s.nextInt64().flatMap { Int32(exactly: $0) }
    }
}

/// `/proc/uptime`: seconds since boot, and idle seconds summed over CPUs.
public struct Uptime: Sendable, Equatable {
    public var seconds: Double
    public var idleSeconds: Double

    public init(seconds: Double, idleSeconds: Double) {
        self.seconds = seconds
        self.idleSeconds = idleSeconds
    }

    public static func parse(_ bytes: [UInt8]) -> Uptime? {
        bytes.withBytes { parse($0) }
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Uptime? {
        var s = ByteScanner(bytes)
        guard let a = s.nextToken(), let seconds = parseDouble(bytes, a) else { return nil }
        let idle = s.nextToken().flatMap { parseDouble(bytes, $0) } ?? 0
        return Uptime(seconds: seconds, idleSeconds: idle)
    }
}
