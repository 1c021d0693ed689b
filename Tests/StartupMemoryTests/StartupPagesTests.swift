import Foundation
import Testing
import TestSupport
@testable import StartupMemory

@Suite struct PageMapEntryTests {
    @Test func flagsAreBits63And61() {
        // Present, a page of the file's cache (a frame number in the low bits, as root sees it).
        #expect(PageMapEntry(bits: 1 << 63 | 1 << 61 | 0x1234).isUnchangedFilePage)
        // Present, anonymous: a private copy the process wrote.
        let written = PageMapEntry(bits: 1 << 63 | 0x1234)
        #expect(written.isPresent && !written.isFilePage && !written.isUnchangedFilePage)
        // Swapped out (bit 62) is not present.
        #expect(!PageMapEntry(bits: 1 << 62 | 1 << 61).isUnchangedFilePage)
        // Never touched.
        #expect(!PageMapEntry(bits: 0).isPresent && !PageMapEntry(bits: 0).isFilePage && !PageMapEntry(bits: 0).isUnchangedFilePage)
        // File bit without present: not mapped here, nothing to give back.
        #expect(!PageMapEntry(bits: 1 << 61).isUnchangedFilePage)
    }

    @Test func runsCoverOnlyUnchangedFilePages() {
        let file = PageMapEntry(bits: 1 << 63 | 1 << 61)
        let written = PageMapEntry(bits: 1 << 63)
        let absent = PageMapEntry(bits: 0)
        let runs = StartupPages.unchangedFileRuns([file, file, written, absent, file, file, file],
                                                  from: 0x7000_0000, pageSize: 0x1000)
        #expect(runs == [0x7000_0000..<0x7000_2000, 0x7000_4000..<0x7000_7000])
        #expect(StartupPages.unchangedFileRuns([written, absent], from: 0x1000, pageSize: 0x1000) == [])
        #expect(StartupPages.unchangedFileRuns([], from: 0x1000, pageSize: 0x1000) == [])
    }
}

@Suite struct MappingTests {
    @Test func parsesMapsLines() {
        let text = """
            55b0862ce000-55b0864ca000 r--p 00000000 fe:00 5317197                    /opt/swtop/bin/swtop
            55b0864ca000-55b086e59000 r-xp 001fb000 fe:00 5317197                    /opt/swtop/bin/swtop
            55b09b346000-55b09b6d0000 rw-p 00000000 00:00 0                          [heap]
            7f1c2a000000-7f1c2a021000 rw-p 00000000 00:00 0 
            7f1c2b000000-7f1c2b001000 rw-s 00000000 00:05 1234                       /dev/shm/a b (deleted)
            not a mapping line
            ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
            """
        let maps = Mapping.parse(text)
        #expect(maps == [
            Mapping(start: 0x55b0862ce000, end: 0x55b0864ca000, permissions: "r--p", path: "/opt/swtop/bin/swtop"),
            Mapping(start: 0x55b0864ca000, end: 0x55b086e59000, permissions: "r-xp", path: "/opt/swtop/bin/swtop"),
            Mapping(start: 0x55b09b346000, end: 0x55b09b6d0000, permissions: "rw-p", path: "[heap]"),
            Mapping(start: 0x7f1c2a000000, end: 0x7f1c2a021000, permissions: "rw-p", path: ""),
            Mapping(start: 0x7f1c2b000000, end: 0x7f1c2b001000, permissions: "rw-s", path: "/dev/shm/a b (deleted)"),
            Mapping(start: 0xffffffffff600000, end: 0xffffffffff601000, permissions: "--xp", path: "[vsyscall]"),
        ])
        #expect(maps.map(\.isPrivate) == [true, true, true, true, false, true])
    }

    @Test func onlyPrivateReadOnlyFileMappingsMayBeGivenBack() {
        let maps = Mapping.parse("""
            1000-2000 r--p 00000000 fe:00 1 /usr/bin/swtop
            2000-3000 r-xp 00001000 fe:00 1 /usr/bin/swtop
            3000-4000 rw-p 00002000 fe:00 1 /usr/bin/swtop
            4000-5000 -w-p 00003000 fe:00 1 /usr/bin/swtop
            5000-6000 r--s 00000000 00:05 2 /dev/shm/x
            6000-7000 r--p 00000000 00:00 0 [vvar]
            7000-8000 r--p 00000000 00:00 0 
            """)
        #expect(maps.map(\.isWritable) == [false, false, true, true, false, false, false])
        #expect(maps.map(\.mayGiveBack) == [true, true, false, false, false, false, false])
    }

    @Test func skipsLinesWithoutTheFormat() {
        #expect(Mapping.parse("") == [])
        #expect(Mapping.parse("7000-6000 r--p 0 00:00 0 /x\n7000-8000 r-p 0 00:00 0 /x\nzz-8000 r--p 0 00:00 0 /x\n7000-8000 r--p") == [])
    }
}

/// In a child, whose mappings are known: the give-back covers the whole process.
@Suite struct GiveBackTests {
    @Test func unmapsReadOnlyFilePagesAndNeverWritableOnes() throws {
        let directory = Paths.temporaryDirectory("give-back")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let path = directory + "/two-pages"
        try Data([UInt8](repeating: 0x41, count: page) + [UInt8](repeating: 0x42, count: page)).write(to: URL(fileURLWithPath: path))

        let result = try run(Paths.testee, ["give-back", path])
        #expect(result.status == 0)
        // The read-only mapping's two pages, read, are given back (its Rss falls to 0) and read
        // the file again. The writable mapping is not in what was decided, though its pages were
        // the file's own then: its second page, written after the page map was read, keeps its
        // byte (33, not the file's 66) and stays (Anonymous), and the first stays mapped too.
        // Anonymous, not Private_Dirty: the file's own pages count as dirty until written back.
        let kb = page / 1024
        let readOnly = "read-only \(2 * kb) 0 -> 0 0 covered true"
        let writable = "writable \(2 * kb) 0 -> \(2 * kb) \(kb) covered false"
        // The sum of the bytes read before (65 66 65 66) and after.
        #expect(result.stdoutText == "\(readOnly); \(writable); given true; bytes 65 66 65 33 sum 491\n")
    }
}

/// In a child, whose heap holds only what it allocates: blocks freed under one still in use stay
/// resident until FreeHeap gives them back.
@Suite struct FreeHeapTests {
    @Test func givesBackWhatABurstFreedOnce() throws {
        let result = try run(Paths.testee, ["free-heap"])
        #expect(result.status == 0)
        #expect(result.stdoutText == "before the frees false; after true; again false; at least 4 MB back true\n")
    }
}
