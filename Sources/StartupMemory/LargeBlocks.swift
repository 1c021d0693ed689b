import CLinux

/// Where the C heap puts large blocks.
///
/// The screen builds arrays of every process at each refresh (entries, rows, the listing: 100 to
/// 250 KB each at 5,000 processes) and frees the previous refresh's. glibc maps a block of at
/// least 128 KB on its own, but raises that threshold to the size of each such block freed, so
/// after the first refresh these arrays come from the heap, where a freed one leaves a hole that
/// stays resident and that the next, slightly larger array does not fit: the heap kept about 1 MB
/// it did not use (docs/performance.md#the-screen).
public enum LargeBlocks {
    /// Blocks of 64 KB or more get a mapping of their own, returned to the kernel when freed;
    /// the threshold stays fixed. Costs a map and an unmap for each such block (a few a refresh).
    public static func mapEachOnItsOwn() {
        _ = mallopt(M_MMAP_THRESHOLD, 64 * 1024)
    }
}
