import Testing
@testable import Supervisor

@Suite struct RunOptionsTests {
    @Test func durations() {
        #expect(DurationText.seconds("500ms") == 0.5)
        #expect(DurationText.seconds("0.4s") == 0.4)
        #expect(DurationText.seconds("10s") == 10)
        #expect(DurationText.seconds("2m") == 120)
        #expect(DurationText.seconds("3") == 3)
        for bad in ["", "s", "-1s", "1e3", "inf", "nan", ".", "1.2.3s", "+1s", "2d", "25h"] {
            #expect(DurationText.seconds(bad) == nil, "\(bad)")
        }
    }
}
