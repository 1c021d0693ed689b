import NIOCore
import NIOHTTP1

/// Answers one connection's requests: GET or HEAD /metrics with the exposition, / with a
/// pointer to it, anything else with 404 or 405. A malformed request gets 400 from NIO's
/// HTTPServerProtocolErrorHandler. A client that has not sent a whole request within the
/// timeout (a slow client, or an idle keep-alive connection), or has not taken its response
/// within it, is disconnected.
///
/// At most one response is in flight: the next request is answered only once the previous
/// response has been written to the socket, and nothing more is read from the socket while a
/// response is on its way or the socket cannot take more output. A client that pipelines
/// requests and never reads its responses holds one response in memory, not thousands.
/// (NIO's HTTPServerPipelineHandler, ahead in the pipeline, already holds back further requests
/// until a response's end is written; but written is not sent: without this the responses
/// piled up in the channel's outbound buffer.)
final class MetricsHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let scrapes: Scrapes
    private let timeout: TimeAmount
    private var head: HTTPRequestHead?
    private var deadline: Scheduled<Void>?
    /// From a request's end until its response is in the socket.
    private var responding = false
    /// A whole request that arrived while a response was on its way (at most one: the pipeline
    /// handler holds back the rest).
    private var waiting: HTTPRequestHead?
    /// A read asked for while reading was held back.
    private var readPending = false

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
            guard let request = head else { return }
            head = nil
            // The deadline stays armed: the response before it must reach the client in time.
            if responding {
                waiting = request
                return
            }
            deadline?.cancel()
            deadline = nil
            responding = true
            respond(to: request, context: context)
        }
    }

    func read(context: ChannelHandlerContext) {
        if responding || !context.channel.isWritable {
            readPending = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        resumeReading(context)
        context.fireChannelWritabilityChanged()
    }

    private func resumeReading(_ context: ChannelHandlerContext) {
        guard readPending, !responding, context.channel.isWritable else { return }
        readPending = false
        context.read()
    }

    /// The response is in the socket: the next request, or reading again.
    private func responded(_ context: ChannelHandlerContext) {
        responding = false
        guard let next = waiting else {
            resumeReading(context)
            return
        }
        waiting = nil
        deadline?.cancel()
        deadline = nil
        responding = true
        // On the next turn of the loop: a response written at once would otherwise answer the
        // next request from inside this one, as deep as the client pipelines.
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let (handler, context) = loopBound.value
            handler.respond(to: next, context: context)
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
        // The next request, and this response's way to the client, have the timeout.
        arm(context)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        done.whenComplete { result in
            let (handler, context) = loopBound.value
            if keepAlive, case .success = result {
                handler.responded(context)
            } else {
                context.close(promise: nil)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
