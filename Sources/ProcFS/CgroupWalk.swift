#if canImport(Glibc)
import Glibc
#endif

/// Every process's cgroup from one walk of the cgroup hierarchy: each cgroup's `cgroup.procs`
/// (a few hundred files) instead of each process's `/proc/PID/cgroup` (5,000 files at 5,000
/// processes). Each answer is what `ProcCgroup.parse` makes of the process's own file; where the
/// walk cannot be sure of that, it has no answer and the process's file is read:
///
/// - a process listed in two cgroups (moved during the walk; a v1 process whose threads are in
///   different cgroups), or in none (started after its cgroup was listed, or a zombie);
/// - a process in the root of the hierarchy the path is chosen from, where the choice would fall
///   to a v1 controller's path (a machine with no `name=systemd` hierarchy but v1 controllers);
/// - a cgroup whose name holds a newline (the kernel writes the name raw, so the file would not
///   be one line).
///
/// The walk is not used at all (nil) where its paths could differ from the files': a recorded
/// tree, a /proc of another pid namespace, a hierarchy mounted from below its root (a cgroup
/// namespace's view), a threaded v2 cgroup (`cgroup.procs` fails there, and its processes are
/// listed by the thread root), and unless swtop's own process comes out the same both ways.
public final class CgroupWalk: Sendable {
    /// Per pid: an index into `cgroups`, or -1: read the process's file.
    private let byPID: [Int32: Int32]
    /// nil: the root of a hierarchy whose answer the walk cannot give.
    private let cgroups: [ProcCgroup?]

    init(byPID: [Int32: Int32], cgroups: [ProcCgroup?]) {
        self.byPID = byPID
        self.cgroups = cgroups
    }

    /// The process's cgroup as its `cgroup` file would give it; nil: read the file.
    public func cgroup(of pid: Int32) -> ProcCgroup? {
        guard let index = byPID[pid], index >= 0 else { return nil }
        return cgroups[Int(index)]
    }

    /// How many processes the walk can answer for (for the tests).
    public var answered: Int { byPID.values.count { $0 >= 0 && cgroups[Int($0)] != nil } }

    /// One hierarchy's cgroups: their paths (index 0 the root, `/`) and the cgroup of each pid
    /// listed (-1: listed twice, or under a name with a newline).
    struct Listing {
        var paths: [[UInt8]] = []
        var byPID: [Int32: Int32] = [:]
    }

    /// The cgroup a path names, made by the parser from the line a file would hold, so it is
    /// exactly the parser's.
    static func cgroup(path: [UInt8]) -> ProcCgroup? {
        ProcCgroup.parse(Array("0::".utf8) + path)
    }
}

extension ProcReader {
    /// Walks the hierarchy `ProcCgroup.parse` takes the path from (on a hybrid machine
    /// `name=systemd`, with the v2 one for processes at its root; on pure v2 the v2 one). nil
    /// where the walk cannot stand in for the files (see CgroupWalk).
    public func walkCgroups() -> CgroupWalk? {
        // The pids of cgroup.procs are of swtop's pid namespace: /proc must be too.
        guard isOwnPIDNamespace else { return nil }
        let selfPID = getpid()
        guard case .success(let own) = withFile("self/cgroup", { Array($0) }),
            case .success(let mounts) = withFile("self/mountinfo", { Array($0) })
        else { return nil }
        // Which hierarchies every process's file lists (the same for all: they are the kernel's).
        var hasSystemd = false
        var hasUnified = false
        var hasController = false
        for line in own.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: ":"), maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            if fields[1].elementsEqual("name=systemd".utf8) {
                hasSystemd = true
            } else if fields[1].isEmpty, fields[0].elementsEqual("0".utf8) {
                hasUnified = true
            } else {
                hasController = true
            }
        }
        let (systemdMount, unifiedMount) = Self.cgroupMounts(mounts)
        let primary: CgroupWalk.Listing
        var secondary: CgroupWalk.Listing?
        if hasSystemd {
            guard let systemdMount, let listing = listCgroups(systemdMount) else { return nil }
            primary = listing
            if hasUnified, let unifiedMount { secondary = listCgroups(unifiedMount) }
        } else if hasUnified {
            guard let unifiedMount, let listing = listCgroups(unifiedMount) else { return nil }
            primary = listing
        } else {
            return nil
        }
        // A process at the primary hierarchy's root: the parser then takes the v2 path when it
        // is not the root either, else the root `/`, except without name=systemd, where a v1
        // controller's path would come first.
        let rootAnswers = hasSystemd ? (!hasUnified || secondary != nil) : !hasController
        var cgroups = primary.paths.map { CgroupWalk.cgroup(path: $0) }
        if !rootAnswers { cgroups[0] = nil }
        let offset = Int32(cgroups.count)
        if let secondary { cgroups += secondary.paths.map { CgroupWalk.cgroup(path: $0) } }
        var byPID: [Int32: Int32] = [:]
        byPID.reserveCapacity(primary.byPID.count)
        for (pid, index) in primary.byPID {
            guard index == 0, let secondary else {
                byPID[pid] = index
                continue
            }
            let other = secondary.byPID[pid] ?? -1
            byPID[pid] = other < 0 ? -1 : other == 0 ? 0 : offset + other
        }
        let walk = CgroupWalk(byPID: byPID, cgroups: cgroups)
        // swtop's own process is the check that the paths are the files' (mount, namespaces).
        guard let mine = walk.cgroup(of: selfPID), mine == cgroup(selfPID) else { return nil }
        return walk
    }

    /// The mount points of the name=systemd and the v2 hierarchies, each only when mounted from
    /// its root, from /proc/self/mountinfo: `id parent dev root mountpoint options... - type
    /// source superoptions`.
    static func cgroupMounts(_ text: [UInt8]) -> (systemd: String?, unified: String?) {
        var systemd: String?
        var unified: String?
        for line in text.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: " "))
            guard let dash = fields.firstIndex(where: { $0.elementsEqual("-".utf8) }), dash >= 6, dash + 3 < fields.count
            else { continue }
            // An escaped mount point (\040 for a space) is left alone: there is no need for it.
            guard fields[3].elementsEqual("/".utf8), !fields[4].contains(UInt8(ascii: "\\")) else { continue }
            let type = fields[dash + 1]
            let point = String(decoding: fields[4], as: UTF8.self)
            if type.elementsEqual("cgroup2".utf8) {
                if unified == nil { unified = point }
            } else if type.elementsEqual("cgroup".utf8),
                fields[dash + 3].split(separator: UInt8(ascii: ",")).contains(where: { $0.elementsEqual("name=systemd".utf8) })
            {
                if systemd == nil { systemd = point }
            }
        }
        return (systemd, unified)
    }

    /// Every cgroup of the hierarchy mounted at `mount` and the pids each lists; nil when one
    /// cannot be read (a cgroup removed meanwhile is skipped).
    func listCgroups(_ mount: String) -> CgroupWalk.Listing? {
        let fd = SystemCalls.openDirectory(mount)
        guard fd >= 0 else { return nil }
        var listing = CgroupWalk.Listing()
        guard visit(fd, path: [UInt8(ascii: "/")], odd: false, depth: 0, into: &listing) else { return nil }
        return listing
    }

    /// Lists the cgroup open at `fd` (closing it) and the cgroups below it; false: give up.
    private func visit(_ fd: Int32, path: [UInt8], odd: Bool, depth: Int, into listing: inout CgroupWalk.Listing) -> Bool {
        defer { SystemCalls.close(fd) }
        // A hierarchy this deep is not worth the walk (and the recursion stays bounded).
        guard depth < 64 else { return false }
        let index = Int32(listing.paths.count)
        listing.paths.append(path)
        // Read to the end: the file comes a page at a time, and a number cut at a page's end
        // would be another pid.
        let read = withFile(at: fd, cPath: "cgroup.procs", toEnd: true) { bytes in
            var pid: Int32 = 0
            var digits = 0
            for byte in bytes {
                if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 9 {
                    pid = pid * 10 + Int32(byte - UInt8(ascii: "0"))
                    digits += 1
                    continue
                }
                // pid 0: a process of another pid namespace. Only whole lines count.
                if byte == UInt8(ascii: "\n"), digits > 0, pid > 0 { Self.note(pid, index, odd, &listing) }
                pid = 0
                digits = 0
            }
        }
        switch read {
        case .success: break
        // Removed while walked: its processes went elsewhere, and are read from their files
        // unless listed there.
        case .failure(.gone): return true
        // EOPNOTSUPP: a threaded v2 cgroup, whose processes its thread root lists.
        case .failure: return false
        }
        guard let children = SystemCalls.subdirectories(of: fd, buffer: listingBuffer) else { return false }
        for name in children {
            let child = name.withUnsafeBufferPointer { bytes -> Int32 in
                var cName = Array(bytes)
                cName.append(0)
                return cName.withUnsafeBufferPointer { c in
                    c.withMemoryRebound(to: CChar.self) { SystemCalls.openDirectory(at: fd, $0.baseAddress!) }
                }
            }
            if child < 0 {
                if ReadFailure(errno: SystemCalls.errno) == .gone { continue }
                return false
            }
            let childPath = path.count == 1 ? path + name : path + [UInt8(ascii: "/")] + name
            let childOdd = odd || name.contains(UInt8(ascii: "\n"))
            guard visit(child, path: childPath, odd: childOdd, depth: depth + 1, into: &listing) else { return false }
        }
        return true
    }

    private static func note(_ pid: Int32, _ index: Int32, _ odd: Bool, _ listing: inout CgroupWalk.Listing) {
        if let known = listing.byPID[pid], known != index {
            listing.byPID[pid] = -1
        } else {
            listing.byPID[pid] = odd ? -1 : index
        }
    }
}
