#if canImport(Glibc)
import Glibc
#endif

/// uid -> user name through the system's passwd database, asked once per uid.
public final class UserNames {
    private var cache: [UInt32: String?] = [:]

    public init() {}

    public func name(of uid: UInt32) -> String? {
        if let cached = cache[uid] { return cached }
        let name = Self.lookUp(uid)
        cache[uid] = name
        return name
    }

    public static func lookUp(_ uid: UInt32) -> String? {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let rc = getpwuid_r(uid, &pwd, &buffer, buffer.count, &result)
        guard rc == 0, result != nil, let name = pwd.pw_name else { return nil }
        return String(cString: name)
    }

    /// A user name or a decimal uid, as `-u` takes it; nil when neither.
    public static func uid(forUser text: String) -> UInt32? {
        if let number = UInt32(text) { return number }
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let rc = getpwnam_r(text, &pwd, &buffer, buffer.count, &result)
        guard rc == 0, result != nil else { return nil }
        return pwd.pw_uid
    }
}
