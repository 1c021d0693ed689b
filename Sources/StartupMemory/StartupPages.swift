#if canImport(Glibc)
import Glibc
#endif

/// Gives back the memory that only start-up used.
///
/// Start-up runs code the screen never runs again: the loader relocating, the Swift runtime
/// registering the executable's types, argument parsing (swift-argument-parser and the generic
/// standard-library code it calls) and the protocol-conformance lookups it makes, ncurses
/// reading the terminfo entry. For every page of code or read-only data it touches, the kernel
/// also maps the pages around it that are already in the page cache (fault-around, 64 KB), and
/// they stay mapped, counted in the process's RSS, for as long as it runs.
///
/// `giveBack()` unmaps from this process the pages of its privately mapped files (the
/// executable, the shared libraries, the locale) that are mapped read-only and are still the
/// file's own: code, read-only data, relocated data made read-only again (RELRO) where it was not
/// written (madvise MADV_DONTNEED). The next access maps the same bytes again from the page
/// cache, so nothing is lost and only what is used comes back, as it would after the kernel
/// reclaimed them. The kernel does the same with its own start-up code after boot.
///
/// Writable mappings are left alone, so that it is safe whatever other threads do. Dropping a
/// page of a private writable mapping also drops a write another thread made to it after the
/// page map was read, and no call checks and drops in one step; counting the threads first would
/// still race with a thread being started. A page of a mapping that is not writable cannot be
/// written: it is the file's own both when the page map is read and when it is dropped, or a
/// private copy (written before the mapping was made read-only) that is not dropped. The cost:
/// the clean file pages of writable mappings (data not yet written) stay, but the screen reads
/// them again anyway, and its peak RSS did not change (docs/performance.md). Not covered: a
/// thread that changes the mappings themselves in between (makes a read-only mapping writable
/// and writes to it, or maps another file over it), as a loader relocating code in place does;
/// no code in swtop does that.
public enum StartupPages {
    /// Bytes given back, or nil when /proc/self could not be read (nothing is then changed).
    @discardableResult
    public static func giveBack() -> Int? {
        rangesToGiveBack().map { giveBack($0) }
    }

    /// The runs of pages `giveBack()` drops: the pages of private read-only file mappings that
    /// are in memory and still the file's own. Nil when /proc/self could not be read.
    ///
    /// Decided all at once before any is dropped: once the first range is dropped, any code that
    /// runs maps its pages again.
    @_spi(Testing) public static func rangesToGiveBack() -> [Range<UInt>]? {
        let pageSize = UInt(sysconf(Int32(_SC_PAGESIZE)))
        guard pageSize > 0,
              let maps = readFile("/proc/self/maps").map({ String(decoding: $0, as: UTF8.self) })
        else { return nil }
        let pageMap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC)
        guard pageMap >= 0 else { return nil }
        defer { close(pageMap) }

        var drop: [Range<UInt>] = []
        for mapping in Mapping.parse(maps) where mapping.mayGiveBack {
            guard let entries = pageMapEntries(pageMap, mapping.start..<mapping.end, pageSize: pageSize) else { return nil }
            drop += unchangedFileRuns(entries, from: mapping.start, pageSize: pageSize)
        }
        return drop
    }

    /// Drops the pages of `ranges` (from `rangesToGiveBack()`); the bytes dropped.
    @_spi(Testing) public static func giveBack(_ ranges: [Range<UInt>]) -> Int {
        var bytes = 0
        for range in ranges where madvise(UnsafeMutableRawPointer(bitPattern: range.lowerBound),
                                          Int(range.upperBound - range.lowerBound), MADV_DONTNEED) == 0 {
            bytes += Int(range.upperBound - range.lowerBound)
        }
        return bytes
    }

    /// The address ranges of the runs of consecutive unchanged file pages, for the page-map
    /// entries of the pages from `start` on.
    public static func unchangedFileRuns(_ entries: [PageMapEntry], from start: UInt, pageSize: UInt) -> [Range<UInt>] {
        var runs: [Range<UInt>] = []
        var runStart: UInt?
        for (i, entry) in entries.enumerated() {
            let address = start + UInt(i) * pageSize
            if entry.isUnchangedFilePage {
                if runStart == nil { runStart = address }
            } else if let first = runStart {
                runs.append(first..<address)
                runStart = nil
            }
        }
        if let first = runStart { runs.append(first..<start + UInt(entries.count) * pageSize) }
        return runs
    }

    static func pageMapEntries(_ fd: Int32, _ range: Range<UInt>, pageSize: UInt) -> [PageMapEntry]? {
        let count = Int((range.upperBound - range.lowerBound) / pageSize)
        var bits = [UInt64](repeating: 0, count: count)
        let wanted = count * 8
        let got = bits.withUnsafeMutableBytes { buffer in
            pread(fd, buffer.baseAddress, wanted, off_t(range.lowerBound / pageSize * 8))
        }
        guard got == wanted else { return nil }
        return bits.map { PageMapEntry(bits: UInt64(littleEndian: $0)) }
    }

    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { return bytes }
            bytes += chunk[..<n]
        }
    }
}
