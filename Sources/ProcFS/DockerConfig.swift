/// Docker's `/var/lib/docker/containers/<id>/config.v2.json` (readable by root): the container's
/// name, so swtop can show `web-1` rather than an id without asking the daemon.
public enum DockerConfig {
    public static func name(_ bytes: [UInt8]) -> String? {
        bytes.withBytes { name($0) }
    }

    /// The top-level `"Name"` (`"/web-1"`), without its slash; nil when there is none or the
    /// file is not the JSON expected. Other objects in the file have a `Name` too (mounts,
    /// networks): only the outermost object's counts.
    public static func name(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var depth = 0
        var i = 0
        var expectingKey = false
        var wantedValue = false
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "{"):
                depth += 1
                expectingKey = true
                wantedValue = false
                i += 1
            case UInt8(ascii: "["):
                depth += 1
                expectingKey = false
                wantedValue = false
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth <= 0 { return nil }
                expectingKey = false
                i += 1
            case UInt8(ascii: ","):
                // Inside an object a key follows; inside an array (depth > 1 only) it does not
                // matter, as keys are looked at only at depth 1.
                expectingKey = true
                i += 1
            case UInt8(ascii: "\""):
                guard let (text, end) = string(bytes, from: i + 1) else { return nil }
                if wantedValue, depth == 1 {
                    guard let text else { return nil }
                    return text.hasPrefix("/") ? String(text.dropFirst()) : text
                }
                wantedValue = depth == 1 && expectingKey && text == "Name"
                expectingKey = false
                i = end
            default:
                // A value other than a string after "Name": no name.
                if wantedValue, !isWhitespace(b), b != UInt8(ascii: ":") { return nil }
                i += 1
            }
        }
        return nil
    }

    /// The string starting after an opening quote at `start`, and the index after its closing
    /// quote; the text is nil when it has escapes other than the simple ones. nil when unclosed.
    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (String?, Int)? {
        var out: [UInt8] = []
        var plain = true
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { return (plain ? String(decoding: out, as: UTF8.self) : nil, i + 1) }
            if b == UInt8(ascii: "\\") {
                guard i + 1 < bytes.count else { return nil }
                switch bytes[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(bytes[i + 1])
                default: plain = false
                }
                i += 2
                continue
            }
            out.append(b)
            i += 1
        }
        return nil
    }
}
