import ProcessModel

/// `--fields LIST` (`-o LIST`, as ps): the columns `--once` prints, in the table and the JSON,
/// by the names `--sort-key` takes (ids, titles, ps's and top's names: `-o pid,ppid,stat,rss,
/// vsz,nlwp,ni,comm` works as with ps).
enum FieldList {
    /// A name the registry does not know.
    struct Unknown: Error, CustomStringConvertible {
        var name: String
        var description: String {
            "unknown field '\(name)' in --fields: expected one of " + Column.all.map(\.id).joined(separator: ", ")
        }
    }

    /// The columns named, in the order given, each once; `pid` first where it was not named
    /// (it is always included), and `tid` after it in the thread view. Names are separated by
    /// commas or spaces, and the option may be repeated (`-o pid -o comm`), as with ps.
    static func parse(_ values: [String], threads: Bool) throws(Unknown) -> [Column] {
        var columns: [Column] = []
        for value in values {
            for name in value.split(whereSeparator: { $0 == "," || $0 == " " }) {
                guard let column = Column.named(String(name)) else { throw Unknown(name: String(name)) }
                if !columns.contains(column) { columns.append(column) }
            }
        }
        guard !columns.isEmpty else { throw Unknown(name: values.joined(separator: ",")) }
        if !columns.contains(.pid) { columns.insert(.pid, at: 0) }
        if threads, !columns.contains(.tid) { columns.insert(.tid, at: (columns.firstIndex(of: .pid) ?? 0) + 1) }
        return columns
    }
}
