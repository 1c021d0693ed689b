import NIOCore

/// At most `limit` connections open at once: while that many are open, the server stops
/// accepting (the kernel's listen queue holds the next ones, up to its backlog), and it accepts
/// again when one closes. Each connection holds a response's memory and a descriptor, so this
/// bounds both, whatever clients do.
///
/// On the server channel, ahead of NIO's accept handler. NIO accepts a few connections per
/// read, so one beyond the limit can arrive before reading stops: it is closed at once.
final class ConnectionLimit: ChannelDuplexHandler {
    typealias InboundIn = Channel
    typealias InboundOut = Channel
    typealias OutboundIn = Never

    private let limit: Int
    private var open = 0
    private var readPending = false

    init(limit: Int) { self.limit = limit }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let connection = unwrapInboundIn(data)
        guard open < limit else {
            connection.close(promise: nil)
            return
        }
        open += 1
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        connection.closeFuture.hop(to: context.eventLoop).whenComplete { _ in
            let (handler, context) = loopBound.value
            handler.open -= 1
            if handler.readPending {
                handler.readPending = false
                context.read()
            }
        }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        if open >= limit {
            readPending = true
        } else {
            context.read()
        }
    }
}
