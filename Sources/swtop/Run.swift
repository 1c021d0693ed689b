import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import ProcFS

/// `swtop run`: runs swtop-run, installed beside swtop, with the same arguments. The init and
/// supervisor is a program of its own so that it starts without ncursesw (a container image
/// may have nothing but glibc) and small (README, `swtop run`); both spellings work.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a command as its init and supervisor: reap, pass signals on, restart, check health.",
        discussion: "swtop run [OPTIONS] -- COMMAND [ARGS...]; `swtop run --help` lists the options (swtop-run's)."
    )

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("swtop run's options, --, then the command.", valueName: "ARGS"))
    var arguments: [String] = []

    func run() throws {
        var exe = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &exe, exe.count - 1)
        guard n > 0 else { throw ValidationError("cannot find swtop's own path (/proc/self/exe): \(errnoText(errno))") }
        let own = String(decoding: exe[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let path = String(own[..<(own.lastIndex(of: "/") ?? own.startIndex)]) + "/swtop-run"
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) }
        argv.append(nil)
        execv(path, argv)
        let code = errno
        Output.error("cannot run \(path): \(errnoText(code))")
        throw ExitCode(code == ENOENT ? 127 : 126)
    }
}
