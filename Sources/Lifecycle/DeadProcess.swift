import ProcFS
import ProcessModel

extension LifecycleMonitor {
    /// A process that died and has not yet vanished from /proc (a zombie, or not yet reaped).
    struct Dead {
        var entry: ProcessEntry
        var deathTime: Double
        var reported: Bool
        var zombieReported = false
        /// The judgement made at the death, for a SIGKILL: an OOM kill.
        var oomAtDeath = false
        /// How it ended, once reported.
        var outcome = Outcome.unknown
        /// Its exit as told, once reported (nil for a death older than swtop's watch).
        var record: ExitRecord? {
            get { told?.record }
            set { told = newValue.map(Told.init) }
        }
        /// Boxed: a record is 264 bytes, and 5,000 processes killed at once are 5,000 of these.
        private var told: Told?

        init(entry: ProcessEntry, deathTime: Double, reported: Bool, outcome: Outcome = .unknown, record: ExitRecord? = nil) {
            self.entry = entry
            self.deathTime = deathTime
            self.reported = reported
            self.outcome = outcome
            self.record = record
        }

        private final class Told {
            let record: ExitRecord
            init(_ record: ExitRecord) { self.record = record }
        }
    }
}
