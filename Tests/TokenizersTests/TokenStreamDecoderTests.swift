import Testing

@testable import Tokenizers

@Suite("TokenStreamDecoder")
struct TokenStreamDecoderTests {
    @Test("streams every reference string token by token to exactly its text, never a broken character")
    func streamsReferenceStrings() throws {
        let tokenizer = try SmolLM2.tokenizer()
        var heldBack = 0
        for reference in try SmolLM2.reference().strings {
            var decoder = TokenStreamDecoder(tokenizer: tokenizer, skipSpecial: false)
            var text = ""
            for id in reference.ids {
                let piece = decoder.append(id)
                #expect(!piece.unicodeScalars.contains("\u{FFFD}"), "\(reference.text.debugDescription)")
                if piece.isEmpty { heldBack += 1 }
                text += piece
            }
            text += decoder.finish()
            #expect(text == reference.text)
        }
        // 'emoji 😀 test' is 'ĠðŁĺ' + 'Ģ': the first token ends inside the emoji and must be held back.
        #expect(heldBack > 0)
    }

    @Test("holds back an unfinished character until the token that completes it")
    func holdsBackSplitCharacter() throws {
        let tokenizer = try SmolLM2.tokenizer()
        var decoder = TokenStreamDecoder(tokenizer: tokenizer)
        #expect(decoder.append(33777) == "oji")
        #expect(decoder.append(40303) == " ")
        #expect(decoder.append(218) == "😀")
        #expect(decoder.finish() == "")
    }

    @Test("finish gives an unfinished character as U+FFFD, and leaves control tokens out by default")
    func finishesWithReplacement() throws {
        let tokenizer = try SmolLM2.tokenizer()
        var decoder = TokenStreamDecoder(tokenizer: tokenizer)
        #expect(decoder.append(1) == "")
        #expect(decoder.append(40303) == " ")
        #expect(decoder.finish() == "\u{FFFD}")
        #expect(decoder.finish() == "")
        // Dropped instead, the unfinished character leaves nothing behind.
        #expect(decoder.append(40303) == " ")
        decoder.dropUnfinished()
        #expect(decoder.finish() == "")
    }

    @Test(
        "finds where the last whole character ends",
        arguments: [
            ([], 0), ([0x41], 1), ([0xC3], 0), ([0x41, 0xC3], 1), ([0xC3, 0xA9], 2), ([0xF0, 0x9F, 0x98], 0),
            ([0xF0, 0x9F, 0x98, 0x80], 4), ([0x80], 1), ([0x80, 0x80, 0x80, 0x80], 4), ([0xE0, 0x80], 2),
            ([0xED, 0xA0], 2), ([0xF4, 0x90], 2), ([0xF5], 1), ([0xFF], 1), ([0xE2, 0x82], 0),
        ] as [([UInt8], Int)])
    func completePrefix(bytes: [UInt8], expected: Int) {
        #expect(TokenStreamDecoder.completePrefixLength(of: bytes) == expected)
    }
}
