/// What `/proc/PID/environ` still holds. The file is the memory the environment was given in at
/// exec, not the environment itself: a program that sets its title (nginx, postgres, sshd:
/// setproctitle) moves its environment elsewhere and writes the title over that area, the rest
/// NULs. Read as NUL-separated entries, such an area is a piece of the title and a thousand
/// empty strings.
public struct EnvironmentArea: Sendable, Equatable {
    /// The entries that are not empty, in order.
    public var entries: [[UInt8]]
    /// Empty entries, left out of `entries`.
    public var emptyEntries: Int
    /// Entries that are not KEY=VALUE pairs: a title, or what is left of one.
    public var otherEntries: Int

    /// - Parameter raw: the file's NUL-separated entries (ProcCmdline.parse).
    public init(_ raw: [[UInt8]]) {
        entries = []
        emptyEntries = 0
        otherEntries = 0
        for entry in raw {
            if entry.isEmpty {
                emptyEntries += 1
            } else {
                entries.append(entry)
                // A pair has a key before its '=' (an entry that starts with '=' names nothing).
                if (entry.firstIndex(of: UInt8(ascii: "=")) ?? 0) == 0 { otherEntries += 1 }
            }
        }
    }

    /// Whether the area holds anything but KEY=VALUE pairs: the process wrote over it.
    public var isRewritten: Bool { emptyEntries > 0 || otherEntries > 0 }

    /// Says what the area holds when it is not the environment: nil when it is.
    public var note: String? {
        guard isRewritten else { return nil }
        var text = entries.count == otherEntries
            ? "the area no longer holds KEY=VALUE pairs: the process wrote over it (as setproctitle does)"
            : "not all of the area holds KEY=VALUE pairs: the process wrote over part of it (as setproctitle does)"
        if emptyEntries > 0 { text += "; \(emptyEntries) empty " + (emptyEntries == 1 ? "entry" : "entries") + " not shown" }
        return text
    }
}
