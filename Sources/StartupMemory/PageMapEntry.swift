/// One page's entry in /proc/PID/pagemap: 64 bits (the kernel's
/// Documentation/admin-guide/mm/pagemap.rst). Only the flags are read; the frame number is zero
/// for an unprivileged reader anyway.
public struct PageMapEntry: Equatable, Sendable {
    public var bits: UInt64

    public init(bits: UInt64) { self.bits = bits }

    /// Bit 63: the page is in memory and mapped here.
    public var isPresent: Bool { bits >> 63 & 1 == 1 }

    /// Bit 61: the page is a page of a file's cache (or shared anonymous memory). A page of a
    /// private file mapping loses it when the process writes to it: the write goes to a private
    /// copy, which is anonymous memory.
    public var isFilePage: Bool { bits >> 61 & 1 == 1 }

    /// In memory and still the file's own page: dropping it loses nothing, since the next access
    /// maps the same bytes again from the file.
    public var isUnchangedFilePage: Bool { isPresent && isFilePage }
}
