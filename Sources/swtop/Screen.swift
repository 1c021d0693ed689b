#if canImport(Glibc)
import Glibc
#endif
import ProcessModel
import SwtopUI

/// `swtop` without --once: the interactive screen.
struct Screen {
    var options: ProcessOptions
    var delayTenths: Int
    var noColor: Bool
    var readonly: Bool
    var threads: Bool
    var grace: Double

    func run() throws {
        let sampler: Sampler
        do {
            sampler = try Sampler(root: options.procRoot, keepFilesOpen: true)
        } catch {
            throw Failure(String(describing: error))
        }
        let screenOptions = ScreenOptions(
            pids: try options.pidSet(), uid: try options.uid(), filterText: options.filter ?? "",
            sortKey: try options.sort() ?? .cpu, tree: options.tree, showUserThreads: threads,
            readonly: readonly, replaySource: options.procRoot == "/proc" ? nil : options.procRoot,
            delay: Double(delayTenths) / 10, grace: grace)
        // https://no-color.org: set and not empty.
        let noColorEnv = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        let theme: Theme = noColor || noColorEnv ? .monochrome : .color
        do {
            try ScreenLoop(options: screenOptions, theme: theme, userName: options.user).run(sampler: sampler)
        } catch {
            throw Failure(error.description)
        }
    }
}
