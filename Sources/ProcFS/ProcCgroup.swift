/// `/proc/PID/cgroup`: the cgroup a process is in, and what that path says about it: the systemd
/// unit it runs in and the container it belongs to.
///
/// Each line is `hierarchy-ID:controllers:path`. Pure v2 has one line, `0::/path`; a hybrid
/// (systemd's) or v1 machine has one line per v1 hierarchy too, among them `name=systemd`, whose
/// path is the one systemd keeps its units in (there the v2 line is often just `/`).
public struct ProcCgroup: Sendable, Hashable {
    /// The path of the hierarchy that says most (see `parse`), as written; invalid UTF-8 replaced.
    /// Escape before showing: a cgroup's name can hold any byte but `/` and NUL.
    public var path: String
    /// The systemd unit: `nginx.service`, `session-3.scope`, `docker-<id>.scope`; a user service
    /// under `user@1000.service` by its own name. nil outside units.
    public var unit: String?
    public var container: CgroupContainer?

    public init(path: String, unit: String? = nil, container: CgroupContainer? = nil) {
        self.path = path
        self.unit = unit
        self.container = container
    }

    public static func parse(_ bytes: [UInt8]) -> ProcCgroup? {
        bytes.withBytes { parse($0) }
    }

    /// nil when no line has the `ID:controllers:path` shape. The path chosen is, in order: the
    /// `name=systemd` hierarchy's, the v2 (`0::`) one's, then the first v1 controller's, each
    /// only when it is not the root `/` (the controller's only without a `name=systemd` line);
    /// else the root. So a hybrid machine gives the path of its units, a pure v2 one its only
    /// path, and a v1 host without systemd (Docker's cgroupfs driver: `/docker/<id>`) the
    /// controllers' path.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ProcCgroup? {
        var systemd: Range<Int>?
        var unified: Range<Int>?
        var controller: Range<Int>?
        var any: Range<Int>?
        var scanner = ByteScanner(bytes)
        while !scanner.isAtEnd {
            let line = scanner.restOfLine()
            guard let first = bytes[line].firstIndex(of: UInt8(ascii: ":")),
                let second = bytes[(first + 1)..<line.upperBound].firstIndex(of: UInt8(ascii: ":"))
            else { continue }
            let controllers = (first + 1)..<second
            let path = (second + 1)..<line.upperBound
            if any == nil { any = path }
            let isRoot = path.count == 1 && bytes[path.lowerBound] == UInt8(ascii: "/")
            if bytesEqual(bytes, controllers, "name=systemd") {
                if !isRoot || systemd == nil { systemd = path }
            } else if controllers.isEmpty, bytesEqual(bytes, line.lowerBound..<first, "0") {
                unified = path
            } else if !isRoot, controller == nil {
                controller = path
            }
        }
        func specific(_ r: Range<Int>?) -> Range<Int>? {
            guard let r, !(r.count == 1 && bytes[r.lowerBound] == UInt8(ascii: "/")) else { return nil }
            return r
        }
        // A v1 controller's path only where systemd has no hierarchy (a v1 host without
        // systemd); elsewhere it is some other manager's grouping, not the process's service.
        let fallback = systemd == nil ? controller : nil
        guard let chosen = specific(systemd) ?? specific(unified) ?? fallback ?? systemd ?? unified ?? any else { return nil }
        let path = String(decoding: UnsafeBufferPointer(rebasing: bytes[chosen]), as: UTF8.self)
        let (unit, container) = classify(path: path)
        return ProcCgroup(path: path, unit: unit, container: container)
    }

    /// The unit and container a cgroup path names. The unit is the last component that is a
    /// `.service` or `.scope` (so a user service under `user@1000.service` is named by itself),
    /// but never one inside a container's own cgroup (a container running systemd has its own
    /// units below it).
    public static func classify(path: String) -> (unit: String?, container: CgroupContainer?) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var unit: String?
        var container: CgroupContainer?
        var pod: String?
        var previous: Substring = ""
        for part in parts {
            if container != nil { break }
            if let uid = podUID(part) { pod = uid }
            if part.hasSuffix(".service") || part.hasSuffix(".scope") { unit = String(part) }
            container = CgroupContainer(component: part, after: previous, pod: pod)
            previous = part
        }
        return (unit, container)
    }

    /// The pod uid of a Kubernetes pod's cgroup: `kubepods-burstable-pod<uid>.slice` (systemd
    /// driver, whose uid has `_` for `-`) or `pod<uid>` (cgroupfs driver).
    static func podUID(_ part: Substring) -> String? {
        var name = part
        if name.hasSuffix(".slice") {
            guard name.hasPrefix("kubepods") else { return nil }
            // kubepods-burstable-pod<uid>.slice: the uid (its `-` written `_`) is the last part.
            guard let last = name.dropLast(".slice".count).split(separator: "-").last, last.hasPrefix("pod") else { return nil }
            name = last.dropFirst(3)
        } else {
            guard name.hasPrefix("pod") else { return nil }
            name = name.dropFirst(3)
        }
        let uid = String(name.map { $0 == "_" ? "-" : $0 })
        // A uid is 32 hex digits in 5 groups.
        guard uid.utf8.count == 36, uid.utf8.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: "-") }) else { return nil }
        return uid
    }
}

/// A container a process runs in, as its cgroup names it.
public struct CgroupContainer: Sendable, Hashable {
    /// "docker", "podman", "containerd", "cri-o", "kubernetes" (a pod's container whose runtime
    /// the path does not say), "lxc", "systemd-nspawn".
    public var runtime: String
    /// The full id (64 hex digits), or the name for LXC and systemd-nspawn, whose cgroups carry it.
    public var id: String
    /// The Kubernetes pod's uid.
    public var pod: String?
    /// Its name where the runtime keeps one on disk (Docker's config.v2.json); set by the sampler.
    public var name: String?

    public init(runtime: String, id: String, pod: String? = nil, name: String? = nil) {
        self.runtime = runtime
        self.id = id
        self.pod = pod
        self.name = name
    }

    /// The id as `docker ps` shows it: its first 12 characters.
    public var shortID: String { String(id.prefix(12)) }

    /// The container a path component names; `previous` is the component before it.
    init?(component part: Substring, after previous: Substring, pod: String?) {
        func hexID(_ text: Substring) -> String? {
            // Runtimes use 64 hex digits; a shorter run of 12 or more is still an id (a test's).
            guard text.utf8.count >= 12, text.utf8.count <= 64, text.utf8.allSatisfy(isHexDigit) else { return nil }
            return String(text)
        }
        func scoped(_ prefix: String) -> String? {
            guard part.hasPrefix(prefix), part.hasSuffix(".scope") else { return nil }
            return hexID(part.dropFirst(prefix.count).dropLast(".scope".count))
        }
        if let id = scoped("docker-") {
            self.init(runtime: "docker", id: id, pod: pod)
        } else if let id = scoped("libpod-") {
            self.init(runtime: "podman", id: id, pod: pod)
        } else if let id = scoped("cri-containerd-") {
            self.init(runtime: "containerd", id: id, pod: pod)
        } else if let id = scoped("crio-") {
            self.init(runtime: "cri-o", id: id, pod: pod)
        } else if previous == "docker", let id = hexID(part) {
            // Docker's cgroupfs driver: /docker/<id>.
            self.init(runtime: "docker", id: id, pod: pod)
        } else if part.hasPrefix("libpod-"), previous == "libpod_parent", let id = hexID(part.dropFirst("libpod-".count)) {
            self.init(runtime: "podman", id: id, pod: pod)
        } else if pod != nil, previous.hasPrefix("pod"), let id = hexID(part) {
            // The cgroupfs driver under kubepods: /kubepods/<qos>/pod<uid>/<id>.
            self.init(runtime: "kubernetes", id: id, pod: pod)
        } else if part.hasPrefix("lxc.payload."), part.utf8.count > "lxc.payload.".utf8.count {
            self.init(runtime: "lxc", id: String(part.dropFirst("lxc.payload.".count)))
        } else if previous == "lxc", !part.isEmpty {
            // LXC before 4.0: /lxc/NAME.
            self.init(runtime: "lxc", id: String(part))
        } else if part.hasPrefix("machine-"), part.hasSuffix(".scope"), part.utf8.count > "machine-.scope".utf8.count {
            self.init(runtime: "systemd-nspawn", id: Self.unescapeUnit(part.dropFirst("machine-".count).dropLast(".scope".count)))
        } else {
            return nil
        }
    }

    /// systemd writes a machine's name into its unit with `\xNN` for `-` and other bytes.
    static func unescapeUnit(_ text: Substring) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\"), i + 3 < bytes.count, bytes[i + 1] == UInt8(ascii: "x"),
                let high = hexValue(bytes[i + 2]), let low = hexValue(bytes[i + 3])
            {
                out.append(high << 4 | low)
                i += 4
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

func isHexDigit(_ b: UInt8) -> Bool {
    (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f"))
}

func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
    default: return nil
    }
}
