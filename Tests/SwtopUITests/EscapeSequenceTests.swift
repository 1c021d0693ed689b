import Testing
@testable import SwtopUI

/// What follows an Esc, byte by byte as ncurses hands it over.
@Suite struct EscapeSequenceTests {
    static func read(_ text: String) -> EscapeSequence.Outcome {
        var bytes = Array(text.unicodeScalars.map(\.value))[...]
        return EscapeSequence.read {
            guard let b = bytes.first else { return nil }
            bytes = bytes.dropFirst()
            return .character(b)
        }
    }

    @Test func homeEndPageUpAndDownInEveryCommonForm() {
        for (sequence, key) in [
            ("[H", Key.home), ("[1~", .home), ("[7~", .home), ("OH", .home), ("[1H", .home),
            ("[F", .end), ("[4~", .end), ("[8~", .end), ("OF", .end), ("[1F", .end),
            ("[5~", .pageUp), ("[6~", .pageDown), ("[A", .up), ("OB", .down), ("[3~", .delete),
        ] {
            #expect(Self.read(sequence) == .key(key), "\(sequence)")
        }
    }

    @Test func aLoneEscIsEsc() {
        #expect(Self.read("") == .escape)
    }

    /// Read to the end and dropped: nothing of it comes back as keys.
    @Test func unknownSequencesAreDroppedWhole() {
        for sequence in ["[1;5H", "[25~", "[?99[", "[[A", "[200~", "Ox", "[", "O", "a", "[1;2"] {
            #expect(Self.read(sequence) == .dropped, "\(sequence)")
        }
        // A sequence that never ends is cut at 32 bytes, not read forever.
        var count = 0
        let outcome = EscapeSequence.read {
            count += 1
            return count == 1 ? .character(0x5B) : .character(0x31)
        }
        #expect(outcome == .dropped)
        #expect(count == 1 + EscapeSequence.longest)
    }

    /// Each byte of the sequence is consumed: after "[1~" nothing is left to be read as `[`.
    @Test func theWholeSequenceIsConsumed() {
        var bytes = Array("[1~x".unicodeScalars.map(\.value))[...]
        let outcome = EscapeSequence.read {
            guard let b = bytes.first else { return nil }
            bytes = bytes.dropFirst()
            return .character(b)
        }
        #expect(outcome == .key(.home))
        #expect(Array(bytes) == [0x78])
    }
}
