#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// Out of descriptors (EMFILE, ENFILE) or memory, accept fails at once while the connection
/// waits in the listen queue, and the listening socket stays readable: an event loop that
/// simply tries again spins, a whole CPU, serving nothing. This handler stops watching the
/// socket for a second after such a failure (autoRead off takes it out of epoll), then tries
/// again: one accept a second while the descriptors last out.
///
/// NIO's AcceptBackoffHandler delays the next read() instead, which does not help here: the
/// failed accept leaves NIO's read pending, so the socket stays in epoll and NIO accepts again
/// at every wakeup (measured: 20,000 failed accept4 calls a second, 100% of a CPU).
final class AcceptBackoff: ChannelInboundHandler {
    typealias InboundIn = Channel
    typealias InboundOut = Channel

    private let pause: TimeAmount
    private var resume: Scheduled<Void>?

    init(pause: TimeAmount = .seconds(1)) { self.pause = pause }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let failure = error as? IOError, [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(failure.errnoCode) else {
            context.fireErrorCaught(error)
            return
        }
        guard resume == nil, let options = context.channel.syncOptions else { return }
        try? options.setOption(.autoRead, value: false)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        resume = context.eventLoop.scheduleTask(in: pause) {
            let (handler, context) = loopBound.value
            handler.resume = nil
            try? context.channel.syncOptions?.setOption(.autoRead, value: true)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        resume?.cancel()
        resume = nil
        context.fireChannelInactive()
    }
}
