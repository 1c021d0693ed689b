#if canImport(Glibc)
import Glibc
#endif
import ProcessModel

/// How the detail page lays out its lines: titles, "label  value" rows wrapped under their
/// column, and the times it shows.
extension DetailPage {
    struct Builder {
        var width: Int
        var lines: [DetailLine] = []

        mutating func title(_ section: DetailSection, _ extra: String = "") {
            title(section, text: section.title + extra)
        }

        /// A section's title in words of its own ("Supervised by swtop run (pid 812)").
        mutating func title(_ section: DetailSection, text: String) {
            if !lines.isEmpty { lines.append(DetailLine(text: "", role: .normal)) }
            lines.append(DetailLine(text: text, role: .helpTitle, section: section))
        }

        /// "  Label         value", the value wrapped under itself.
        mutating func field(_ label: String, _ value: String, role: Role = .normal) {
            let pad = String(repeating: " ", count: DetailPage.indent)
            let room = max(8, width - DetailPage.indent - DetailPage.labelWidth)
            let parts = DetailPage.wrap(value, room)
            for (i, part) in parts.enumerated() {
                let head = i == 0 ? TextLayout.padRight(label, DetailPage.labelWidth) : String(repeating: " ", count: DetailPage.labelWidth)
                lines.append(DetailLine(text: pad + head + part, role: role))
            }
        }

        /// A line of its own, wrapped, continuation lines indented by `hang`.
        mutating func wrapped(_ text: String, role: Role = .normal, indent: Int = 0, hang: Int = 0) {
            let parts = DetailPage.wrap(text, max(8, width - indent - hang))
            for (i, part) in parts.enumerated() {
                let lead = String(repeating: " ", count: indent + (i == 0 ? 0 : hang))
                lines.append(DetailLine(text: lead + part, role: role))
            }
        }
    }

    /// Cuts text into pieces of at most `width` terminal cells: at spaces where it can, else
    /// anywhere (a long path has none).
    static func wrap(_ text: String, _ width: Int) -> [String] {
        let width = max(1, width)
        var out: [String] = []
        var line = String.UnicodeScalarView()
        var cells = 0
        var lastSpace: (index: String.UnicodeScalarView.Index, cells: Int)?
        for scalar in text.unicodeScalars {
            let w = CellWidth.of(scalar)
            if cells + w > width {
                if let space = lastSpace, space.cells > width / 2 {
                    let rest = String.UnicodeScalarView(line[line.index(after: space.index)...])
                    out.append(String(String.UnicodeScalarView(line[..<space.index])))
                    line = rest
                    cells = CellWidth.of(String(rest))
                } else {
                    out.append(String(line))
                    line = String.UnicodeScalarView()
                    cells = 0
                }
                lastSpace = nil
            }
            if scalar == " " { lastSpace = (line.endIndex, cells) }
            line.append(scalar)
            cells += w
        }
        if !line.isEmpty || out.isEmpty { out.append(String(line)) }
        return out
    }

    static func text(_ bytes: [UInt8]) -> String { DisplayText.escaped(String(decoding: bytes, as: UTF8.self)) }

    // MARK: - Formats

    /// "2026-11-30 01:02:03", local time.
    static func localDateTime(_ epoch: Double) -> String {
        guard epoch.isFinite, abs(epoch) < 1e15 else { return "-" }
        var t = time_t(epoch.rounded(.down))
        var tm = tm()
        guard localtime_r(&t, &tm) != nil else { return "-" }
        return Format.pad(Int(tm.tm_year) + 1900, 4) + "-" + Format.pad(Int(tm.tm_mon) + 1, 2) + "-" + Format.pad(Int(tm.tm_mday), 2)
            + " " + clockTime(epoch)
    }

    /// "01:02:03", local time.
    static func clockTime(_ epoch: Double) -> String {
        guard epoch.isFinite, abs(epoch) < 1e15 else { return "-" }
        var t = time_t(epoch.rounded(.down))
        var tm = tm()
        guard localtime_r(&t, &tm) != nil else { return "-" }
        return Format.pad(Int(tm.tm_hour), 2) + ":" + Format.pad(Int(tm.tm_min), 2) + ":" + Format.pad(Int(tm.tm_sec), 2)
    }
}
