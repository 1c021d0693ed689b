import ProcessModel

/// What F2 sets and the settings file keeps, as the screen uses it: columns from the registry,
/// htop's defaults where the file says nothing.
public struct ScreenSettings: Equatable, Sendable {
    /// In the order shown; the command, which takes the rest of the line, is always last.
    public var columns: [Column] = Column.defaults
    public var sortKey: Column = .cpu
    public var inverted = false
    public var tree = false
    public var hideKernelThreads = true
    public var hideUserlandThreads = true
    public var highlightChanges = true
    public var highlightSeconds = 3
    public var delayTenths = 15
    public var color = true

    public init() {}

    /// The defaults with every value the file sets.
    public init(_ v: ConfigValues) {
        if let ids = v.columns { columns = Self.ordered(ids.compactMap(Column.named)) }
        if let id = v.sortKey, let c = Column.named(id), c.sort != nil { sortKey = c }
        if let x = v.sortInverted { inverted = x }
        if let x = v.treeView { tree = x }
        if let x = v.hideKernelThreads { hideKernelThreads = x }
        if let x = v.hideUserlandThreads { hideUserlandThreads = x }
        if let x = v.highlightChanges { highlightChanges = x }
        if let x = v.highlightSeconds { highlightSeconds = x }
        if let x = v.delayTenths { delayTenths = x }
        if let x = v.color { color = x }
    }

    /// Every key, for the file.
    public var values: ConfigValues {
        var v = ConfigValues()
        v.columns = columns.map(\.id)
        v.sortKey = sortKey.id
        v.sortInverted = inverted
        v.treeView = tree
        v.hideKernelThreads = hideKernelThreads
        v.hideUserlandThreads = hideUserlandThreads
        v.highlightChanges = highlightChanges
        v.highlightSeconds = highlightSeconds
        v.delayTenths = delayTenths
        v.color = color
        return v
    }

    /// Each column once, the command last.
    static func ordered(_ columns: [Column]) -> [Column] {
        var seen = Set<Column>()
        var out = columns.filter { seen.insert($0).inserted }
        if let i = out.firstIndex(of: .command) { out.append(out.remove(at: i)) }
        return out.isEmpty ? Column.defaults : out
    }

    /// Parses the file's text with the registry's column names.
    public static func parse(_ bytes: [UInt8]) -> (settings: ScreenSettings, problems: [ConfigProblem]) {
        let (values, problems) = ConfigFile.parse(
            bytes, isColumn: { Column.named($0) != nil }, isSortKey: { Column.named($0)?.sort != nil })
        return (ScreenSettings(values), problems)
    }

    /// What a run saves: `final` (the screen at quit), except where the command line set a
    /// value for this run only and the user did not change it since: there the file's value
    /// stays. `commandLine` holds the values the options gave, `overridden` which they were.
    public static func saved(final: ScreenSettings, file: ScreenSettings, commandLine: ScreenSettings, overridden: Overrides) -> ScreenSettings {
        var out = final
        if overridden.contains(.sort), final.sortKey == commandLine.sortKey, final.inverted == commandLine.inverted {
            out.sortKey = file.sortKey
            out.inverted = file.inverted
        }
        if overridden.contains(.tree), final.tree == commandLine.tree { out.tree = file.tree }
        if overridden.contains(.delay), final.delayTenths == commandLine.delayTenths { out.delayTenths = file.delayTenths }
        if overridden.contains(.color), final.color == commandLine.color { out.color = file.color }
        if overridden.contains(.threads), final.hideUserlandThreads == commandLine.hideUserlandThreads {
            out.hideUserlandThreads = file.hideUserlandThreads
        }
        return out
    }

    /// The settings a command-line option can set for one run.
    public struct Overrides: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let sort = Overrides(rawValue: 1 << 0)
        public static let tree = Overrides(rawValue: 1 << 1)
        public static let delay = Overrides(rawValue: 1 << 2)
        public static let color = Overrides(rawValue: 1 << 3)
        public static let threads = Overrides(rawValue: 1 << 4)
    }
}

/// The settings file as read at start: the settings it gives, what to say about it, and
/// whether quitting may write it.
public struct LoadedConfig: Sendable {
    public var store: ConfigStore
    public var settings = ScreenSettings()
    /// The bytes read; nil when there was no file.
    public var original: [UInt8]?
    /// False when any of it could not be read: the file is then never written.
    public var writable = true
    /// For the status line at start: the first problem, and how many more.
    public var report: String?

    public init(store: ConfigStore) {
        self.store = store
        switch store.read() {
        case .missing: break
        case .unreadable(let why):
            writable = false
            report = "Settings not read: \(store.displayPath): \(why) (defaults used; file kept as is)"
        case .bytes(let bytes):
            original = bytes
            let (settings, problems) = ScreenSettings.parse(bytes)
            self.settings = settings
            if let first = problems.first {
                writable = false
                let more = problems.count > 1 ? " (+\(problems.count - 1) more)" : ""
                report = "\(store.displayPath):\(first.line): \(first.message)\(more) (ignored; file kept as is)"
            }
        }
    }

    /// Writes `settings` into the file on quit; returns why it could not, or nil. A file that
    /// was not fully read is not written (its text stays the user's).
    public func save(_ settings: ScreenSettings) -> String? {
        guard writable else { return nil }
        let bytes = ConfigFile.updated(original ?? [], with: settings.values)
        do {
            try store.save(bytes, replacing: original)
            return nil
        } catch {
            return "settings not saved: " + error.description
        }
    }
}
