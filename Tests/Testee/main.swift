// A child for the process-control tests: it behaves in one exactly known way toward signals.
//
//   swtop-testee ignore-term              ignores SIGTERM, sleeps
//   swtop-testee handle-term              exits 0 at once on SIGTERM
//   swtop-testee count-hup FILE           writes the number of SIGHUPs received to FILE; exits on SIGTERM
//   swtop-testee threads N                runs N threads in all, all blocked in pause() (they never
//                                         run on their own)
//   swtop-testee lone-thread              starts a thread blocked in pause(), then its main thread
//                                         exits (the process lives on, its leader a zombie)
//   swtop-testee give-back FILE           maps FILE (two pages) privately twice, read-only and
//                                         writable, and reads both pages of each; decides what
//                                         StartupPages gives back, then writes the writable
//                                         mapping's second page (as another thread could), then
//                                         gives back; prints the Rss and Anonymous in kB of each
//                                         mapping before and after, whether the decided ranges
//                                         cover each mapping, whether bytes were given back, and
//                                         the first byte of each page afterwards; then exits
//
// Each but give-back writes "ready\n" to stdout once its handlers are in place.
#if canImport(Glibc)
import Glibc
#endif
@_spi(Testing) import StartupMemory

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
case "give-back":
    guard args.count >= 3 else { exit(64) }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let fd = open(args[2], O_RDONLY)
    guard fd >= 0,
          let readOnly = mmap(nil, 2 * page, PROT_READ, MAP_PRIVATE, fd, 0), readOnly != MAP_FAILED,
          let writable = mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), writable != MAP_FAILED
    else { exit(66) }
    let ro = readOnly.assumingMemoryBound(to: UInt8.self)
    let rw = writable.assumingMemoryBound(to: UInt8.self)
    // Reading maps each page: all four are the file's own pages now.
    var sum = Int(ro[0]) + Int(ro[page]) + Int(rw[0]) + Int(rw[page])
    let before = (usage(of: readOnly), usage(of: writable))
    let ranges = StartupPages.rangesToGiveBack() ?? []
    // The write a thread could make between the reading of the page map and the madvise.
    rw[page] = 0x21
    let given = StartupPages.giveBack(ranges)
    let after = (usage(of: readOnly), usage(of: writable))
    func covers(_ base: UnsafeMutableRawPointer) -> Bool {
        let range = UInt(bitPattern: base)..<UInt(bitPattern: base) + UInt(2 * page)
        return ranges.contains { $0.overlaps(range) }
    }
    sum += Int(ro[0]) + Int(ro[page]) + Int(rw[0]) + Int(rw[page])
    let readOnlyText = "read-only \(before.0.rss) \(before.0.anonymous) -> \(after.0.rss) \(after.0.anonymous) covered \(covers(readOnly))"
    let writableText = "writable \(before.1.rss) \(before.1.anonymous) -> \(after.1.rss) \(after.1.anonymous) covered \(covers(writable))"
    let text = "\(readOnlyText); \(writableText); given \(given > 0); bytes \(ro[0]) \(ro[page]) \(rw[0]) \(rw[page]) sum \(sum)\n"
    _ = text.withCString { write(1, $0, strlen($0)) }
    exit(0)
default:
    exit(64)
}

/// Rss and Anonymous in kB (Anonymous: pages the process wrote, its private copies) of the
/// mapping that starts at `base`, from /proc/self/smaps.
func usage(of base: UnsafeMutableRawPointer) -> (rss: Int, anonymous: Int) {
    var text: [UInt8] = []
    let fd = open("/proc/self/smaps", O_RDONLY)
    guard fd >= 0 else { return (-1, -1) }
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        text += chunk[..<n]
    }
    close(fd)
    let start = String(UInt(bitPattern: base), radix: 16) + "-"
    var inMapping = false
    var rss = -1, anonymous = -1
    for line in String(decoding: text, as: UTF8.self).split(separator: "\n") {
        // A mapping's first line starts with its range, "start-end"; the lines after it are
        // "Name: value".
        let head = line.prefix { $0 != " " }
        if head.contains("-"), head.allSatisfy({ $0.isHexDigit || $0 == "-" }) {
            inMapping = line.hasPrefix(start)
            continue
        }
        guard inMapping else { continue }
        let fields = line.split(separator: " ")
        if fields.first == "Rss:", fields.count > 1 { rss = Int(fields[1]) ?? -1 }
        if fields.first == "Anonymous:", fields.count > 1 { anonymous = Int(fields[1]) ?? -1 }
    }
    return (rss, anonymous)
}
