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
//   swtop-testee detail DIR FILE PORTFILE  changes to DIR, opens FILE, listens on a TCP port of
//                                         127.0.0.1 (any free one) and writes its number to
//                                         PORTFILE; then sleeps (for the detail view's tests)
//   swtop-testee vfork                    vforks a child that pauses: this process then waits in
//                                         disk sleep (D) until the child is killed
//
// Each but give-back writes "ready\n" to stdout once its handlers are in place.
#if canImport(Glibc)
import Glibc
#endif
@_spi(Testing) import StartupMemory
import CTestee

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
case "free-heap":
    // 20,000 blocks freed under one still in use, as after a burst: FreeHeap gives their pages
    // back, once.
    func anonymousKB() -> Int {
        var bytes = [UInt8](repeating: 0, count: 8192)
        let fd = open("/proc/self/status", O_RDONLY)
        let n = fd >= 0 ? read(fd, &bytes, bytes.count) : -1
        if fd >= 0 { close(fd) }
        let text = String(decoding: bytes.prefix(max(0, n)), as: UTF8.self)
        let line = text.split(separator: "\n").first { $0.hasPrefix("RssAnon:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }
    var heap = FreeHeap()
    var blocks: [UnsafeMutableRawPointer] = []
    blocks.reserveCapacity(20_000)
    for _ in 0..<20_000 {
        guard let block = malloc(256) else { exit(70) }
        memset(block, 0x5A, 256)
        blocks.append(block)
    }
    guard let pin = malloc(256) else { exit(70) }
    let early = heap.giveBackIfGrown()
    for block in blocks { free(block) }
    let before = anonymousKB()
    let given = heap.giveBackIfGrown()
    let after = anonymousKB()
    let again = heap.giveBackIfGrown()
    free(pin)
    let text = "before the frees \(early); after \(given); again \(again); at least 4 MB back \(before - after >= 4096)\n"
    _ = text.withCString { write(1, $0, strlen($0)) }
    exit(0)
case "detail":
    guard args.count >= 5, chdir(args[2]) == 0, open(args[3], O_RDONLY) >= 0 else { exit(66) }
    let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    var size = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { a in
            bind(listener, a, size) == 0 && listen(listener, 4) == 0 && getsockname(listener, a, &size) == 0
        }
    }
    guard listener >= 0, bound else { exit(71) }
    writeCount(args[4], Int32(UInt16(bigEndian: address.sin_port)))
    ready()
    while true { pause() }
case "vfork":
    ready()
    _ = swtop_testee_vfork_and_pause()
    while true { pause() }
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
