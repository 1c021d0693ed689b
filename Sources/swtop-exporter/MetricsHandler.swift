import NIOCore
import NIOHTTP1

/// Answers one connection's requests: GET or HEAD /metrics with the exposition, / with a
/// pointer to it, anything else with 404 or 405. A malformed request gets 400 from NIO's
/// HTTPServerProtocolErrorHandler. A client that has not sent a whole request within the
/// timeout (a slow client, or an idle keep-alive connection) is disconnected.
final class MetricsHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let scrapes: Scrapes
    private let timeout: TimeAmount
    private var head: HTTPRequestHead?
    private var deadline: Scheduled<Void>?

    init(scrapes: Scrapes, timeout: TimeAmount) {
        self.scrapes = scrapes
        self.timeout = timeout
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        context.fireChannelInactive()
    }

    private func arm(_ context: ChannelHandlerContext) {
        deadline?.cancel()
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
        case .body:
            break
        case .end:
            deadline?.cancel()
            deadline = nil
            guard let request = head else { return }
            head = nil
            respond(to: request, context: context)
        }
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = request.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard request.method == .GET || request.method == .HEAD else {
            send(context, request, .methodNotAllowed, Array("only GET and HEAD\n".utf8), extra: [("Allow", "GET, HEAD")])
            return
        }
        switch path {
        case "/metrics":
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            scrapes.exposition().whenComplete { result in
                let (handler, context) = loopBound.value
                switch result {
                case .success(let bytes):
                    handler.send(context, request, .ok, bytes, contentType: "text/plain; version=0.0.4; charset=utf-8")
                case .failure(let error):
                    handler.send(context, request, .internalServerError, Array("cannot read processes: \(error)\n".utf8))
                }
            }
        case "/":
            send(context, request, .ok, Array("swtop exporter: the metrics are at /metrics\n".utf8))
        default:
            send(context, request, .notFound, Array("not found: the metrics are at /metrics\n".utf8))
        }
    }

    private func send(
        _ context: ChannelHandlerContext, _ request: HTTPRequestHead, _ status: HTTPResponseStatus, _ body: [UInt8],
        contentType: String = "text/plain; charset=utf-8", extra: [(String, String)] = []
    ) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(body.count))])
        for (name, value) in extra { headers.add(name: name, value: value) }
        let keepAlive = request.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            var buffer = context.channel.allocator.buffer(capacity: body.count)
            buffer.writeBytes(body)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if keepAlive {
            // The next request has the same time to arrive whole.
            arm(context)
        } else {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
