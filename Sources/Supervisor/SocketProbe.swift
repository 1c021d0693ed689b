#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// One TCP or HTTP health check on a non-blocking socket, moved on by the event loop's poll, so
/// that a slow or silent server never holds up reaping or signals.
///
/// The HTTP check is a minimal HTTP/1.1 GET that reads only the status line. An HTTP client
/// library does not fit: swtop's SwiftNIO (which swtop-exporter uses) would more than double the
/// init's peak RSS, and a health check of a local port needs no TLS, redirects, bodies or
/// keep-alive: only "did it answer 2xx or 3xx in time".
final class SocketProbe {
    private enum Phase {
        case connecting, sending, reading
    }

    let fd: Int32
    private var phase = Phase.connecting
    private let request: [UInt8]?
    private var received: [UInt8] = []

    /// Starts connecting; a result at once when the socket cannot even be made or the connect
    /// fails at once (ECONNREFUSED on loopback).
    static func start(_ target: HealthTarget) -> Result<SocketProbe, HealthResult> {
        let address: SocketAddress
        var request: [UInt8]?
        switch target {
        case .http(let a, let host, let path):
            address = a
            request = Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: swtop-run\r\nConnection: close\r\n\r\n".utf8)
        case .tcp(let a):
            address = a
        case .command:
            return .failure(HealthResult(ok: false, detail: "not a socket check"))
        }
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(HealthResult(ok: false, detail: "socket: " + errnoText(errno))) }
        let rc = address.bytes.withUnsafeBytes { raw in
            connect(fd, raw.baseAddress?.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        if rc != 0 && errno != EINPROGRESS {
            let code = errno
            close(fd)
            return .failure(HealthResult(ok: false, detail: "connect: " + errnoText(code)))
        }
        return .success(SocketProbe(fd: fd, request: request))
    }

    private init(fd: Int32, request: [UInt8]?) {
        self.fd = fd
        self.request = request
    }

    deinit { close(fd) }

    /// What to poll for.
    var events: Int16 { Int16(phase == .reading ? POLLIN : POLLOUT) }

    /// Moves on after poll said the socket is ready; the result once there is one.
    func advance() -> HealthResult? {
        switch phase {
        case .connecting:
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) == 0 else {
                return HealthResult(ok: false, detail: "connect: " + errnoText(errno))
            }
            if error == EINPROGRESS { return nil }
            guard error == 0 else { return HealthResult(ok: false, detail: "connect: " + errnoText(error)) }
            guard request != nil else { return HealthResult(ok: true, detail: "connected") }
            phase = .sending
            return send()
        case .sending:
            return send()
        case .reading:
            return read()
        }
    }

    private func send() -> HealthResult? {
        guard let request else { return nil }
        // The request is under 300 bytes: a fresh socket's send buffer takes it whole.
        let n = request.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return nil }
        guard n == request.count else { return HealthResult(ok: false, detail: "send: " + (n < 0 ? errnoText(errno) : "short write")) }
        phase = .reading
        return nil
    }

    private func read() -> HealthResult? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return nil }
        guard n >= 0 else { return HealthResult(ok: false, detail: "receive: " + errnoText(errno)) }
        received += buffer[0..<n]
        if let status = Self.statusCode(received) {
            return HealthResult(ok: (200...399).contains(status), detail: "HTTP \(status)")
        }
        // The status line is short; more than 512 bytes (or the end) without one is not HTTP.
        if n == 0 || received.count >= 512 || received.contains(UInt8(ascii: "\n")) {
            return HealthResult(ok: false, detail: "not an HTTP answer")
        }
        return nil
    }

    /// The code of a complete status line, "HTTP/1.1 200 OK\r\n"; nil until the line is whole
    /// or when it is not one.
    static func statusCode(_ bytes: [UInt8]) -> Int? {
        guard let end = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let line = bytes[..<end]
        let prefix = Array("HTTP/1.".utf8)
        guard line.count >= 12, Array(line.prefix(prefix.count)) == prefix else { return nil }
        let start = line.startIndex + 8
        guard line[start] == UInt8(ascii: " ") else { return nil }
        let digits = line[(start + 1)..<(start + 4)]
        guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        let status = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard line.count == 12 || line[start + 4] == UInt8(ascii: " ") || line[start + 4] == UInt8(ascii: "\r") else { return nil }
        return status
    }
}

/// One check's answer.
public struct HealthResult: Error, Sendable, Equatable {
    public var ok: Bool
    public var detail: String
}
