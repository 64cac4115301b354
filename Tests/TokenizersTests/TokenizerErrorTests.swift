import Testing

@testable import Tokenizers

@Suite("TokenizerError")
struct TokenizerErrorTests {
    @Test(
        "names the file and says what to do",
        arguments: [
            TokenizerError.fileNotFound(path: "/m/tokenizer.json"),
            .unreadable(path: "/m/tokenizer.json", reason: "not valid JSON: expected ':' at byte 5"),
            .unsupported(path: "/m/tokenizer.json", field: "model.type", found: "BPE"),
            .missingToken(path: "/m/tokenizer.json", token: "[CLS]"),
        ])
    func descriptions(error: TokenizerError) {
        #expect(error.description.contains("/m/tokenizer.json"))
        #expect(error.description.contains(";"), "no hint in: \(error.description)")
    }

    @Test("tells a missing file to run make models")
    func makeModels() {
        #expect(TokenizerError.fileNotFound(path: "/m").description.contains("make models"))
    }
}
