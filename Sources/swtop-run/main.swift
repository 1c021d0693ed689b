// swtop-run: `swtop run` as a small executable of its own (README, `swtop run`).
#if canImport(Glibc)
import Glibc
#endif
import Supervisor

exit(Supervisor.main(Array(CommandLine.arguments.dropFirst())))
