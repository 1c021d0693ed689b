import ProcFS

/// The journal's files: one a UTC day, `events-YYYY-MM-DD.jsonl`. Only names of exactly this form
/// are read or removed; anything else in the directory is left alone.
public enum DayFile {
    static let prefix = Array("events-".utf8)
    static let suffix = Array(".jsonl".utf8)

    /// "events-2026-12-06.jsonl" for a day number.
    public static func name(day: Int) -> String {
        "events-" + CalendarDay.name(days: day) + ".jsonl"
    }

    /// The day a file's name stands for, or nil when it is not a journal file's name.
    public static func day(ofName name: [UInt8]) -> Int? {
        guard name.count == prefix.count + 10 + suffix.count,
            name.starts(with: prefix), name.suffix(suffix.count).elementsEqual(suffix),
            let day = CalendarDay.parseDate(name[prefix.count..<(prefix.count + 10)])
        else { return nil }
        // "events-2026-2-6" or a year past 9999 is not a name this program writes.
        return name == Array(Self.name(day: day).utf8) ? day : nil
    }
}
