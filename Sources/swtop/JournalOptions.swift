import ArgumentParser
import Journal
import ProcFS
import ProcessModel

/// `swtop events`' journal options: recording (--record and its --journal-*) and reading back
/// (--since, --until, --follow). The events chosen are EventFilters'.
struct JournalOptions: ParsableArguments {
    @Flag(help: "Also append every event reported to the journal (DIR/events-YYYY-MM-DD.jsonl, a file a UTC day, the --json lines).")
    var record = false

    @Option(help: ArgumentHelp("The journal's directory (\(JournalOptions.defaultDirectoryWords)).", valueName: "DIR"))
    var journal: String?

    static let defaultDirectoryWords = "default /var/log/swtop for root, else $XDG_STATE_HOME/swtop, ~/.local/state/swtop"

    @Flag(help: "With --record: record clean exits (exit 0, not stopped) of processes that lived under 10 s too.")
    var journalAll = false

    @Option(help: ArgumentHelp("With --record: remove journal days older than this many days (default 14).", valueName: "N"))
    var journalKeepDays: Int?

    @Option(help: ArgumentHelp("With --record: remove the oldest journal days while all files together exceed M MiB (default 256).", valueName: "M"))
    var journalMaxMb: Int?

    @Option(help: ArgumentHelp("Print the recorded events from WHEN (30s, 10m, 2h, 3d ago; 2026-12-06T03:00:00Z; local 2026-12-06 03:00) and exit.", valueName: "WHEN"))
    var since: String?

    @Option(help: ArgumentHelp("With --since: up to WHEN (default now).", valueName: "WHEN"))
    var until: String?

    @Flag(help: "With --since: go on with live events after the recorded ones.")
    var follow = false

    func validate() throws {
        if let days = journalKeepDays, !(1...36_500).contains(days) {
            throw ValidationError("invalid --journal-keep-days '\(days)': expected days from 1 to 36500")
        }
        if let mb = journalMaxMb, !(1...1_048_576).contains(mb) {
            throw ValidationError("invalid --journal-max-mb '\(mb)': expected MiB from 1 to 1048576")
        }
        if !record {
            for (given, option) in [(journalAll, "--journal-all"), (journalKeepDays != nil, "--journal-keep-days"), (journalMaxMb != nil, "--journal-max-mb")] where given {
                throw ValidationError("\(option) needs --record")
            }
        }
        if since == nil {
            if until != nil { throw ValidationError("--until needs --since") }
            if follow { throw ValidationError("--follow needs --since (without it, swtop events follows live events)") }
        } else if record, !follow {
            throw ValidationError("--record records live events: with --since, add --follow")
        }
        if until != nil, follow { throw ValidationError("--until and --follow cannot be used together") }
        _ = try range(now: 0)
        try Self.check(journal: journal)
    }

    /// --journal DIR, here and on the screen: an empty one is a mistake, not the current directory.
    static func check(journal: String?) throws {
        if journal?.isEmpty == true { throw ValidationError("empty --journal") }
    }

    /// --since and --until as times; nil without --since.
    func range(now: Double) throws -> (since: Double, until: Double)? {
        guard let since else { return nil }
        guard let from = TimeArgument.parse(since, now: now) else {
            throw ValidationError("invalid --since '\(since)': \(TimeArgument.expected)")
        }
        var to = now
        if let until {
            guard let time = TimeArgument.parse(until, now: now) else {
                throw ValidationError("invalid --until '\(until)': \(TimeArgument.expected)")
            }
            to = time
        }
        return (from, to)
    }

    var directory: String { journal ?? JournalDirectory.defaultPath() }

    var recorderOptions: Recorder.Options {
        Recorder.Options(retention: Retention(keepDays: journalKeepDays ?? 14, maxMegabytes: journalMaxMb ?? 256), everything: journalAll)
    }
}
