import Foundation
import Testing
import Tokenizers

@Suite("BytePairTokenizer on SmolLM2")
struct BytePairTokenizerTests {
    @Test("gives llama.cpp's ids for all 42 reference strings, and decodes them back to the text")
    func matchesLlamaCpp() throws {
        let tokenizer = try SmolLM2.tokenizer()
        let strings = try SmolLM2.reference().strings
        #expect(strings.count == 42)
        for reference in strings {
            let ids = tokenizer.encode(reference.text)
            #expect(ids == reference.ids, "\(reference.text.debugDescription)")
            #expect(tokenizer.decode(ids) == reference.text)
        }
    }
}
