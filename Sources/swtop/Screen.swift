#if canImport(Glibc)
import Glibc
#endif
import ProcessModel
import Sampling
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
        // A ProcRootError becomes its one line on stderr in Swtop.reportingFailures.
        let sampler = try Sampler(root: options.procRoot, keepFilesOpen: true)
        let screenOptions = ScreenOptions(
            pids: try options.pidSet(), uid: try options.uid(), filterText: options.filter ?? "",
            sortKey: try options.sort() ?? .cpu, tree: options.tree, showUserThreads: threads,
            readonly: readonly, replaySource: sampler.isLive ? nil : options.procRoot,
            delay: Double(delayTenths) / 10, grace: grace, unit: options.unit, container: options.container,
            byCgroup: options.groupBy != nil)
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
