import Testing

@testable import Tokenizers

@Suite("ByteLevelAlphabet")
struct ByteLevelAlphabetTests {
    @Test("writes printable Latin-1 as itself and the rest from U+0100, space as Ġ and newline as Ċ")
    func mapsBytes() {
        let scalars = ByteLevelAlphabet.scalars
        #expect(scalars.count == 256 && Set(scalars).count == 256)
        #expect(scalars[0x20] == "Ġ" && scalars[0x0A] == "Ċ" && scalars[0x00] == "Ā")
        #expect(scalars[0x41] == "A" && scalars[0xE9] == "é" && scalars[0xAD] == "\u{143}")
    }

    @Test("maps every character back to its byte, and nothing else to a byte")
    func mapsBack() {
        for byte in 0..<256 {
            #expect(ByteLevelAlphabet.byte(for: ByteLevelAlphabet.scalars[byte]) == UInt8(byte))
        }
        #expect(ByteLevelAlphabet.byte(for: " ") == nil)
        #expect(ByteLevelAlphabet.byte(for: "\u{144}") == nil)
        #expect(ByteLevelAlphabet.byte(for: "€") == nil)
    }
}
