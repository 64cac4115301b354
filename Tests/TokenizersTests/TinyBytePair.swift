import Foundation
import Tokenizers

/// Small byte-level BPE vocabularies for tests: the 256 byte characters as ids 0…255, then extra tokens.
enum TinyBytePair {
    /// The byte characters of GPT-2's alphabet, in byte order.
    static let byteTokens: [String] = (0..<256).map { byte in
        let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
        let offset = (0..<byte).filter {
            !((0x21...0x7E).contains($0) || (0xA1...0xAC).contains($0) || (0xAE...0xFF).contains($0))
        }.count
        return String(Unicode.Scalar(printable ? UInt32(byte) : 256 + UInt32(offset))!)
    }

    /// A configuration whose ids are `byteTokens` then `extra` (text, GGUF token type).
    static func configuration(
        extra: [(String, Int)] = [],
        merges: [String] = [],
        preTokenizer: String = "gpt2",
        removing removed: Set<String> = [],
        beginningOfSequenceID: Int? = nil
    ) -> BytePairConfiguration {
        let base = byteTokens.filter { !removed.contains($0) }
        return BytePairConfiguration(
            tokens: base + extra.map(\.0), tokenTypes: Array(repeating: 1, count: base.count) + extra.map(\.1),
            merges: merges, preTokenizer: preTokenizer, beginningOfSequenceID: beginningOfSequenceID,
            source: "/tiny/model.gguf")
    }

    static func tokenizer(
        extra: [(String, Int)] = [], merges: [String] = [], preTokenizer: String = "gpt2",
        removing removed: Set<String> = [], beginningOfSequenceID: Int? = nil
    ) throws -> BytePairTokenizer {
        try BytePairTokenizer(
            configuration: configuration(
                extra: extra, merges: merges, preTokenizer: preTokenizer, removing: removed,
                beginningOfSequenceID: beginningOfSequenceID))
    }

    /// The tokens of `ids`, for readable expectations.
    static func tokens(_ ids: [Int], in tokenizer: BytePairTokenizer) -> [String] {
        ids.map { tokenizer.token(for: $0) ?? "?" }
    }
}
