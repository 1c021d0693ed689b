import ProcessModel
#if canImport(Glibc)
import Glibc
#endif

/// What `--health` and `--health-cmd` check.
public enum HealthTarget: Sendable, Equatable {
    /// An HTTP/1.1 GET whose answer is 2xx or 3xx.
    case http(SocketAddress, host: String, path: String)
    /// A TCP connect that succeeds.
    case tcp(SocketAddress)
    /// `/bin/sh -c CMD` exits 0.
    case command(String)

    /// `http://HOST:PORT/PATH` or `tcp://HOST:PORT`. The host is resolved once, here, before the
    /// child starts: name lookups block, and a check must never hold up reaping or signals.
    static func parse(_ text: String) throws(RunOptions.Invalid) -> HealthTarget {
        let invalid = RunOptions.Invalid(
            "invalid --health '\(DisplayText.escaped(text))': expected http://HOST:PORT/PATH or tcp://HOST:PORT")
        let isHTTP = text.hasPrefix("http://")
        guard isHTTP || text.hasPrefix("tcp://") else {
            if text.hasPrefix("https://") {
                throw RunOptions.Invalid("invalid --health '\(DisplayText.escaped(text))': https is not supported (a local check needs no TLS; use http:// or tcp://)")
            }
            throw invalid
        }
        let rest = text.dropFirst(isHTTP ? 7 : 6)
        let authority = rest.prefix { $0 != "/" }
        var path = String(rest.dropFirst(authority.count))
        if path.isEmpty { path = "/" }
        guard !isHTTP || path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else { throw invalid }
        if !isHTTP && rest.count != authority.count { throw invalid }
        // HOST:PORT, or [IPv6]:PORT.
        guard let colon = authority.lastIndex(of: ":") else { throw invalid }
        var host = String(authority[..<colon])
        let portText = authority[authority.index(after: colon)...]
        guard let port = UInt16(portText), port > 0 else { throw invalid }
        let hostHeader = String(authority)
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else { throw invalid }
        guard let address = SocketAddress.resolve(host: host, port: port) else {
            throw RunOptions.Invalid("invalid --health '\(DisplayText.escaped(text))': cannot resolve host '\(DisplayText.escaped(host))'")
        }
        return isHTTP ? .http(address, host: hostHeader, path: path) : .tcp(address)
    }

    /// "http://127.0.0.1:8080/health", for the log.
    var words: String {
        switch self {
        case .http(let address, _, let path): return "http://\(address.words)\(path)"
        case .tcp(let address): return "tcp://\(address.words)"
        case .command(let command): return command
        }
    }

    /// As the state file says it: the URL, or "command: CMD".
    var stateWords: String {
        if case .command(let command) = self { return "command: " + command }
        return words
    }
}

/// A resolved IPv4 or IPv6 address and port, as connect(2) takes it.
public struct SocketAddress: Sendable, Equatable {
    let family: Int32
    let bytes: [UInt8]
    let words: String

    static func resolve(host: String, port: UInt16) -> SocketAddress? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let list else { return nil }
        defer { freeaddrinfo(list) }
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let e = entry {
            let info = e.pointee
            if let addr = info.ai_addr, info.ai_family == AF_INET || info.ai_family == AF_INET6 {
                let bytes = [UInt8](UnsafeRawBufferPointer(start: addr, count: Int(info.ai_addrlen)))
                var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
                let raw = UnsafeRawPointer(addr)
                let ip = info.ai_family == AF_INET
                    ? inet_ntop(AF_INET, raw + 4, &text, socklen_t(text.count))
                    : inet_ntop(AF_INET6, raw + 8, &text, socklen_t(text.count))
                let name = ip == nil ? host : String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                let words = info.ai_family == AF_INET6 ? "[\(name)]:\(port)" : "\(name):\(port)"
                return SocketAddress(family: info.ai_family, bytes: bytes, words: words)
            }
            entry = info.ai_next
        }
        return nil
    }
}
