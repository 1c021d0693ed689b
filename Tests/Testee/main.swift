// A child for the process-control tests: it behaves in one exactly known way toward signals.
//
//   swtop-testee ignore-term              ignores SIGTERM, sleeps
//   swtop-testee handle-term              exits 0 at once on SIGTERM
//   swtop-testee count-hup FILE           writes the number of SIGHUPs received to FILE; exits on SIGTERM
//   swtop-testee threads N                runs N threads in all, all blocked in pause() (they never
//                                         run on their own)
//   swtop-testee lone-thread              starts a thread blocked in pause(), then its main thread
//                                         exits (the process lives on, its leader a zombie)
//
// Each writes "ready\n" to stdout once its handlers are in place.
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) var hups: Int32 = 0
nonisolated(unsafe) var terminated: Int32 = 0

func ready() {
    let text = "ready\n"
    _ = text.withCString { write(1, $0, strlen($0)) }
}

/// A thread body. Not a closure: closures in main.swift are main-actor code, and Swift traps when
/// one runs on another thread.
nonisolated func pauseForever(_: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    while true { pause() }
}

func writeCount(_ path: String, _ n: Int32) {
    let text = "\(n)\n"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { return }
    _ = text.withCString { write(fd, $0, strlen($0)) }
    close(fd)
}

// The test runner's threads block most signals and a spawned child inherits the mask: clear it,
// so that what this child does with a signal is only what the mode below says.
var none = sigset_t()
sigemptyset(&none)
sigprocmask(SIG_SETMASK, &none, nil)

let args = CommandLine.arguments
guard args.count >= 2 else { exit(64) }
switch args[1] {
case "ignore-term":
    signal(SIGTERM, SIG_IGN)
    ready()
    while true { sleep(1) }
case "handle-term":
    signal(SIGTERM) { _ in _exit(0) }
    ready()
    while true { sleep(1) }
case "count-hup":
    guard args.count >= 3 else { exit(64) }
    signal(SIGHUP) { _ in hups += 1 }
    signal(SIGTERM) { _ in terminated = 1 }
    writeCount(args[2], 0)
    ready()
    var written: Int32 = 0
    while terminated == 0 {
        usleep(10_000)
        if hups != written {
            written = hups
            writeCount(args[2], written)
        }
    }
    writeCount(args[2], hups)
    exit(0)
case "threads":
    guard args.count >= 3, let n = Int(args[2]), n >= 1 else { exit(64) }
    for _ in 1..<n {
        var thread = pthread_t()
        pthread_create(&thread, nil, pauseForever, nil)
    }
    ready()
    while true { pause() }
case "lone-thread":
    var thread = pthread_t()
    pthread_create(&thread, nil, pauseForever, nil)
    ready()
    pthread_exit(nil)
default:
    exit(64)
}
