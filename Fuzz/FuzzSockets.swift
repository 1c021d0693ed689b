/// /proc/PID/net/{tcp,tcp6,udp,udp6,unix}: any bytes give sockets or none, never a trap; every
/// socket kept has an inode (0 is no socket a file holds), an inet one a local address.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSockets(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    var table = SocketTable()
    for proto in [SocketTable.Proto.tcp, .tcp6, .udp, .udp6] {
        for s in SocketTable.parseInet(bytes, proto: proto) {
            precondition(s.inode != 0, "an inet socket with inode 0")
            precondition(s.local.hasSuffix(":" + s.local.split(separator: ":").last.map(String.init)!), "local address without a port")
            precondition(proto == .tcp || proto == .tcp6 ? s.state != nil : true, "a TCP socket without a state")
            consume(s.local); consume(s.remote ?? ""); consume(s.state ?? "")
        }
        table.addInet(bytes, proto: proto)
    }
    for s in SocketTable.parseUnix(bytes) {
        precondition(s.inode != 0 && s.proto == .unix, "a unix socket with inode 0")
        consume(s.local); consume(s.type ?? ""); consume(s.state ?? "")
    }
    table.addUnix(bytes)
    consume(table.count)
    consume(SocketTable.socketInode(Array(UnsafeBufferPointer(rebasing: bytes.prefix(64)))))
    return 0
}
