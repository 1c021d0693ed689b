/// What needs a look: everything but the clean exits. On a busy machine short shell pipelines
/// and cron jobs end by the hundred a minute with exit 0; shown, they push the SIGKILL, the
/// crash loop and the orphan out of sight. The screen's E view and the human `swtop events`
/// hide clean exits by default (`a` and `--all` bring them back); `--json` and the journal
/// decide for themselves.
extension ExitRecord {
    /// Exit code 0, and nobody asked it to stop (neither swtop nor another process, nor a
    /// signal's sender). A crash loop counts abnormal ends only, so a clean exit is never part
    /// of one.
    public var isClean: Bool {
        outcome == .exited(code: 0) && stoppedBySwtop == nil && stop == nil && sentBy == nil
    }
}

extension LifecycleEvent {
    /// False only for a clean exit: failures, stops, signals, zombies, orphans and crash loops
    /// all need attention (and an ending swtop could not read is not called clean).
    public var needsAttention: Bool {
        if case .exit(let record) = kind { return !record.isClean }
        return true
    }

    /// The events that need attention, in their order, and how many clean exits were left out.
    public static func needingAttention(_ events: [LifecycleEvent]) -> (shown: [LifecycleEvent], cleanExits: Int) {
        var shown: [LifecycleEvent] = []
        shown.reserveCapacity(events.count)
        for event in events where event.needsAttention { shown.append(event) }
        return (shown, events.count - shown.count)
    }
}

extension LifecycleEvent {
    /// Keeps `events` (oldest first) within `limit` by dropping the oldest clean exits first,
    /// then the oldest events: a burst of exit 0s must not push a SIGKILL or a crash loop out of
    /// the screen's last 500 (they did, within seconds, on a machine running shell pipelines).
    public static func trim(_ events: inout [LifecycleEvent], to limit: Int) {
        var excess = events.count - max(0, limit)
        guard excess > 0 else { return }
        if excess == 1 {
            // The usual case (one event added): in place, without copying (and retaining) the rest.
            if let i = events.firstIndex(where: { !$0.needsAttention }) { events.remove(at: i) } else { events.removeFirst() }
            return
        }
        var kept: [LifecycleEvent] = []
        kept.reserveCapacity(events.count - excess)
        for event in events {
            if excess > 0, !event.needsAttention {
                excess -= 1
                continue
            }
            kept.append(event)
        }
        if excess > 0 { kept.removeFirst(excess) }
        events = kept
    }
}
