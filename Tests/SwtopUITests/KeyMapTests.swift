import Testing
@testable import SwtopUI

@Suite struct KeyMapTests {
    @Test func htopKeys() {
        let expected: [(Key, Action)] = [
            (.up, .moveUp), (.down, .moveDown), (.pageUp, .pageUp), (.pageDown, .pageDown),
            (.home, .home), (.end, .end),
            (.function(1), .help), (.character("h"), .help), (.character("?"), .help),
            (.function(3), .startSearch), (.character("/"), .startSearch), (.character("n"), .searchNext),
            (.function(4), .startFilter), (.character("\\"), .startFilter),
            (.function(5), .toggleTree), (.character("t"), .toggleTree),
            (.character("+"), .expandBranch), (.character("-"), .collapseBranch), (.character("*"), .toggleAllBranches),
            (.function(6), .chooseSort), (.character("<"), .chooseSort), (.character(">"), .chooseSort), (.character(","), .chooseSort), (.character("."), .chooseSort),
            (.character("P"), .sortBy(.cpu)), (.character("M"), .sortBy(.mem)), (.character("T"), .sortBy(.time)),
            (.character("N"), .sortBy(.pid)), (.character("I"), .invertSort),
            (.character("u"), .chooseUser), (.character("H"), .toggleUserThreads), (.character("K"), .toggleKernelThreads),
            (.character("F"), .follow), (.character(" "), .tag), (.character("c"), .tagWithChildren),
            (.character("U"), .untagAll), (.character("Z"), .pause), (.control("l"), .redraw),
            (.function(10), .quit), (.character("q"), .quit),
        ]
        for (key, action) in expected {
            #expect(KeyMap.action(for: key) == action, "\(key)")
        }
    }

    @Test func processControlKeys() {
        #expect(KeyMap.action(for: .function(7)) == .niceLower)
        #expect(KeyMap.action(for: .character("]")) == .niceLower)
        #expect(KeyMap.action(for: .function(8)) == .niceRaise)
        #expect(KeyMap.action(for: .character("[")) == .niceRaise)
        #expect(KeyMap.action(for: .function(9)) == .signalMenu)
        #expect(KeyMap.action(for: .character("k")) == .signalMenu)
        #expect(KeyMap.action(for: .character("r")) == .setNice)
        #expect(KeyMap.action(for: .character("L")) == .limits)
    }

    @Test func unknownKeysDoNothing() {
        #expect(KeyMap.action(for: .character("x")) == .none)
        #expect(KeyMap.action(for: .function(12)) == .none)
    }
}
