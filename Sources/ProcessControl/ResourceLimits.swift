#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// Reading and changing a process's resource limits (prlimit(2)).
public enum ResourceLimits {
    /// A requested change: `nofile=1024:4096`, `nofile=unlimited`, `core=:0`.
    public struct Change: Sendable, Equatable {
        public var resource: String
        /// nil: keep the current value.
        public var soft: ProcLimits.Value?
        public var hard: ProcLimits.Value?

        public init(resource: String, soft: ProcLimits.Value?, hard: ProcLimits.Value?) {
            self.resource = resource
            self.soft = soft
            self.hard = hard
        }

        /// Parses `RESOURCE=SOFT[:HARD]` (or `RESOURCE=:HARD`); the error names what is wrong.
        public static func parse(_ text: String) -> Result<Change, ControlError> {
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return .failure(.invalid("expected RESOURCE=SOFT[:HARD], got '\(text)'")) }
            let resource = parts[0].lowercased()
            guard ProcLimits.resources.contains(where: { $0.key == resource }) else {
                return .failure(.invalid("unknown resource '\(parts[0])': expected one of \(ProcLimits.resources.map(\.key).joined(separator: ", "))"))
            }
            let values = parts[1].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            func value(_ s: String) -> Result<ProcLimits.Value?, ControlError> {
                if s.isEmpty { return .success(nil) }
                if s == "unlimited" || s == "infinity" { return .success(.unlimited) }
                guard let n = UInt64(s), n != Kernel.infinity else {
                    return .failure(.invalid("invalid limit '\(s)': expected a number or 'unlimited'"))
                }
                return .success(.limited(n))
            }
            let soft: ProcLimits.Value?
            var hard: ProcLimits.Value? = nil
            switch value(values[0]) {
            case .success(let v): soft = v
            case .failure(let e): return .failure(e)
            }
            if values.count == 2 {
                switch value(values[1]) {
                case .success(let v): hard = v
                case .failure(let e): return .failure(e)
                }
            }
            guard soft != nil || hard != nil else { return .failure(.invalid("no value given for \(resource)")) }
            return .success(Change(resource: resource, soft: soft, hard: hard))
        }
    }

    /// The limits as /proc/PID/limits shows them.
    public static func read(_ target: ProcessTarget, procRoot: String = "/proc") -> Result<(handle: ProcessHandle, limits: ProcLimits), ControlError> {
        let handle: ProcessHandle
        switch ProcessHandle.open(target, procRoot: procRoot) {
        case .success(let h): handle = h
        case .failure(let e): return .failure(e)
        }
        guard let reader = try? ProcReader(root: procRoot) else { return .failure(.alreadyGone) }
        switch reader.read("\(handle.pid)/limits") {
        case .success(let bytes):
            guard let limits = ProcLimits.parse(bytes) else { return .failure(.invalid("cannot parse /proc/\(handle.pid)/limits")) }
            if handle.hasExited { return .failure(.alreadyGone) }
            return .success((handle, limits))
        case .failure(.denied): return .failure(.notPermitted(owner: handle.ownerName))
        case .failure: return .failure(.alreadyGone)
        }
    }

    /// Applies a change; returns the limit as it is afterwards.
    public static func apply(_ change: Change, to target: ProcessTarget, procRoot: String = "/proc") -> Result<ProcLimits.Limit, ControlError> {
        guard let number = ProcLimits.resources.first(where: { $0.key == change.resource })?.number else {
            return .failure(.invalid("unknown resource '\(change.resource)'"))
        }
        let handle: ProcessHandle
        switch ProcessHandle.open(target, procRoot: procRoot) {
        case .success(let h): handle = h
        case .failure(let e): return .failure(e)
        }
        let current: (soft: UInt64, hard: UInt64)
        switch Kernel.prlimit(handle.pid, number, new: nil) {
        case .success(let c): current = c
        case .failure(EPERM): return .failure(.notPermitted(owner: handle.ownerName))
        case .failure(ESRCH): return .failure(.alreadyGone)
        case .failure(let code): return .failure(.system(call: "prlimit", errno: code))
        }
        func raw(_ v: ProcLimits.Value?, _ keep: UInt64) -> UInt64 {
            switch v {
            case .none: return keep
            case .unlimited: return Kernel.infinity
            case .limited(let n): return n
            }
        }
        let soft = raw(change.soft, current.soft)
        let hard = raw(change.hard, current.hard)
        guard soft <= hard else {
            return .failure(.invalid("soft limit \(show(soft)) is above the hard limit \(show(hard)) of \(change.resource)"))
        }
        // prlimit takes a bare pid: the process is checked to be alive immediately before and
        // after, and a process that took the pid in between is put back as it was (prlimit
        // returns exactly what it had).
        if handle.hasExited { return .failure(.alreadyGone) }
        let changed = Kernel.prlimit(handle.pid, number, new: (soft, hard))
        if case .success(let old) = changed, handle.hasExited,
            let holder = (try? ProcReader(root: procRoot))?.process(handle.pid, files: []), holder.stat.startTime != handle.startTicks
        {
            return .failure(restoring(handle.pid, number, set: (soft, hard), old: old))
        }
        switch changed {
        case .success: break
        case .failure(EPERM):
            if hard > current.hard {
                // Root without the capability (a container, a bounding set) is told which one.
                let who = geteuid() == 0 ? "CAP_SYS_RESOURCE, which this root process does not have" : "root (CAP_SYS_RESOURCE)"
                return .failure(.needsPrivilege("raising the hard limit of \(change.resource) needs \(who)"))
            }
            return .failure(.notPermitted(owner: handle.ownerName))
        case .failure(EINVAL):
            return .failure(.invalid("the kernel refused \(change.resource) soft \(show(soft)) hard \(show(hard))"))
        case .failure(ESRCH): return .failure(.alreadyGone)
        case .failure(let code): return .failure(.system(call: "prlimit", errno: code))
        }
        if handle.hasExited { return .failure(.alreadyGone) }
        let name = ProcLimits.resources.first { $0.key == change.resource }?.name ?? change.resource
        return .success(ProcLimits.Limit(resource: change.resource, name: name, soft: value(soft), hard: value(hard), unit: nil))
    }

    /// After a change to a process that exited meanwhile, when another process now has the pid:
    /// if it holds the values swtop set, it may be the one changed, and gets back what prlimit
    /// said the changed process had.
    private static func restoring(_ pid: Int32, _ resource: Int32, set new: (soft: UInt64, hard: UInt64), old: (soft: UInt64, hard: UInt64)) -> ControlError {
        guard case .success(let now) = Kernel.prlimit(pid, resource, new: nil) else { return .alreadyGone }
        guard now == new, now != old else { return .idTakenDuringChange(id: pid, undo: "its limit is soft \(show(now.soft)) hard \(show(now.hard)), left as it is") }
        switch Kernel.prlimit(pid, resource, new: old) {
        case .success: return .idTakenDuringChange(id: pid, undo: "put back to soft \(show(old.soft)) hard \(show(old.hard))")
        case .failure(let code): return .idTakenDuringChange(id: pid, undo: "could not put it back to soft \(show(old.soft)) hard \(show(old.hard)): \(errnoText(code))")
        }
    }

    static func value(_ raw: UInt64) -> ProcLimits.Value { raw == Kernel.infinity ? .unlimited : .limited(raw) }
    static func show(_ raw: UInt64) -> String { value(raw).description }
}
