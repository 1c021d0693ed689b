import Lifecycle

/// Durations as `swtop run` takes them: `500ms`, `0.4s`, `10s`, `2m`, or a bare number of seconds.
public enum DurationText {
    /// Seconds, or nil for anything else (negative, not finite, over a day, no number).
    public static func seconds(_ text: String) -> Double? {
        let units: [(suffix: String, scale: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        var number = Substring(text)
        var scale = 1.0
        for unit in units where text.hasSuffix(unit.suffix) {
            number = text.dropLast(unit.suffix.count)
            scale = unit.scale
            break
        }
        // Digits and one point only: Double("inf"), "nan", "1e3" and "+1" are not durations.
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              number.filter({ $0 == "." }).count <= 1, number != ".",
              let value = Double(number)
        else { return nil }
        let seconds = value * scale
        return seconds.isFinite && seconds <= 86_400 ? seconds : nil
    }

    /// A set delay or grace in words: "4 s" for whole seconds (as it was most likely given),
    /// otherwise as `swtop events` writes a lifetime ("500 ms", "1.5 s", "2m 0s").
    public static func words(_ seconds: Double) -> String {
        if seconds >= 1, seconds < 60, seconds == seconds.rounded() { return "\(Int(seconds)) s" }
        return LifecycleEvent.duration(seconds)
    }
}
