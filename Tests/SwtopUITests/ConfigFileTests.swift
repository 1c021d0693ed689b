import Glibc
import ProcessModel
import Testing
@testable import SwtopUI

/// The settings file's parser and writer (pure), and its store (real files in a scratch directory).
struct ConfigFileTests {
    static func parse(_ text: String) -> (values: ConfigValues, problems: [ConfigProblem]) {
        ConfigFile.parse(Array(text.utf8), isColumn: { Column.named($0) != nil }, isSortKey: { Column.named($0)?.sort != nil })
    }

    @Test func everyKeyWithExactValues() {
        let (v, problems) = Self.parse("""
            # a comment
              columns = pid, user ,cpu,command
            sort_key=RSS
            sort_inverted=1
            tree_view=yes

            hide_kernel_threads=0
            hide_userland_threads=false
            highlight_changes=off
            highlight_seconds=7
            delay=25
            color=0
            """)
        #expect(problems == [])
        #expect(v.columns == ["pid", "user", "cpu", "command"])
        #expect(v.sortKey == "rss")
        #expect(v.sortInverted == true)
        #expect(v.treeView == true)
        #expect(v.hideKernelThreads == false)
        #expect(v.hideUserlandThreads == false)
        #expect(v.highlightChanges == false)
        #expect(v.highlightSeconds == 7)
        #expect(v.delayTenths == 25)
        #expect(v.color == false)
    }

    @Test func badLinesAreNamedAndTheRestApplies() {
        let (v, problems) = Self.parse("delay=20\ncolour=1\ncolumns=pid,bogus\njust words\nhighlight_seconds=0\ntree_view=maybe\nsort_key=pid\r\ndelay=99999999999999999999\n")
        #expect(v.delayTenths == 20)
        #expect(v.sortKey == "pid")
        #expect(v.columns == nil)
        #expect(v.highlightSeconds == nil)
        #expect(v.treeView == nil)
        #expect(problems == [
            ConfigProblem(line: 2, message: "unknown key 'colour'"),
            ConfigProblem(line: 3, message: "columns: unknown column 'bogus'"),
            ConfigProblem(line: 4, message: "expected key=value, found 'just words'"),
            ConfigProblem(line: 5, message: "highlight_seconds: expected a whole number from 1 to 3600, found '0'"),
            ConfigProblem(line: 6, message: "tree_view: expected 0 or 1, found 'maybe'"),
            ConfigProblem(line: 8, message: "delay: expected a whole number from 1 to 36000, found '99999999999999999999'"),
        ])
    }

    @Test func controlCharactersAndInvalidUTF8AreEscapedInMessages() {
        let bytes: [UInt8] = Array("k\u{1b}[2J=1\n".utf8) + [0x64, 0x65, 0x6c, 0x61, 0x79, 0x3d, 0xff, 0x0a] + Array("columns=pid,pid\n".utf8)
        let (_, problems) = ConfigFile.parse(bytes, isColumn: { $0 == "pid" }, isSortKey: { _ in true })
        #expect(problems == [
            ConfigProblem(line: 1, message: "unknown key 'k\\x1b[2J'"),
            ConfigProblem(line: 2, message: "not UTF-8 text"),
            ConfigProblem(line: 3, message: "columns: 'pid' is listed twice"),
        ])
    }

    @Test func settingsFromValuesKeepTheCommandLastAndIgnoreWhatIsAbsent() {
        let (settings, problems) = ScreenSettings.parse(Array("columns=command,pid,res\ndelay=5\n".utf8))
        #expect(problems == [])
        #expect(settings.columns.map(\.id) == ["pid", "rss", "command"])
        #expect(settings.delayTenths == 5)
        #expect(settings.sortKey == .cpu)
        #expect(settings.hideKernelThreads)
        #expect(settings.color)
    }

    @Test func anEmptyFileBecomesTheHeaderAndEveryKey() {
        let text = String(decoding: ConfigFile.updated([], with: ScreenSettings().values), as: UTF8.self)
        #expect(text == ConfigFile.header + """
            columns=pid,user,priority,nice,vsz,rss,state,threads,cpu,mem,time,command
            sort_key=cpu
            sort_inverted=0
            tree_view=0
            hide_kernel_threads=1
            hide_userland_threads=1
            highlight_changes=1
            highlight_seconds=3
            delay=15
            color=1

            """)
    }

    @Test func savingKeepsTheUsersCommentsOrderAndLineEnds() {
        var values = ConfigValues()
        values.delayTenths = 30
        values.treeView = true
        values.color = false
        let original = "# mine\r\ndelay=10\r\n\n  tree_view = 0   \ndelay=12\n# end"
        let text = String(decoding: ConfigFile.updated(Array(original.utf8), with: values), as: UTF8.self)
        #expect(text == "# mine\r\ndelay=10\r\n\ntree_view=1\ndelay=30\n# end\ncolor=0\n")
        // What was written reads back as the values.
        #expect(Self.parse(text).values == values)
    }

    @Test func theCommandLineIsNotSavedUnlessChangedDuringTheRun() {
        var file = ScreenSettings()
        file.delayTenths = 20
        file.sortKey = .mem
        var commandLine = file
        commandLine.delayTenths = 5
        commandLine.sortKey = .pid
        commandLine.tree = true
        var final = commandLine
        // During the run the user turned the tree off and hid a column.
        final.tree = false
        final.columns.removeAll { $0 == .nice }
        let saved = ScreenSettings.saved(final: final, file: file, commandLine: commandLine, overridden: [.delay, .sort, .tree])
        #expect(saved.delayTenths == 20)
        #expect(saved.sortKey == .mem)
        #expect(saved.tree == false)
        #expect(!saved.columns.contains(.nice))
    }

    @Test func xdgPathRules() {
        func path(_ env: [String: String]) -> String? { ConfigStore.defaultPath(environment: { env[$0] }) }
        #expect(path(["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/a"]) == "/x/cfg/swtop/swtoprc")
        #expect(path(["XDG_CONFIG_HOME": "relative", "HOME": "/home/a"]) == "/home/a/.config/swtop/swtoprc")
        #expect(path(["HOME": "/"]) == "/.config/swtop/swtoprc")
    }
}

/// ConfigStore on real files.
struct ConfigStoreTests {
    /// A fresh directory, removed after the test.
    final class Scratch {
        let path: String
        init() {
            var template = Array("/tmp/swtop-config-test-XXXXXX".utf8CString)
            path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)) }
        }
        deinit {
            chmod(path, 0o700)
            _ = system("rm -rf '\(path)'")
        }
    }

    static func contents(_ path: String) -> [UInt8]? {
        if case .bytes(let b) = ConfigStore(path: path).read() { return b }
        return nil
    }

    @Test func firstSaveCreatesTheDirectoriesAndTheFile() throws {
        let dir = Scratch()
        let store = ConfigStore(path: dir.path + "/a/swtop/swtoprc")
        #expect(store.read() == .missing)
        try store.save(Array("delay=3\n".utf8), replacing: nil)
        #expect(Self.contents(store.path) == Array("delay=3\n".utf8))
        var st = stat()
        #expect(stat(dir.path + "/a/swtop", &st) == 0 && st.st_mode & 0o777 == 0o700)
        // No temporary file is left beside it.
        #expect(try listing(dir.path + "/a/swtop") == ["swtoprc"])
    }

    @Test func aFileChangedWhileRunningIsNotOverwritten() throws {
        let dir = Scratch()
        let store = ConfigStore(path: dir.path + "/swtoprc")
        try store.save(Array("delay=3\n".utf8), replacing: nil)
        let edited = Array("delay=4\n# edited meanwhile\n".utf8)
        try store.save(edited, replacing: Array("delay=3\n".utf8))
        #expect(throws: ConfigStore.SaveError.self) { try store.save(Array("delay=9\n".utf8), replacing: Array("delay=3\n".utf8)) }
        #expect(Self.contents(store.path) == edited)
    }

    @Test func aSymbolicLinkStaysALinkAndItsTargetIsWritten() throws {
        let dir = Scratch()
        let target = dir.path + "/dotfiles-swtoprc"
        let store = ConfigStore(path: dir.path + "/swtoprc")
        try ConfigStore(path: target).save(Array("delay=3\n".utf8), replacing: nil)
        #expect(symlink(target, store.path) == 0)
        try store.save(Array("delay=5\n".utf8), replacing: Array("delay=3\n".utf8))
        var st = stat()
        #expect(lstat(store.path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK)
        #expect(Self.contents(target) == Array("delay=5\n".utf8))
    }

    /// Under `sudo -E`, root saves through the user's link: not when the link leads to a file of
    /// someone else's (issue 17, item 10).
    @Test(.enabled(if: geteuid() == 0, "needs root: files of other users"))
    func aLinkToAnotherUsersFileIsNotWrittenThrough() throws {
        let dir = Scratch()
        let other = dir.path + "/other-users-file"
        let original = Array("delay=3\n".utf8)
        try ConfigStore(path: other).save(original, replacing: nil)
        #expect(chown(other, 65534, 65534) == 0 && chmod(other, 0o600) == 0)
        let store = ConfigStore(path: dir.path + "/swtoprc")
        #expect(symlink(other, store.path) == 0 && lchown(store.path, 1000, 1000) == 0)
        #expect(throws: ConfigStore.SaveError(description: "\(store.path) links to a file of uid 65534, not the link's owner (uid 1000); not written")) {
            try store.save(Array("delay=5\n".utf8), replacing: original)
        }
        #expect(Self.contents(other) == original)
        var st = stat()
        #expect(stat(other, &st) == 0 && st.st_uid == 65534 && st.st_mode & 0o777 == 0o600)
        #expect(try listing(dir.path) == ["other-users-file", "swtoprc"])
    }

    /// Root saving a user's file (their own link to it, or the file itself) leaves it theirs,
    /// with its mode.
    @Test(.enabled(if: geteuid() == 0, "needs root: files of other users"))
    func savingAsRootKeepsTheOwnerAndMode() throws {
        let dir = Scratch()
        let dotfile = dir.path + "/dotfiles-swtoprc"
        try ConfigStore(path: dotfile).save(Array("delay=3\n".utf8), replacing: nil)
        #expect(chown(dotfile, 65534, 65534) == 0 && chmod(dotfile, 0o640) == 0)
        let store = ConfigStore(path: dir.path + "/swtoprc")
        #expect(symlink(dotfile, store.path) == 0 && lchown(store.path, 65534, 65534) == 0)
        try store.save(Array("delay=5\n".utf8), replacing: Array("delay=3\n".utf8))
        try ConfigStore(path: dotfile).save(Array("delay=7\n".utf8), replacing: Array("delay=5\n".utf8))
        #expect(Self.contents(dotfile) == Array("delay=7\n".utf8))
        var st = stat()
        #expect(lstat(dotfile, &st) == 0 && st.st_uid == 65534 && st.st_gid == 65534 && st.st_mode & 0o7777 == 0o640)
        #expect(lstat(store.path, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK)
    }

    @Test(.enabled(if: geteuid() != 0, "root writes into a read-only directory anyway"))
    func aReadOnlyDirectoryFailsWithAMessage() throws {
        let dir = Scratch()
        #expect(chmod(dir.path, 0o500) == 0)
        let store = ConfigStore(path: dir.path + "/swtop/swtoprc")
        #expect(throws: ConfigStore.SaveError.self) { try store.save(Array("delay=3\n".utf8), replacing: nil) }
    }

    @Test func anUnreadableFileIsReportedAndNeverWritten() throws {
        let dir = Scratch()
        // A directory where the file should be: unreadable as a file, for root too.
        #expect(mkdir(dir.path + "/swtoprc", 0o755) == 0)
        let loaded = LoadedConfig(store: ConfigStore(path: dir.path + "/swtoprc"))
        #expect(!loaded.writable)
        #expect(loaded.report == "Settings not read: \(dir.path)/swtoprc: Is a directory (defaults used; file kept as is)")
        #expect(loaded.save(ScreenSettings()) == nil)
    }

    @Test func aMalformedLineIsReportedOnceAndTheFileIsKeptByteForByte() throws {
        let dir = Scratch()
        let path = dir.path + "/swtoprc"
        let original = Array("delay=20\ncolumns=pid,nosuch\nbad line\n".utf8)
        try ConfigStore(path: path).save(original, replacing: nil)
        let loaded = LoadedConfig(store: ConfigStore(path: path))
        #expect(loaded.settings.delayTenths == 20)
        #expect(loaded.report == "\(path):2: columns: unknown column 'nosuch' (+1 more) (ignored; file kept as is)")
        var changed = loaded.settings
        changed.tree = true
        #expect(loaded.save(changed) == nil)
        #expect(Self.contents(path) == original)
    }

    func listing(_ path: String) throws -> [String] {
        guard let d = opendir(path) else { return [] }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

extension ConfigStoreTests {
    /// A FIFO where the file should be would block a plain open: it is refused at once instead.
    @Test func aFIFOIsNotReadAndDoesNotHang() throws {
        let dir = Scratch()
        let path = dir.path + "/swtoprc"
        #expect(mkfifo(path, 0o644) == 0)
        #expect(ConfigStore(path: path).read() == .unreadable("not a regular file"))
        let loaded = LoadedConfig(store: ConfigStore(path: path))
        #expect(!loaded.writable)
    }
}
