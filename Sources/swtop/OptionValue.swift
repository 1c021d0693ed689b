import ArgumentParser

/// The check of a number given to an option, with the message that says what was wrong: a
/// negative value is told so (it used to be "Missing value", ArgumentParser's reading of "-1").
enum OptionValue {
    static func check(_ value: Double, _ option: String, _ range: ClosedRange<Double>, shown: String? = nil, unit: String = "seconds") throws {
        let text = shown ?? number(value)
        if value < 0 {
            throw ValidationError("invalid \(option) '\(text)': must not be negative")
        }
        guard value.isFinite, range.contains(value) else {
            throw ValidationError("invalid \(option) '\(text)': expected \(unit) from \(number(range.lowerBound)) to \(number(range.upperBound))")
        }
    }

    /// 0.1, 5, 3600.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
