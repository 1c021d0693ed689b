/// The task counts in words, as htop's Tasks meter says them: userland processes, their threads
/// besides the main ones, kernel threads. The screen's header and `--once`'s summary both print
/// these parts, so that the same tree never reads as "90 total ... 69 threads" in one and
/// "Tasks: 27, 42 thr" in the other.
extension TaskCounts {
    /// One piece of a line: a label, or a figure the screen highlights.
    public struct Part: Sendable, Equatable {
        public var text: String
        public var isFigure: Bool
        /// A figure worth a warning colour when it is not zero (zombies, stopped, disk sleep).
        public var warnsWhenNotZero: Bool

        init(_ text: String, figure: Bool = false, warns: Bool = false) {
            self.text = text
            isFigure = figure
            warnsWhenNotZero = warns
        }
    }

    /// Processes that are not kernel threads.
    public var userlandProcesses: Int { total - kernelThreads }

    /// Userland threads besides each process's main thread.
    public var extraThreads: Int { max(0, threads - userlandProcesses) }

    /// "Tasks: 27, 42 thr, 63 kthr; 1 running".
    public var tasksLine: [Part] {
        [
            Part("Tasks: "), Part(String(userlandProcesses), figure: true), Part(", "), Part(String(extraThreads), figure: true),
            Part(" thr, "), Part(String(kernelThreads), figure: true), Part(" kthr; "), Part(String(running), figure: true),
            Part(" running"),
        ]
    }

    /// "Zombie: 9  Stopped: 0  Disk sleep: 0".
    public var statesLine: [Part] {
        [
            Part("Zombie: "), Part(String(zombie), figure: true, warns: true),
            Part("  Stopped: "), Part(String(stopped), figure: true, warns: true),
            Part("  Disk sleep: "), Part(String(diskSleep), figure: true, warns: true),
        ]
    }

    /// A line's text.
    public static func text(_ parts: [Part]) -> String { parts.map(\.text).joined() }
}
