/// Days and times in UTC by arithmetic, without the C library: a journal file is named after its
/// UTC day, and every line's `time` is read back for `--since`, a million times a second. (Here,
/// below the journal, because the monitor reads swtop run's state files' times too.)
public enum CalendarDay {
    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number (civil_from_days).
    public static func date(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The UTC day of a time (seconds since the epoch); nil for a time no calendar holds.
    public static func day(of seconds: Double) -> Int? {
        guard seconds.isFinite, abs(seconds) < 1e13 else { return nil }
        return Int((seconds / 86_400).rounded(.down))
    }

    /// "2026-12-06" for a day number (years 0 to 9999).
    public static func name(days: Int) -> String {
        let d = date(days: days)
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return pad(d.year, 4) + "-" + pad(d.month, 2) + "-" + pad(d.day, 2)
    }

    /// Reads "YYYY-MM-DD" at the start of `b`; the day number, or nil when it is not a valid date.
    public static func parseDate(_ b: ArraySlice<UInt8>) -> Int? {
        guard b.count >= 10 else { return nil }
        let s = b.startIndex
        guard b[s + 4] == UInt8(ascii: "-"), b[s + 7] == UInt8(ascii: "-"),
            let year = digits(b, s, 4), let month = digits(b, s + 5, 2), let day = digits(b, s + 8, 2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        return days(year: year, month: month, day: day)
    }

    /// An RFC 3339 time as the events' `time` fields have it: "2026-12-06T03:00:00Z",
    /// "2026-12-06T03:00:00.123Z", "2026-12-06T04:00:00+01:00" (t, z and a space for T also
    /// taken). Seconds since the epoch, or nil.
    public static func parseRFC3339(_ b: ArraySlice<UInt8>) -> Double? {
        guard b.count >= 20, let day = parseDate(b) else { return nil }
        let s = b.startIndex
        let t = b[s + 10]
        guard t == UInt8(ascii: "T") || t == UInt8(ascii: "t") || t == UInt8(ascii: " "),
            b[s + 13] == UInt8(ascii: ":"), b[s + 16] == UInt8(ascii: ":"),
            let hour = digits(b, s + 11, 2), let minute = digits(b, s + 14, 2), let second = digits(b, s + 17, 2),
            hour < 24, minute < 60, second <= 60
        else { return nil }
        var i = s + 19
        var fraction = 0.0
        if i < b.endIndex, b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.endIndex, b[i] >= 0x30, b[i] <= 0x39 {
                fraction += Double(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < b.endIndex else { return nil }
        var offset = 0
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard b.endIndex - i == 6, b[i + 3] == UInt8(ascii: ":"),
                let h = digits(b, i + 1, 2), let m = digits(b, i + 4, 2), h < 24, m < 60
            else { return nil }
            offset = (h * 60 + m) * 60 * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        default:
            return nil
        }
        guard i == b.endIndex else { return nil }
        return Double(day * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `count` ASCII digits at `at`, as a number; nil if any is not a digit.
    public static func digits(_ b: ArraySlice<UInt8>, _ at: Int, _ count: Int) -> Int? {
        guard at >= b.startIndex, at + count <= b.endIndex else { return nil }
        var n = 0
        for k in at..<(at + count) {
            let c = b[k]
            guard c >= 0x30, c <= 0x39 else { return nil }
            n = n * 10 + Int(c - 0x30)
        }
        return n
    }
}
