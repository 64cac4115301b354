import Foundation
import ModelFiles
import Testing
import Tokenizers

@Suite("BytePairConfiguration")
struct BytePairConfigurationTests {
    func vocabularyError(_ configuration: BytePairConfiguration) -> String? {
        do {
            _ = try BytePairTokenizer(configuration: configuration)
            return nil
        } catch {
            guard case .invalidVocabulary(let path, let reason) = error else { return "\(error)" }
            #expect(path == "/tiny/model.gguf")
            return reason
        }
    }

    @Test("refuses a vocabulary that contradicts itself, saying where")
    func refusesInvalidVocabularies() {
        var duplicate = TinyBytePair.configuration(extra: [("ab", 1), ("ab", 1)])
        #expect(vocabularyError(duplicate) == "token 'ab' appears twice, as ids 256 and 257")
        duplicate.tokens = []
        #expect(vocabularyError(duplicate)?.hasPrefix("has 0 tokens") == true)
        #expect(
            vocabularyError(TinyBytePair.configuration(merges: ["a zz"]))
                == "merge 0 'a zz' joins 'zz', which is not a token")
        #expect(
            vocabularyError(TinyBytePair.configuration(merges: ["a b"]))
                == "merge 0 'a b' makes 'ab', which is not a token")
        #expect(
            vocabularyError(TinyBytePair.configuration(extra: [("ab", 1)], merges: ["a b", "ab"]))
                == "merge 1 'ab' is not two tokens separated by a space")
        #expect(
            vocabularyError(TinyBytePair.configuration(beginningOfSequenceID: 999))
                == "bos_token_id 999 is outside the vocabulary of 256 tokens")
        #expect(
            vocabularyError(TinyBytePair.configuration(preTokenizer: "llama3"))
                == "add_bos_token is true, but bos_token_id is not set")
        var shortTypes = TinyBytePair.configuration()
        shortTypes.tokenTypes = [1, 1]
        #expect(vocabularyError(shortTypes) == "has 2 token types for 256 tokens")
    }

    @Test("refuses a pre-tokenizer it does not implement, listing those it does")
    func refusesUnknownPreTokenizer() {
        #expect(
            throws: TokenizerError.unsupportedValue(
                path: "/tiny/model.gguf", field: "tokenizer.ggml.pre", found: "tekken",
                supported: ["smollm", "gpt2", "qwen2", "llama3", "default"])
        ) { try TinyBytePair.tokenizer(preTokenizer: "tekken") }
    }

    @Test("reads SmolLM2's tokenizer.ggml entries")
    func readsSmolLM2() throws {
        let configuration = try BytePairConfiguration(metadata: SmolLM2.file())
        #expect(configuration.tokens.count == 49152 && configuration.tokenTypes.count == 49152)
        #expect(configuration.merges.count == 48900 && configuration.preTokenizer == "smollm")
        #expect(configuration.beginningOfSequenceID == 1 && configuration.endOfSequenceID == 2)
        #expect(configuration.unknownID == 0 && configuration.paddingID == 2)
        #expect(!configuration.addBeginningOfSequence && !configuration.addEndOfSequence)
        #expect(configuration.source == SmolLM2.modelURL.path)
    }

    @Test("a GGUF with another tokenizer model, or without merges, is an error naming the file and the key")
    func refusesOtherModels() throws {
        let folder = try TestResources.temporaryFolder()
        let llama = folder.appendingPathComponent("spm.gguf")
        try Data(MinimalGGUF.file(strings: ["tokenizer.ggml.model": "llama"])).write(to: llama)
        #expect(
            throws: TokenizerError.unsupportedValue(
                path: llama.path, field: "tokenizer.ggml.model", found: "llama", supported: ["gpt2 (byte-level BPE)"])
        ) { try BytePairConfiguration(metadata: GGUFFile(url: llama)) }

        let noMerges = folder.appendingPathComponent("no-merges.gguf")
        try Data(
            MinimalGGUF.file(strings: ["tokenizer.ggml.model": "gpt2"], stringArrays: ["tokenizer.ggml.tokens": ["a"]])
        )
        .write(to: noMerges)
        #expect(throws: ModelFileError.metadataNotFound(path: noMerges.path, key: "tokenizer.ggml.merges")) {
            try BytePairConfiguration(metadata: GGUFFile(url: noMerges))
        }
    }
}

/// Writes GGUF files with string and string-array metadata and no tensors.
enum MinimalGGUF {
    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    static func string(_ text: String) -> [UInt8] {
        littleEndian(UInt64(text.utf8.count)) + Array(text.utf8)
    }

    static func file(strings: [String: String], stringArrays: [String: [String]] = [:]) -> [UInt8] {
        var bytes = Array("GGUF".utf8) + littleEndian(UInt32(3)) + littleEndian(UInt64(0))
        bytes += littleEndian(UInt64(strings.count + stringArrays.count))
        for (key, value) in strings.sorted(by: { $0.key < $1.key }) {
            bytes += string(key) + littleEndian(UInt32(8)) + string(value)
        }
        for (key, values) in stringArrays.sorted(by: { $0.key < $1.key }) {
            bytes += string(key) + littleEndian(UInt32(9)) + littleEndian(UInt32(8))
            bytes += littleEndian(UInt64(values.count)) + values.flatMap(string)
        }
        return bytes
    }
}
