import CLinux

/// Gives the heap's freed pages back to the kernel after a burst.
///
/// A shell that exits leaves its thousands of children to init (an orphan event each); thousands
/// of processes killed at once are as many exits, each classified. What swtop builds for them is
/// freed a moment later, but the heap's pages stay resident while any block in use sits above
/// them: after 5,000 exits, about 3 MB of a screen that then shows a few processes.
///
/// `giveBackIfGrown()` looks at the heap's free bytes (mallinfo2, a walk over its bins: a few
/// microseconds) and, when they grew by more than `threshold` since the last give-back, returns
/// the pages that hold only freed blocks (malloc_trim). Free bytes that stay, in pieces smaller
/// than a page, do not call it again and again.
public struct FreeHeap {
    /// Free bytes in the heap that are worth a give-back.
    public static let threshold = 1 << 20
    private var freeAfterGiveBack: Int

    public init() {
        freeAfterGiveBack = Self.freeBytes()
    }

    /// Gives back the free pages when the free bytes grew by more than `threshold`; whether it
    /// did.
    @discardableResult
    public mutating func giveBackIfGrown() -> Bool {
        guard Self.freeBytes() > freeAfterGiveBack + Self.threshold else { return false }
        _ = malloc_trim(0)
        freeAfterGiveBack = Self.freeBytes()
        return true
    }

    /// Bytes in the C heap's free blocks, in every arena.
    public static func freeBytes() -> Int {
        Int(mallinfo2().fordblks)
    }
}
