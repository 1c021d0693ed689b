import Lifecycle
import ProcessModel

extension DetailPage {
    /// A child of `swtop run`: what its state file says (attempt, phase, back-off, health). Only
    /// for a child whose parent is the swtop run that the file names (ScreenLifecycle checks).
    static func supervision(_ c: Context, _ page: inout Builder) {
        guard let key = c.entry?.key, let run = c.state.lifecycle?.supervised[key] else { return }
        page.title(.supervisor, text: "Supervised by swtop run (pid \(run.pid))")
        page.field("Attempt", "\(run.attempt) (\(run.restarts) restart\(run.restarts == 1 ? "" : "s") so far)")
        page.field("Phase", run.phase == "stopping" ? "stopping: swtop run is ending it (it is restarted after, where restarts are on)" : DisplayText.escaped(run.phase))
        if run.restartsChild {
            let policy = run.restartPolicy.map { " (--restart " + DisplayText.escaped($0) + ")" } ?? ""
            page.field("Back-off", LifecycleEvent.duration(run.backoff) + ": the wait before a restart, should it end now" + policy)
        } else {
            page.field("Restarts", "none: --restart no")
        }
        if let due = run.restartAt {
            page.field("Next restart", clockTime(due) + " (in " + LifecycleEvent.duration(max(0, due - c.state.now)) + ")")
        }
        let role: Role = run.unhealthy ? .taskWarning : .normal
        page.field("Health", run.healthWords ?? "not checked (no --health or --health-cmd)", role: role)
        if let check = run.health { page.field("Check", DisplayText.escaped(check)) }
        if let detail = run.healthDetail { page.field("Last answer", DisplayText.escaped(detail), role: role) }
    }
}
