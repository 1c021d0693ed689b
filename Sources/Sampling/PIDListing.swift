#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// The screen's list of processes, without listing all of /proc each refresh.
///
/// Listing /proc costs the kernel a lookup per process (a fifth of a refresh at 15,000
/// processes). The kernel gives pids out in rising order and says which it gave out last
/// (`/proc/loadavg`'s last field), so the processes that can be new since the last refresh are
/// those above the last pid it had given out then: /proc is listed from that pid up (a seek to
/// its position), and merged with the processes of the last refresh. Those that exited since are
/// found by reading them (LiveRefresh drops them). All of /proc is listed again when the pids
/// wrapped around (the last pid went down), every `fullListingEvery` refreshes as a safety net,
/// in the thread view, and whenever something does not hold: the positions of the listing do
/// not follow the pids, or /proc is not of this process's pid namespace (loadavg's pid would be
/// of another namespace).
final class PIDListing {
    static let fullListingEvery = 20

    private let reader: ProcReader
    /// Whether loadavg's pid and the listing are of the same pid namespace.
    private let sameNamespace: Bool
    private var pidOffset: Int64?
    /// The last pid given out when /proc was last listed.
    private var lastPID: Int32?
    /// The pids the last refresh showed, in order; nil when the next listing must be full.
    private var known: [Int32]?
    private var sinceFullListing = 0
    /// Whether the last listing was of all of /proc (for the tests).
    private(set) var lastWasFull = true

    init(reader: ProcReader) {
        self.reader = reader
        // /proc/self names this process by its pid in /proc's namespace.
        var link = [CChar](repeating: 0, count: 32)
        let n = readlink("\(reader.root)/self", &link, link.count - 1)
        let selfPID = n > 0 ? Int32(String(decoding: link[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)) : nil
        sameNamespace = selfPID == getpid()
    }

    /// The pids to read now, in order. `lastPIDNow` is loadavg's last pid, read before this.
    func pids(lastPIDNow: Int32?, threads: Bool) throws(ProcRootError) -> [Int32] {
        let previous = lastPID
        lastPID = lastPIDNow
        sinceFullListing += 1
        if !threads, sameNamespace, sinceFullListing < Self.fullListingEvery, let known, let pidOffset,
            let previous, let lastPIDNow, lastPIDNow >= previous, previous < Int32.max,
            let new = reader.pids(from: previous + 1, pidOffset: pidOffset)
        {
            lastWasFull = false
            return Self.merge(known, new.sorted())
        }
        lastWasFull = true
        sinceFullListing = 0
        let (pids, offset) = try reader.pidsAndPositions()
        pidOffset = offset
        return pids.sorted()
    }

    /// Notes the pids the refresh showed (in order), for the next listing; nil: list in full.
    func remember(_ pids: [Int32]?) {
        known = pids
    }

    /// Both sorted lists as one, each pid once.
    static func merge(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        var result: [Int32] = []
        result.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i] < b[j]) {
                result.append(a[i])
                i += 1
            } else if i == a.count || b[j] < a[i] {
                result.append(b[j])
                j += 1
            } else {
                result.append(a[i])
                i += 1
                j += 1
            }
        }
        return result
    }
}
