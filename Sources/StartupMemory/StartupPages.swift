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
/// executable, the shared libraries, the locale) that are still the file's own: code, read-only
/// data, and data pages never written (madvise MADV_DONTNEED). The next access maps the same
/// bytes again from the page cache, so nothing is lost and only what is used comes back, as it
/// would after the kernel reclaimed them. Pages the process has written (relocated pointers,
/// variables) are private copies, not the file's pages, and stay. The kernel does the same with
/// its own start-up code after boot.
public enum StartupPages {
    /// Bytes given back, or nil when /proc/self could not be read (nothing is then changed).
    /// Call it while the process has one thread: a page another thread wrote between the reading
    /// of the page map and the madvise would lose the write.
    @discardableResult
    public static func giveBack() -> Int? {
        let pageSize = UInt(sysconf(Int32(_SC_PAGESIZE)))
        guard pageSize > 0,
              let maps = readFile("/proc/self/maps").map({ String(decoding: $0, as: UTF8.self) })
        else { return nil }
        let pageMap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC)
        guard pageMap >= 0 else { return nil }
        defer { close(pageMap) }

        // Decide everything first: once the first range is dropped, any code that runs maps its
        // pages again.
        var drop: [Range<UInt>] = []
        for mapping in Mapping.parse(maps) where mapping.isPrivate && mapping.path.hasPrefix("/") {
            guard let entries = pageMapEntries(pageMap, mapping.start..<mapping.end, pageSize: pageSize) else { return nil }
            drop += unchangedFileRuns(entries, from: mapping.start, pageSize: pageSize)
        }
        var bytes = 0
        for range in drop where madvise(UnsafeMutableRawPointer(bitPattern: range.lowerBound),
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
