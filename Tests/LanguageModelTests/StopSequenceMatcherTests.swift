import LanguageModel
import Testing

@Suite("Stop sequences")
struct StopSequenceMatcherTests {
    @Test("text that may start a stop sequence is held back, then released or cut")
    func holdsBack() {
        var matcher = StopSequenceMatcher(stops: ["\nUser:"])
        #expect(matcher.feed("Hello") == .init(text: "Hello", stopped: false))
        #expect(matcher.feed(" there\nUs") == .init(text: " there", stopped: false))
        #expect(matcher.feed("ually") == .init(text: "\nUsually", stopped: false))
        #expect(matcher.feed(" yes\nUser: hi") == .init(text: " yes", stopped: true))
    }

    @Test("the earliest of several stop sequences wins, and flush returns what was held")
    func severalStops() {
        var matcher = StopSequenceMatcher(stops: ["END", "###"])
        #expect(matcher.feed("a ### b END") == .init(text: "a ", stopped: true))
        var other = StopSequenceMatcher(stops: ["END"])
        #expect(other.feed("the EN") == .init(text: "the ", stopped: false))
        #expect(other.flush() == "EN")
        var none = StopSequenceMatcher(stops: [])
        #expect(none.feed("anything") == .init(text: "anything", stopped: false))
    }
}
