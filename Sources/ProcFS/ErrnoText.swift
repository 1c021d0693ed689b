#if canImport(Glibc)
import Glibc
#endif

/// The C library's text for an errno ("No such file or directory"), for one-line errors.
public func errnoText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text)
}
