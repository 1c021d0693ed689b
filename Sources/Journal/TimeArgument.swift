#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// The WHEN of `--since` and `--until`: `30s`, `10m`, `2h`, `3d` ago; an RFC 3339 time
/// (`2026-12-06T03:00:00Z`, fractions and offsets allowed, as the events' `time` has them); or a
/// local time as people type it, `2026-12-06 03:00`, `2026-12-06 03:00:30`, `2026-12-06`.
public enum TimeArgument {
    public static let expected = "expected 30s, 10m, 2h, 3d (ago), 2026-12-06T03:00:00Z or 2026-12-06 03:00 (local time)"

    /// Seconds since the epoch, or nil when `text` is none of those.
    public static func parse(_ text: String, now: Double) -> Double? {
        let b = ArraySlice(Array(text.utf8))
        if let ago = ago(b) { return now - ago }
        if let utc = CalendarDay.parseRFC3339(b) { return utc }
        return local(b)
    }

    /// `30s`, `10m`, `2h`, `3d`: seconds.
    static func ago(_ b: ArraySlice<UInt8>) -> Double? {
        guard b.count >= 2, b.count <= 10, let unit = b.last else { return nil }
        let scale: Double
        switch unit {
        case UInt8(ascii: "s"): scale = 1
        case UInt8(ascii: "m"): scale = 60
        case UInt8(ascii: "h"): scale = 3600
        case UInt8(ascii: "d"): scale = 86_400
        default: return nil
        }
        guard let n = CalendarDay.digits(b, b.startIndex, b.count - 1) else { return nil }
        return Double(n) * scale
    }

    /// `YYYY-MM-DD[ HH:MM[:SS]]` in the local time zone.
    static func local(_ b: ArraySlice<UInt8>) -> Double? {
        guard CalendarDay.parseDate(b) != nil, b.count == 10 || b.count == 16 || b.count == 19 else { return nil }
        let s = b.startIndex
        var t = tm()
        t.tm_year = Int32(CalendarDay.digits(b, s, 4) ?? 0) - 1900
        t.tm_mon = Int32(CalendarDay.digits(b, s + 5, 2) ?? 1) - 1
        t.tm_mday = Int32(CalendarDay.digits(b, s + 8, 2) ?? 1)
        if b.count > 10 {
            guard b[s + 10] == UInt8(ascii: " ") || b[s + 10] == UInt8(ascii: "T"), b[s + 13] == UInt8(ascii: ":"),
                let hour = CalendarDay.digits(b, s + 11, 2), let minute = CalendarDay.digits(b, s + 14, 2), hour < 24, minute < 60
            else { return nil }
            t.tm_hour = Int32(hour)
            t.tm_min = Int32(minute)
            if b.count == 19 {
                guard b[s + 16] == UInt8(ascii: ":"), let second = CalendarDay.digits(b, s + 17, 2), second < 60 else { return nil }
                t.tm_sec = Int32(second)
            }
        }
        // The zone decides whether summer time applies.
        t.tm_isdst = -1
        let seconds = mktime(&t)
        return seconds == -1 && t.tm_year != 69 ? nil : Double(seconds)
    }
}
