import ProcFS
import ProcessModel

/// The signal tracepoint's samples joined to the processes they went to (`SignalSenders`), and
/// the `signal` events told of them.
extension LifecycleMonitor {
    /// Signals the tracepoint recorded: each remembered for its target's ending; the stop
    /// requests and SIGKILLs from elsewhere returned, to be told once the batch they came in
    /// has been taken.
    /// - Parameter forks: the children forked in the same batch, with their parents (not yet
    ///   taken): a sender forked and gone before it could be read runs its parent's program, as
    ///   its parent's user, until it execs.
    func signalled(_ samples: [SignalSample], forks: [Int32: Int32] = [:]) -> [(target: Int32, signal: Int32, sender: SignalSender, time: Double)] {
        func read(_ pid: Int32) -> ProcessEntry? {
            reader.process(pid, files: .status).map { ProcessEntry(raw: $0, pageSizeKB: 4) }
        }
        return samples.flatMap { sample in
            senders.record([sample]) { pid in
                // Known, else read while it may still be there, else its parent's if it was
                // forked in this batch.
                let known = table[pid] ?? read(pid) ?? forks[pid].flatMap { table[$0] }
                // A sender that exec'd before it sent (kill(1) from a shell), the exec not yet
                // taken: named by the program it became (a real uid survives an exec).
                if let exec = table.execNames[pid], exec.time <= sample.time { return (exec.name, known?.uid) }
                return known.map { ($0.name, $0.uid) }
            }
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
