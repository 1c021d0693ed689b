/// Reading the kernel's binary records (netlink messages, taskstats replies, perf ring
/// records): fields at byte offsets, in the machine's byte order, not aligned.
extension UnsafeRawBufferPointer {
    /// The integer at `offset`, or 0 where the record is too short to hold it: a record the
    /// kernel (or anyone writing to the socket) cut short is read as zeros, never past its end.
    @inlinable
    public func integer<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        guard offset >= 0, offset <= count - MemoryLayout<T>.size else { return 0 }
        return loadUnaligned(fromByteOffset: offset, as: T.self)
    }
}
