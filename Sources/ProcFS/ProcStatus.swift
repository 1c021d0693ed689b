/// `/proc/PID/status`: the lines swtop uses. Each is optional, since a line can be missing on
/// an older kernel or the file can be cut short.
public struct ProcStatus: Sendable, Equatable {
    /// Real, effective, saved and filesystem uid.
    public var uids: [UInt32]
    public var gids: [UInt32]
    public var tgid: Int32?
    public var threads: Int32?
    /// kB.
    public var vmSwap: UInt64?
    /// kB: the same counters as `statm`'s size and resident (absent without a memory map: a
    /// kernel thread, a zombie).
    public var vmSizeKB: UInt64?
    public var vmRSSKB: UInt64?

    /// The last `NSpid` value: the pid inside the process's own PID namespace.
    public var nsPID: Int32?
    /// How many `NSpid` values there are: 1 in the proc mount's own namespace, more inside
    /// nested ones (a container).
    public var nsLevels: Int = 0

    public var realUID: UInt32? { uids.first }

    /// PID 1 of a PID namespace below the one /proc was mounted in: a container's main process.
    public var isNamespaceInit: Bool { nsLevels > 1 && nsPID == 1 }

    /// Whether it has what `statm` would say, so that `statm` need not be read.
    public var hasMemory: Bool { vmSizeKB != nil && vmRSSKB != nil }

    public init(uids: [UInt32] = [], gids: [UInt32] = [], tgid: Int32? = nil, threads: Int32? = nil, vmSwap: UInt64? = nil) {
        self.uids = uids
        self.gids = gids
        self.tgid = tgid
        self.threads = threads
        self.vmSwap = vmSwap
    }

    public static func parse(_ bytes: [UInt8]) -> ProcStatus? {
        bytes.withBytes { parse($0) }
    }

    /// nil when no line could be read at all.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ProcStatus? {
        var result = ProcStatus()
        var any = false
        forEachKeyedLine(bytes) { key, values in
            if bytesEqual(bytes, key, "Uid") {
                result.uids = values.ids()
                any = any || !result.uids.isEmpty
            } else if bytesEqual(bytes, key, "Gid") {
                result.gids = values.ids()
            } else if bytesEqual(bytes, key, "Tgid") {
                result.tgid = values.nextInt64().flatMap { Int32(exactly: $0) }
                any = true
            } else if bytesEqual(bytes, key, "Threads") {
                result.threads = values.nextInt64().flatMap { Int32(exactly: $0) }
                any = true
            } else if bytesEqual(bytes, key, "NSpid") {
                var levels = 0
                var last: Int64?
                while let v = values.nextInt64() {
                    levels += 1
                    last = v
                }
                result.nsLevels = levels
                result.nsPID = last.flatMap { Int32(exactly: $0) }
            } else if bytesEqual(bytes, key, "VmSwap") {
                result.vmSwap = values.nextUInt64()
            } else if bytesEqual(bytes, key, "VmSize") {
                result.vmSizeKB = values.nextUInt64()
            } else if bytesEqual(bytes, key, "VmRSS") {
                result.vmRSSKB = values.nextUInt64()
            }
            // The kernel writes the ids, the memory lines, then Threads and some 30 lines of
            // signals, capabilities and CPU masks that nothing here reads.
            return !(result.threads != nil && result.vmSwap != nil && !result.uids.isEmpty && !result.gids.isEmpty && result.tgid != nil)
        }
        return any ? result : nil
    }
}
