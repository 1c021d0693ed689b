/// The kernel's socket tables, `/proc/PID/net/{tcp,tcp6,udp,udp6,unix}` (the process's own
/// network namespace), keyed by socket inode: what `/proc/PID/fd/N -> socket:[INODE]` is, as lsof
/// shows it.
///
/// The tables are untrusted input like every /proc file; a unix socket's path is raw bytes
/// (it may even hold a newline, which starts what looks like another line), so an inode seen
/// twice keeps its first line.
public struct SocketTable: Sendable, Equatable {
    public enum Proto: String, Sendable, Equatable {
        case tcp = "TCP", tcp6 = "TCPv6", udp = "UDP", udp6 = "UDPv6", unix = "UNIX"
    }

    public struct Socket: Sendable, Equatable {
        public var proto: Proto
        /// "127.0.0.1:8080", "[::1]:53", or for unix the path ("@name" abstract), "" when unnamed.
        public var local: String
        /// nil when unconnected (0.0.0.0:0, [::]:0) and for unix sockets.
        public var remote: String?
        /// TCP's state name as lsof shows it ("LISTEN", "ESTABLISHED"); UDP's only when connected;
        /// for unix sockets "LISTEN", "CONNECTED", ... and the type ("STREAM", "DGRAM").
        public var state: String?
        public var type: String?
        public var inode: UInt64

        public init(proto: Proto, local: String, remote: String?, state: String?, type: String? = nil, inode: UInt64) {
            self.proto = proto
            self.local = local
            self.remote = remote
            self.state = state
            self.type = type
            self.inode = inode
        }
    }

    public private(set) var byInode: [UInt64: Socket] = [:]

    public init() {}

    public subscript(inode: UInt64) -> Socket? { byInode[inode] }

    public var count: Int { byInode.count }

    /// Adds the sockets of one inet table; an inode already known keeps its first line.
    public mutating func addInet(_ bytes: UnsafeBufferPointer<UInt8>, proto: Proto) {
        for socket in Self.parseInet(bytes, proto: proto) where byInode[socket.inode] == nil { byInode[socket.inode] = socket }
    }

    public mutating func addUnix(_ bytes: UnsafeBufferPointer<UInt8>) {
        for socket in Self.parseUnix(bytes) where byInode[socket.inode] == nil { byInode[socket.inode] = socket }
    }

    static let tcpStates = [
        "", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT", "CLOSE",
        "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV",
    ]

    /// `sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...`, after a
    /// header line. Lines that do not parse are skipped; inode 0 (a TIME_WAIT entry, which no
    /// file holds) too.
    public static func parseInet(_ bytes: UnsafeBufferPointer<UInt8>, proto: Proto) -> [Socket] {
        rows(bytes) { _, s in
            guard let localRange = s.nextToken(), let remoteRange = s.nextToken(), let stRange = s.nextToken(),
                let st = hexValue(bytes, stRange), st <= 0xFF
            else { return nil }
            // tx:rx, tr:when, retrnsmt, uid, timeout, then the inode.
            var inode: UInt64?
            for _ in 0..<5 where s.nextToken() == nil { break }
            if let r = s.nextToken() { inode = parseUInt64(bytes, r) }
            guard let inode, inode != 0,
                let local = address(bytes, localRange), let remote = address(bytes, remoteRange)
            else { return nil }
            let isTCP = proto == .tcp || proto == .tcp6
            var state: String?
            if isTCP {
                state = Int(st) < tcpStates.count && st != 0 ? tcpStates[Int(st)] : "UNKNOWN(\(st))"
            } else if st == 1 {
                // A connected UDP socket: lsof shows no state for UDP, but it is worth knowing.
                state = "CONNECTED"
            }
            let unconnected = remote.isUnspecified && remote.port == 0
            return Socket(proto: proto, local: local.text, remote: unconnected ? nil : remote.text, state: state, inode: inode)
        }
    }

    /// The lines after the header line, each as a scanner past its first token, which must end
    /// in ':' (the slot number, as every table of /proc/net has it); `row` makes a socket of the
    /// rest or skips the line (nil).
    static func rows(_ bytes: UnsafeBufferPointer<UInt8>, _ row: (_ line: Range<Int>, _ scanner: inout ByteScanner) -> Socket?) -> [Socket] {
        var out: [Socket] = []
        var lines = ByteScanner(bytes)
        _ = lines.restOfLine()
        while !lines.isAtEnd {
            let line = lines.restOfLine()
            var s = ByteScanner(UnsafeBufferPointer(rebasing: bytes[..<line.upperBound]), from: line.lowerBound)
            guard let slot = s.nextToken(), bytes[slot.upperBound - 1] == UInt8(ascii: ":") else { continue }
            if let socket = row(line, &s) { out.append(socket) }
        }
        return out
    }

    struct Address {
        var text: String
        var isUnspecified: Bool
        var port: UInt16
    }

    /// `0100007F:1F90` (IPv4) or 32 hex digits (IPv6), then the port. The kernel prints each
    /// 32-bit word of the network-order address as a native integer (`%08X`): its bytes in
    /// memory order are the address's.
    static func address(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Address? {
        guard let colon = bytes[range].lastIndex(of: UInt8(ascii: ":")) else { return nil }
        let hostRange = range.lowerBound..<colon
        guard let portValue = hexValue(bytes, (colon + 1)..<range.upperBound), let port = UInt16(exactly: portValue) else { return nil }
        var octets: [UInt8] = []
        switch hostRange.count {
        case 8, 32:
            var i = hostRange.lowerBound
            while i < hostRange.upperBound {
                guard let word = hexValue(bytes, i..<(i + 8)), let w = UInt32(exactly: word) else { return nil }
                withUnsafeBytes(of: w) { octets.append(contentsOf: $0) }
                i += 8
            }
        default: return nil
        }
        let unspecified = octets.allSatisfy { $0 == 0 }
        if octets.count == 4 {
            return Address(text: octets.map { String($0) }.joined(separator: ".") + ":" + String(port), isUnspecified: unspecified, port: port)
        }
        // An IPv4-mapped address (::ffff:a.b.c.d) as lsof and ss show it.
        let host: String
        if octets[0..<10].allSatisfy({ $0 == 0 }), octets[10] == 0xFF, octets[11] == 0xFF {
            host = "::ffff:" + octets[12...].map { String($0) }.joined(separator: ".")
        } else {
            host = ipv6Text(octets)
        }
        return Address(text: "[" + host + "]:" + String(port), isUnspecified: unspecified, port: port)
    }

    /// RFC 5952: lowercase hex groups, the longest run (two or more) of zero groups as `::`.
    static func ipv6Text(_ octets: [UInt8]) -> String {
        var groups: [UInt16] = []
        var i = 0
        while i + 1 < octets.count {
            groups.append(UInt16(octets[i]) << 8 | UInt16(octets[i + 1]))
            i += 2
        }
        var bestStart = -1
        var bestLength = 1
        var runStart = -1
        for (k, g) in groups.enumerated() {
            if g == 0 {
                if runStart < 0 { runStart = k }
                if k - runStart + 1 > bestLength {
                    bestStart = runStart
                    bestLength = k - runStart + 1
                }
            } else {
                runStart = -1
            }
        }
        func hex(_ g: UInt16) -> String { String(g, radix: 16) }
        if bestStart < 0 { return groups.map(hex).joined(separator: ":") }
        let head = groups[..<bestStart].map(hex).joined(separator: ":")
        let tail = groups[(bestStart + bestLength)...].map(hex).joined(separator: ":")
        return head + "::" + tail
    }

    static let unixTypes: [UInt64: String] = [1: "STREAM", 2: "DGRAM", 3: "RAW", 4: "RDM", 5: "SEQPACKET"]
    static let unixStates: [UInt64: String] = [1: "UNCONNECTED", 2: "CONNECTING", 3: "CONNECTED", 4: "DISCONNECTING"]
    /// __SO_ACCEPTCON in the Flags column: a listening socket.
    static let acceptingFlag: UInt64 = 0x0001_0000

    /// `Num: RefCount Protocol Flags Type St Inode [Path]`, after a header line. The path runs to
    /// the end of the line (it may hold spaces); an abstract name starts with '@'.
    public static func parseUnix(_ bytes: UnsafeBufferPointer<UInt8>) -> [Socket] {
        rows(bytes) { line, s in
            guard s.nextToken() != nil, s.nextToken() != nil,
                let flagsRange = s.nextToken(), let flags = hexValue(bytes, flagsRange),
                let typeRange = s.nextToken(), let type = hexValue(bytes, typeRange),
                let stRange = s.nextToken(), let st = hexValue(bytes, stRange),
                let inodeRange = s.nextToken(), let inode = parseUInt64(bytes, inodeRange), inode != 0
            else { return nil }
            // One space, then the path to the end of the line.
            var path = ""
            if inodeRange.upperBound + 1 < line.upperBound {
                path = String(decoding: UnsafeBufferPointer(rebasing: bytes[(inodeRange.upperBound + 1)..<line.upperBound]), as: UTF8.self)
            }
            let state = flags & acceptingFlag != 0 ? "LISTEN" : (unixStates[st] ?? "UNKNOWN(\(st))")
            return Socket(proto: .unix, local: path, remote: nil, state: state, type: unixTypes[type] ?? "TYPE(\(type))", inode: inode)
        }
    }

    /// Hex digits (either case) as a number; nil on anything else, on overflow, or when empty.
    static func hexValue(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64? {
        guard !range.isEmpty, range.count <= 16, range.lowerBound >= 0, range.upperBound <= bytes.count else { return nil }
        var value: UInt64 = 0
        for i in range {
            let b = bytes[i]
            let digit: UInt8
            switch b {
            case 0x30...0x39: digit = b - 0x30
            case 0x41...0x46: digit = b - 0x41 + 10
            case 0x61...0x66: digit = b - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    /// The inode of a socket fd's link text, `socket:[12345]`; nil for anything else.
    public static func socketInode(_ link: [UInt8]) -> UInt64? {
        let prefix = Array("socket:[".utf8)
        guard link.count > prefix.count + 1, link.starts(with: prefix), link.last == UInt8(ascii: "]") else { return nil }
        return link.withBytes { parseUInt64($0, prefix.count..<(link.count - 1)) }
    }
}
