/// How much journal is kept: whole days, the oldest removed first, never the day being written.
public struct Retention: Sendable, Equatable {
    /// Days kept, today included: a file of a day more than this many days before today goes.
    public var keepDays: Int
    /// All journal files together stay under this many bytes.
    public var maxBytes: Int

    public init(keepDays: Int = 14, maxMegabytes: Int = 256) {
        self.keepDays = keepDays
        self.maxBytes = maxMegabytes.multipliedReportingOverflow(by: 1 << 20).overflow ? Int.max : maxMegabytes << 20
    }

    /// Removes what is too old, then the oldest days until the rest fits. The names removed.
    @discardableResult
    public func apply(to directory: JournalDirectory, today: Int) -> [String] {
        var removed: [String] = []
        var kept: [(day: Int, name: String, size: Int)] = []
        for file in directory.dayFiles() {
            if file.day <= today - keepDays, file.day != today {
                if directory.remove(file.name) { removed.append(file.name) }
            } else if let size = directory.size(of: file.name) {
                kept.append((file.day, file.name, size))
            }
        }
        var total = kept.reduce(0) { $0 &+ $1.size }
        for file in kept where total > maxBytes && file.day < today {
            if directory.remove(file.name) {
                removed.append(file.name)
                total -= file.size
            }
        }
        return removed
    }
}
