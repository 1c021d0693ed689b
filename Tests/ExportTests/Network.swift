import Foundation
import TestSupport

/// A loopback port free now: bound to port 0, read back, closed (the test then hands it to a
/// server it starts).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw TestFailure("bind: \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A TCP connection to a loopback port, with a receive time limit.
final class Connection {
    let fd: Int32

    init(port: Int, timeout: Double = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        // No close here: the init throws with every property set, so deinit runs and closes it
        // (closing it here too closed whatever fd another test had opened under that number).
        guard connected else { throw TestFailure("connect to port \(port): \(errno)") }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { if fd >= 0 { close(fd) } }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            throw TestFailure("send: \(errno)")
        }
    }

    /// Everything until the peer closes; nil when the receive time limit passes first.
    func readToEnd() -> [UInt8]? {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return out }
            if n < 0 {
                if errno == EINTR { continue }
                // ECONNRESET: closed too (a server may reset a connection with unread input).
                return errno == ECONNRESET ? out : nil
            }
            out += buffer[..<n]
        }
    }
}

/// An HTTP response, read whole (the request asks the server to close the connection).
struct HTTPResponse {
    var status: Int
    var headers: String
    var body: String
}

func parseResponse(_ bytes: [UInt8]) -> HTTPResponse? {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let split = text.range(of: "\r\n\r\n") else { return nil }
    let head = text[..<split.lowerBound]
    let statusLine = head.split(separator: "\r\n").first ?? ""
    let parts = statusLine.split(separator: " ")
    guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
    var body = String(text[split.upperBound...])
    // Go's servers (node_exporter) send a body larger than their buffer in chunks.
    if head.lowercased().contains("transfer-encoding: chunked") {
        let crlf: [UInt8] = [13, 10, 13, 10]
        guard let start = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<($0 + 4)]) == crlf }),
            let whole = dechunked(Array(bytes[(start + 4)...]))
        else { return nil }
        body = String(decoding: whole, as: UTF8.self)
    }
    return HTTPResponse(status: status, headers: String(head), body: body)
}

/// A chunked body's data (RFC 9112 section 7.1); nil when it is not well formed.
func dechunked(_ body: [UInt8]) -> [UInt8]? {
    var out: [UInt8] = []
    var i = 0
    while true {
        guard let lineEnd = (i..<max(i, body.count - 1)).first(where: { body[$0] == 13 && body[$0 + 1] == 10 }) else { return nil }
        let sizeText = String(decoding: body[i..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
        guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size >= 0 else { return nil }
        i = lineEnd + 2
        if size == 0 { return out }
        guard body.count - i >= size + 2 else { return nil }
        out += body[i..<(i + size)]
        i += size + 2
    }
}

/// GET `path` from a loopback port.
func httpGet(port: Int, _ path: String, timeout: Double = 30) throws -> HTTPResponse {
    let connection = try Connection(port: port, timeout: timeout)
    try connection.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    guard let bytes = connection.readToEnd() else { throw TestFailure("GET \(path) on port \(port): no answer in \(timeout) s") }
    guard let response = parseResponse(bytes) else { throw TestFailure("GET \(path) on port \(port): not HTTP: \(String(decoding: bytes.prefix(200), as: UTF8.self))") }
    return response
}

/// A server the test started, ended (SIGKILL, by pid) when the test is done with it; its
/// stderr goes to a file.
final class Server {
    let process = Process()
    let log: String

    init(_ executable: String, _ arguments: [String], label: String) throws {
        log = Paths.temporaryDirectory("log-\(label)") + "/stderr"
        FileManager.default.createFile(atPath: log, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: log)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
    }

    var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// Waits until GET `path` on `port` answers 200.
    func waitReady(port: Int, path: String, seconds: Double = 60) throws {
        let ready = waitUntil(seconds) {
            guard process.isRunning else { return true }
            return (try? httpGet(port: port, path, timeout: 5).status) == 200
        }
        guard ready, process.isRunning else { throw TestFailure("\(process.executableURL?.path ?? "") did not serve \(path) on port \(port): \(output)") }
    }
}

/// The swtop-exporter built beside swtop.
var exporterPath: String {
    URL(fileURLWithPath: Paths.swtop).deletingLastPathComponent().appendingPathComponent("swtop-exporter").path
}

/// The value of one sample (`name{labels} value`) in an exposition, by its exact series text.
func sampleValue(_ exposition: String, _ series: String) -> Double? {
    for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
        return Double(line.dropFirst(series.count + 1))
    }
    return nil
}
