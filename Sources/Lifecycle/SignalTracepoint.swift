#if canImport(Glibc)
import Glibc
#endif
import CLinux
import ProcFS

/// The kernel's `signal:signal_generate` tracepoint, read as perf reads it: one perf event and
/// ring buffer per CPU, filtered in the kernel to the signals that stop or kill, so a storm of
/// SIGCHLD or SIGWINCH costs nothing here. Root only. It touches neither the host's mounts nor
/// the global trace buffer other tools use (the tracepoint's id comes from a private mount of
/// tracefs, see `swtop_tracepoint_format`).
public final class SignalTracepoint {
    /// The signals recorded: the stop requests (HUP, INT, QUIT, TERM), KILL, and the others whose
    /// default action ends a process. Left out, as storms some programs make on purpose: CHLD,
    /// CONT, the job-control stops, URG, WINCH, ALRM, VTALRM, PROF, IO and the real-time signals.
    public static let filter = "sig <= 13 || sig == 15 || sig == 16 || sig == 24 || sig == 25 || sig == 30 || sig == 31"
    /// Pages of records per CPU (a power of two): 64 KiB, about 800 signals between two reads.
    static let dataPages = 16

    private struct Ring {
        var fd: Int32
        var base: UnsafeMutableRawPointer
    }

    private var rings: [Ring] = []
    /// An epoll instance over the rings' fds: one fd to poll that turns readable when any ring
    /// has a record.
    public let fd: Int32
    private let offsets: SignalOffsets
    private var scratch: [UInt8] = []
    /// Seconds from CLOCK_MONOTONIC (the records' clock) to the epoch. Measured anew at each
    /// drain only when the measurement was not interrupted and the clock was stepped: records
    /// of two drains (an exec and the signal its program sent) keep their order.
    private var clockOffset = Clock.now() - Clock.monotonic()
    /// Samples the kernel dropped because a ring was full.
    public private(set) var lost = 0

    /// Opens the tracepoint on every CPU, or says why it cannot be.
    public static func open() -> Result<SignalTracepoint, TracepointError> {
        guard geteuid() == 0 else { return .failure(.notRoot) }
        var text = [UInt8](repeating: 0, count: 8192)
        let n = text.withUnsafeMutableBytes { swtop_tracepoint_format("signal/signal_generate", $0.baseAddress, UInt($0.count)) }
        guard n > 0 else { return .failure(.noTracefs(Int32(clamping: -n))) }
        let format = TracepointFormat.parse(Substring(String(decoding: text[..<n], as: UTF8.self)))
        guard let format, let offsets = format.signalOffsets() else { return .failure(.unknownFormat) }
        let epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { return .failure(.perf(errno)) }
        let tracepoint = SignalTracepoint(fd: epoll, offsets: offsets)
        let cpus = Int(sysconf(Int32(_SC_NPROCESSORS_CONF)))
        for cpu in 0..<max(cpus, 1) {
            let fd = swtop_perf_tracepoint_open(format.id, Int32(cpu), filter)
            if fd == -ENODEV || fd == -EINVAL, cpu > 0 { continue }  // a CPU that is not there
            guard fd >= 0 else { return .failure(.perf(-fd)) }
            guard let base = swtop_perf_map(fd, UInt(dataPages)) else {
                let code = errno
                close(fd)
                return .failure(.perf(code))
            }
            tracepoint.rings.append(Ring(fd: fd, base: base))
            var event = epoll_event()
            event.events = EPOLLIN.rawValue
            event.data.fd = fd
            guard epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) == 0 else { return .failure(.perf(errno)) }
            let enabled = swtop_perf_enable(fd)
            guard enabled == 0 else { return .failure(.perf(-enabled)) }
        }
        return .success(tracepoint)
    }

    private func updateClockOffset() {
        let before = Clock.monotonic()
        let wall = Clock.now()
        let after = Clock.monotonic()
        guard after - before < 0.000_1 else { return }
        let measured = wall - (before + after) / 2
        if abs(measured - clockOffset) > 0.000_5 { clockOffset = measured }
    }

    private init(fd: Int32, offsets: SignalOffsets) {
        self.fd = fd
        self.offsets = offsets
    }

    deinit {
        close(fd)
        for ring in rings {
            swtop_perf_unmap(ring.base, UInt(Self.dataPages))
            close(ring.fd)
        }
    }

    /// Every signal recorded since the last call, oldest first, and the programs exec'd since,
    /// without blocking.
    public func drain() -> (samples: [SignalSample], execs: [ProgramName]) {
        // Takes the epoll instance's readiness, so a poll waits for the next record.
        var ready = [epoll_event](repeating: epoll_event(), count: max(rings.count, 1))
        _ = epoll_wait(fd, &ready, Int32(ready.count), 0)
        var samples: [SignalSample] = []
        var execs: [ProgramName] = []
        updateClockOffset()
        for ring in rings {
            let head = swtop_perf_head(ring.base)
            let tail = swtop_perf_tail(ring.base)
            let size = swtop_perf_data_size(ring.base)
            guard head > tail, size > 0, head - tail <= size else {
                if head != tail { swtop_perf_set_tail(ring.base, head) }
                continue
            }
            // The records between tail and head, copied out in order (they may wrap at the end).
            let count = Int(head - tail)
            let data = UnsafeRawPointer(ring.base) + Int(swtop_perf_data_offset(ring.base))
            let start = Int(tail % size)
            let first = min(count, Int(size) - start)
            if scratch.count < count { scratch = [UInt8](repeating: 0, count: Int(size)) }
            scratch.withUnsafeMutableBytes { out in
                guard let to = out.baseAddress else { return }
                to.copyMemory(from: data + start, byteCount: first)
                if count > first { (to + first).copyMemory(from: data, byteCount: count - first) }
            }
            swtop_perf_set_tail(ring.base, head)
            let parsed = scratch.withUnsafeBytes { PerfRecords.parse(UnsafeRawBufferPointer(rebasing: $0[0..<count]), offsets: offsets, clockOffset: clockOffset) }
            samples += parsed.samples
            execs += parsed.execs
            let (total, overflow) = lost.addingReportingOverflow(parsed.lost)
            lost = overflow ? Int.max : total
        }
        if rings.count > 1 { samples.sort { $0.time < $1.time } }
        return (samples, execs)
    }
}

/// Why the signal tracepoint could not be opened.
public enum TracepointError: Error, Sendable, Equatable, CustomStringConvertible {
    case notRoot
    /// tracefs could not be read nor mounted privately (errno).
    case noTracefs(Int32)
    case unknownFormat
    /// perf_event_open, its filter or its ring buffer failed (errno).
    case perf(Int32)

    public var description: String {
        switch self {
        case .notRoot: return "not root: who sent a signal needs the signal tracepoint (root)"
        case .noTracefs(let code): return "signal tracepoint: tracefs could not be mounted privately (" + errnoText(code) + ")"
        case .unknownFormat: return "signal tracepoint: the kernel's record format lacks sig, code or pid"
        case .perf(let code): return "signal tracepoint: perf_event_open: " + errnoText(code)
        }
    }
}
