#if canImport(Glibc)
import Glibc
#endif
import Journal
import Lifecycle
import ProcessModel
import Sampling
import SwtopUI

/// `swtop` without --once: the interactive screen, run with the command's options as parsed
/// (the screen's own, and those it shares with --once).
struct Screen {
    let command: Swtop

    func run() throws {
        let options = command.options
        // A journal the user named must be there: a typo is said now, not found later in E.
        // (Without --journal, the default directory, where a missing journal is only said in E.)
        if let journal = command.journal { _ = try RecordedEvents.open(journal) }
        // A ProcRootError becomes its one line on stderr in Swtop.reportingFailures.
        // Without the proc connector, the lifecycle monitor sees exits through a pidfd per
        // process: half the fds for them.
        let sampler = try Sampler(root: options.procRoot, keepFilesOpen: true, shareFDs: LifecycleMonitor.connectorUsable ? 0 : 0.5)
        let config = command.noConfig ? nil : ConfigStore.defaultPath().map { LoadedConfig(store: ConfigStore(path: $0)) }
        let fileSettings = config?.settings ?? ScreenSettings()
        // The command line wins for this run; quitting saves the file's value for what it set.
        var settings = fileSettings
        var overridden: ScreenSettings.Overrides = []
        if let key = try options.sort() {
            settings.sortKey = key
            settings.inverted = false
            overridden.insert(.sort)
        }
        if options.tree {
            settings.tree = true
            overridden.insert(.tree)
        }
        // Without -d, the settings file's delay.
        if let delayTenths = command.delay {
            settings.delayTenths = delayTenths
            overridden.insert(.delay)
        }
        if command.threads {
            settings.hideUserlandThreads = false
            overridden.insert(.threads)
        }
        // https://no-color.org: set and not empty.
        let noColorEnv = getenv("NO_COLOR").map { $0.pointee != 0 } ?? false
        if command.noColor || noColorEnv {
            settings.color = false
            overridden.insert(.color)
        }
        var screenOptions = ScreenOptions(settings: settings)
        screenOptions.pids = try options.pidSet()
        screenOptions.uid = try options.uid()
        screenOptions.filterText = options.filter ?? ""
        screenOptions.readonly = command.readonly
        screenOptions.replaySource = sampler.isLive ? nil : options.procRoot
        screenOptions.grace = command.screenGrace
        screenOptions.unit = options.unit
        screenOptions.container = options.container
        screenOptions.byCgroup = try options.cgroupGrouping()
        screenOptions.startMessage = config?.report
        screenOptions.journal = command.journal ?? JournalDirectory.defaultPath()
        let theme: Theme = settings.color ? .color : .monochrome
        let final: ScreenSettings
        do {
            final = try ScreenLoop(options: screenOptions, theme: theme, userName: options.user).run(sampler: sampler)
        } catch {
            throw Failure(error.description)
        }
        // After the screen ended: a message now reaches the shell, not a screen about to be erased.
        if let config, let problem = config.save(ScreenSettings.saved(final: final, file: fileSettings, commandLine: settings, overridden: overridden)) {
            Output.error(problem)
        }
    }
}
