import ProcFS
import ProcessModel

/// The signal tracepoint's samples joined to the processes they went to (`SignalSenders`), and
/// the `signal` events told of them.
extension LifecycleMonitor {
    /// Signals the tracepoint recorded: each remembered for its target's ending; the stop
    /// requests and SIGKILLs from elsewhere returned, to be told once the batch they came in
    /// has been taken.
    func signalled(_ samples: [SignalSample]) -> [(target: Int32, signal: Int32, sender: SignalSender, time: Double)] {
        senders.record(samples) { pid in
            if let entry = table[pid] { return (entry.name, entry.uid) }
            // Not followed (yet): read it while it may still be there.
            guard let raw = reader.process(pid, files: .status) else { return nil }
            let entry = ProcessEntry(raw: raw, pageSizeKB: 4)
            return (entry.name, entry.uid)
        }
    }

    /// `signal` events, told after the batch the signals came in: a target forked in the same
    /// batch is known by then, and one that ended in it is known as it ended.
    func tell(_ signals: [(target: Int32, signal: Int32, sender: SignalSender, time: Double)]) -> [LifecycleEvent] {
        var events: [LifecycleEvent] = []
        // The signals this swtop sent (the screen's stops) are told by their ending, and those
        // it got by how it stops.
        for signal in signals where signal.sender.pid != Self.ownPID && signal.target != Self.ownPID {
            let entry = table[signal.target] ?? dead.first { $0.key.id == signal.target }?.value.entry
                ?? ProcessTable.unknownEntry(pid: signal.target, ppid: 0)
            let kind = LifecycleEvent.Kind.signal(signal: signal.signal, sender: signal.sender)
            told.add(LifecycleEvent(time: signal.time, process: told.facts(entry), kind: kind), into: &events)
        }
        return events
    }
}
