/// The OOM killer's lines in the kernel log, which name the process it killed for certain:
/// `Out of memory: Killed process 4242 (python3) total-vm:...` (also "Memory cgroup out of
/// memory: Killed process ...") and `oom-kill:constraint=...,task=python3,pid=4242,uid=0`.
public enum OOMLine {
    /// The pid an OOM-killer line names, or nil for any other line.
    public static func killedPID(_ line: some Collection<UInt8>) -> Int32? {
        let bytes = Array(line)
        if let end = end(of: "Killed process ", in: bytes) {
            return leadingPID(bytes[end...])
        }
        if end(of: "oom-kill:", in: bytes) != nil, let end = end(of: ",pid=", in: bytes) {
            return leadingPID(bytes[end...])
        }
        return nil
    }

    /// Where the first `needle` in `bytes` ends.
    private static func end(of needle: StaticString, in bytes: [UInt8]) -> Int? {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard bytes.count >= pattern.count else { return nil }
        for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
            if bytes[start..<(start + pattern.count)].elementsEqual(pattern) { return start + pattern.count }
        }
        return nil
    }

    private static func leadingPID(_ text: ArraySlice<UInt8>) -> Int32? {
        let digits = text.prefix { $0 >= 48 && $0 <= 57 }
        guard !digits.isEmpty, digits.count <= 10, let pid = Int32(String(decoding: digits, as: UTF8.self)), pid > 0 else { return nil }
        return pid
    }
}
