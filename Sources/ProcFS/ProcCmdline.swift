/// `/proc/PID/cmdline`: NUL-separated arguments.
///
/// It may lack the trailing NUL (a process can rewrite its own), and is empty for kernel threads
/// and zombies.
public enum ProcCmdline {
    public static func parse(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.withBytes { parse($0) }
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> [[UInt8]] {
        guard !bytes.isEmpty else { return [] }
        var end = bytes.count
        if bytes[end - 1] == 0 { end -= 1 }
        var args: [[UInt8]] = []
        var start = 0
        var i = 0
        while i < end {
            if bytes[i] == 0 {
                args.append(Array(bytes[start..<i]))
                start = i + 1
            }
            i += 1
        }
        args.append(Array(bytes[start..<end]))
        return args
    }
}
