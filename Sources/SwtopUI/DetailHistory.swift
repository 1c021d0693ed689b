import Lifecycle
import ProcessModel

extension DetailPage {
    /// This command's earlier ends and crash loops, as the lifecycle monitor saw them: the same
    /// command line (or name, without one) under the same parent, newest first.
    static func history(_ c: Context, _ page: inout Builder) {
        page.title(.history)
        guard let lifecycle = c.state.lifecycle else {
            let why = c.state.replaySource != nil ? "none: a replay of a recorded tree has no kernel to ask" : "none yet"
            page.wrapped(why, role: .dim, indent: 2, hang: 2)
            return
        }
        let args: [String]
        if case .success(let bytes) = c.files.cmdline { args = bytes.map { String(decoding: $0, as: UTF8.self) } } else { args = [] }
        let name = c.entry?.name ?? String(decoding: c.files.stat.comm, as: UTF8.self)
        let command = args.isEmpty ? "[" + name + "]" : args.joined(separator: " ")
        let ppid = c.files.stat.ppid
        let runs = lifecycle.events.filter { event in
            guard event.process.command == command, event.process.ppid == ppid else { return false }
            switch event.kind {
            case .exit, .crashLoop: return true
            case .zombie, .orphan, .signal: return false
            }
        }
        if runs.isEmpty {
            page.wrapped("no earlier end of this command under this parent since swtop started", role: .dim, indent: 2, hang: 2)
            return
        }
        for event in runs.reversed().prefix(20) {
            page.wrapped(Format.clock(event.time) + "  " + String(event.process.pid) + "  " + DisplayText.escaped(event.words), indent: 2, hang: 4)
        }
        if runs.count > 20 { page.wrapped("and \(runs.count - 20) earlier", role: .dim, indent: 2, hang: 2) }
    }
}
