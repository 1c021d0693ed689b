import ProcFS

/// One column of the process list, described once: the screen, `--once`'s table, `--sort-key`,
/// the JSON document and (later) the setup screen all read these descriptions, as htop reads
/// its per-field table. A new column is one entry in Columns.swift plus, where /proc does not
/// already give it, the reader of its value.
public struct Column: Sendable, Hashable, CustomStringConvertible {
    public enum Alignment: Sendable { case left, right }

    /// How a column orders two processes, and which way it sorts first.
    public struct Sort: Sendable {
        /// -1, 0 or 1; an unknown value sorts below every known one.
        public var compare: @Sendable (ProcessEntry, ProcessEntry) -> Int
        /// Sizes, CPU, memory and time sort largest first, as in top and htop.
        public var descending: Bool
    }

    /// One field of a process's JSON object.
    public struct JSONField: Sendable {
        public var name: String
        /// nil leaves the field out (`tid` of a process row).
        public var value: @Sendable (ProcessEntry, Context) -> JSONValue?
    }

    /// What a cell needs besides the process.
    public struct Context: Sendable {
        public var ticksPerSecond: Double
        /// A single sample: CPU% is unknown.
        public var singleSample: Bool
        /// When the snapshot was taken, seconds since the epoch (START is relative to it).
        public var now: Double

        public init(ticksPerSecond: Double = 100, singleSample: Bool = false, now: Double = 0) {
            self.ticksPerSecond = ticksPerSecond
            self.singleSample = singleSample
            self.now = now
        }

        public init(_ snapshot: Snapshot) {
            self.init(ticksPerSecond: snapshot.clockTicksPerSecond, singleSample: snapshot.interval == 0, now: snapshot.time)
        }
    }

    /// The name `--sort-key` takes and the setup screen saves: "pid", "rss".
    public let id: String
    /// The title over the column: "PID", "RES".
    public let title: String
    /// Columns of a cell; 0 for a column that takes the rest of the line (the command).
    public let width: Int
    public let alignment: Alignment
    /// The /proc files besides `stat` that its value comes from.
    public let files: ProcessFiles
    /// nil: the column does not sort.
    public let sort: Sort?
    /// Other names `--sort-key` takes for it: ps's and top's, htop's titles, JSON names.
    public let aliases: [String]
    /// Its fields in the JSON document, in order.
    public let json: [JSONField]
    /// Says what the column means, for help and the setup screen.
    public let help: String
    private let cell: @Sendable (ProcessEntry, Context) -> String

    public init(
        id: String, title: String, width: Int, alignment: Alignment = .right, files: ProcessFiles = [],
        sort: Sort?, aliases: [String] = [], json: [JSONField], help: String,
        cell: @escaping @Sendable (ProcessEntry, Context) -> String
    ) {
        self.id = id
        self.title = title
        self.width = width
        self.alignment = alignment
        self.files = files
        self.sort = sort
        self.aliases = aliases
        self.json = json
        self.help = help
        self.cell = cell
    }

    /// The cell's text, not padded. Text from /proc is escaped for the terminal.
    public func text(_ p: ProcessEntry, _ context: Context = Context()) -> String { cell(p, context) }

    /// The cell padded (or a left-aligned one cut) to the column's width; the text as it is for
    /// the last column (width 0) and for a right-aligned value wider than its column, as htop
    /// and ps show a number rather than cut it.
    public func padded(_ text: String) -> String {
        guard width > 0 else { return text }
        return alignment == .left ? TextLayout.padRight(text, width, cut: true) : TextLayout.padLeft(text, width)
    }

    /// The title padded as its cells are.
    public var paddedTitle: String { padded(title) }

    public var description: String { id }

    public static func == (a: Column, b: Column) -> Bool { a.id == b.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    /// Whether the column sorts largest first.
    public var descendingByDefault: Bool { sort?.descending ?? false }

    /// Sorts stably by this column; `inverted` flips its direction. Ties go by pid, then tid,
    /// so the order is always the same.
    public func sort(_ processes: inout [ProcessEntry], inverted: Bool = false) {
        guard let compare = sort?.compare else { return Column.pid.sort(&processes) }
        let descending = descendingByDefault != inverted
        processes.sort { a, b in
            let c = compare(a, b)
            if c != 0 { return descending ? c > 0 : c < 0 }
            if a.pid != b.pid { return a.pid < b.pid }
            return (a.tid ?? 0) < (b.tid ?? 0)
        }
    }

    /// -1, 0 or 1 by this column; 0 for a column that does not sort.
    public func compare(_ a: ProcessEntry, _ b: ProcessEntry) -> Int { sort?.compare(a, b) ?? 0 }

    /// The column a user means by a name: its id, its title or an alias, any case.
    public static func named(_ name: String) -> Column? {
        let wanted = name.lowercased()
        return all.first { $0.id == wanted || $0.title.lowercased() == wanted || $0.aliases.contains(wanted) }
    }

    /// The columns that sort, in the registry's order: what `--sort-key` and F6 offer.
    public static var sortable: [Column] { all.filter { $0.sort != nil } }

    /// The columns with the sort key's added where it is not among them (`--once -s start` shows
    /// START): before the command, which takes the rest of the line, else last.
    public static func showing(_ columns: [Column], sortKey: Column?) -> [Column] {
        guard let sortKey, !columns.contains(sortKey) else { return columns }
        var out = columns
        if let last = out.last, last.width == 0 { out.insert(sortKey, at: out.count - 1) } else { out.append(sortKey) }
        return out
    }

    /// The /proc files these columns need, besides stat.
    public static func files(for columns: [Column]) -> ProcessFiles {
        columns.reduce(into: ProcessFiles()) { $0.formUnion($1.files) }
    }
}

/// A JSON value, written by OutputFormats' JSONWriter.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case unsigned(UInt64)
    /// Written with this many decimals.
    case number(Double, decimals: Int)
    case string(String)
    case strings([String])
    /// An array of strings given as one, each followed by a NUL (the command line as
    /// ProcessEntry keeps it): written without splitting it into Strings.
    case terminatedStrings(String)
    /// An object, its members in order.
    case object([JSONMember])
}

/// One member of a JSON object value.
public struct JSONMember: Sendable, Equatable {
    public var name: String
    public var value: JSONValue

    public init(_ name: String, _ value: JSONValue) {
        self.name = name
        self.value = value
    }
}

/// -1, 0 or 1.
@inline(__always)
func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x > y ? 1 : 0) }

/// -1, 0 or 1; nil (unknown) below every known value.
@inline(__always)
func order<T: Comparable>(_ x: T?, _ y: T?) -> Int {
    switch (x, y) {
    case let (x?, y?): return order(x, y)
    case (nil, nil): return 0
    case (nil, _): return -1
    case (_, nil): return 1
    }
}
