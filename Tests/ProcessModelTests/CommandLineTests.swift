import Testing
@testable import ProcFS
@testable import ProcessModel

/// An entry keeps its command line as one string (each argument followed by a NUL); what comes
/// out must be exactly the arguments that went in, including empty ones and ones with spaces.
@Suite struct CommandLineTests {
    func entry(_ cmdline: [[UInt8]]?) -> ProcessEntry {
        ProcessModelTests.entry(pid: 7, cmdline: cmdline)
    }

    @Test func argumentsComeOutAsTheyWentIn() {
        let p = entry([Array("/bin/sh".utf8), Array("-c".utf8), Array("echo a  b".utf8), [], Array("x".utf8)])
        #expect(p.cmdline == ["/bin/sh", "-c", "echo a  b", "", "x"])
        #expect(p.joinedCmdline == "/bin/sh -c echo a  b  x")
        #expect(p.commandLine == "/bin/sh -c echo a  b  x")
    }

    @Test func emptyUnreadableAndOneEmptyArgumentDiffer() {
        #expect(entry([]).cmdline == [])
        #expect(entry([]).commandLine == "[p]")
        #expect(entry(nil).cmdline == nil)
        #expect(entry(nil).joinedCmdline == nil)
        #expect(entry(nil).commandLine == "[p]")
        #expect(entry([[]]).cmdline == [""])
        #expect(entry([[]]).joinedCmdline == "")
    }

    @Test func invalidUTF8IsReplacedWithinItsArgument() {
        let p = entry([[0x61, 0xFF], [0x62]])
        #expect(p.cmdline == ["a\u{FFFD}", "b"])
    }

    @Test func settingAndKeepingACommandLine() {
        var p = entry([Array("old".utf8)])
        p.cmdline = ["new", "", "args here"]
        #expect(p.cmdline == ["new", "", "args here"])
        var q = entry([Array("other".utf8)])
        q.keepCommandLine(of: p)
        #expect(q.cmdline == ["new", "", "args here"])
        #expect(p.cmdline == ["new", "", "args here"])
    }
}
