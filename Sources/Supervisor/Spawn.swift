#if canImport(Glibc)
import Glibc
#endif

/// Starts a program as a child of this process, with posix_spawn (vfork and exec: no copy of
/// this process's memory, which matters for an init whose peak RSS counts).
enum Spawn {
    /// How the child starts.
    struct Setup {
        /// Its own process group (pgid = its pid).
        var newGroup = false
        /// stdin, stdout and stderr to /dev/null instead of this process's.
        var quiet = false
    }

    /// The child's pid, or the errno of the spawn (ENOENT: no such program; EACCES: not
    /// executable). The child starts with no signal blocked and every signal at its default
    /// action, whatever this process blocks for its signalfd.
    static func start(_ arguments: [String], _ setup: Setup) -> Result<Int32, SpawnFailure> {
        guard let program = arguments.first else { return .failure(SpawnFailure(call: "posix_spawnp", errno: ENOENT)) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)
        if setup.newGroup {
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if setup.quiet {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }

        var cStrings: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        defer { for s in cStrings { free(s) } }
        cStrings.append(nil)
        var pid: pid_t = 0
        let rc = cStrings.withUnsafeMutableBufferPointer { argv -> Int32 in
            guard let base = argv.baseAddress else { return ENOMEM }
            return posix_spawnp(&pid, program, &actions, &attributes, base, environ)
        }
        return rc == 0 ? .success(pid) : .failure(SpawnFailure(call: "posix_spawnp", errno: rc))
    }
}
