import Foundation
import LanguageModel
import ModelFiles
import TestSupport
import Tokenizers

/// A GGUF file through `GGUFFile`: the header, every metadata accessor on every key, and the bytes of every
/// tensor, which must lie inside the file after the data section's start.
final class GGUFTarget: FuzzTarget {
    static let name = "gguf"
    static let summary = "a GGUF file: header, metadata accessors, tensor bytes (ModelFiles)"

    let scratch: ScratchFolder

    init() throws { scratch = try ScratchFolder(label: Self.name) }

    func run(_ input: UnsafeRawBufferPointer) {
        let url = scratch.write(input, to: "input.gguf")
        let file: GGUFFile
        do {
            file = try GGUFFile(url: url)
        } catch {
            requireNamesFile(error, ModelFileError.self, path: url.path)
            return
        }
        for key in file.metadataKeys {
            _ = try? file.string(key)
            _ = try? file.int(key)
            _ = try? file.float(key)
            _ = try? file.bool(key)
            _ = try? file.stringArray(key)
            _ = try? file.intArray(key)
            _ = try? file.floatArray(key)
        }
        var checksum: UInt8 = 0
        for name in file.tensorNames {
            guard let info = file.tensors[name] else { fuzzFailure("tensor '\(name)' is listed but not kept") }
            guard info.offset >= file.dataOffset, info.offset <= input.count else {
                fuzzFailure("tensor '\(name)' starts at \(info.offset), outside \(file.dataOffset)...\(input.count)")
            }
            do {
                let bytes = try file.rawBytes(name)
                guard info.offset + bytes.count <= input.count else {
                    fuzzFailure("tensor '\(name)' ends past the file")
                }
                if let first = bytes.first, let last = bytes.last { checksum ^= first ^ last }
            } catch .unsupportedTensorType {
                guard info.byteCount == nil else { fuzzFailure("tensor '\(name)' has a size but no bytes") }
            } catch {
                fuzzFailure("tensor '\(name)' of a file that opened cannot be read: \(error)")
            }
        }
        _ = try? file.info("no such tensor")
        blackHole(checksum)
    }

    static func seeds() throws -> [Seed] {
        var random = SampleFiles.Bytes(seed: 7)
        let metadata: [(key: String, value: GGUFValue)] = [
            ("general.architecture", .string("llama")),
            ("general.name", .string("seed ü 中文")),
            ("u8", .uint8(200)), ("i8", .int8(-3)), ("u16", .uint16(65_000)), ("i16", .int16(-300)),
            ("u32", .uint32(4_000_000_000)), ("i32", .int32(-7)), ("u64", .uint64(1 << 40)), ("i64", .int64(-1)),
            ("f32", .float32(0.5)), ("f64", .float64(-2.25)), ("flag", .bool(true)),
            ("strings", .array(.string(["a", "", "ĠHello"]))),
            ("ints", .array(.int32([1, -2, 3]))),
            ("floats", .array(.float32([1.5, -0.25]))),
            ("nested", .array(.array([.uint8([1, 2]), .string(["x"])]))),
        ]
        let tensors: [GGUFWriter.Tensor] = [
            (name: "f32", dimensions: [4, 2], type: GGUFTensorType.f32),
            (name: "f16", dimensions: [8], type: .f16),
            (name: "q8_0", dimensions: [32, 2], type: .q8Zero),
            (name: "q4_0", dimensions: [32], type: .q4Zero),
            (name: "q4_1", dimensions: [32, 1, 1, 1], type: .q4One),
            (name: "empty", dimensions: [0, 3], type: .f32),
        ].map {
            GGUFWriter.Tensor(
                name: $0.name, dimensions: $0.dimensions, type: $0.type,
                bytes: SampleFiles.tensorBytes($0.type, count: $0.dimensions.reduce(1, *), random: &random))
        }
        return [
            Seed("typed-metadata.gguf", try SampleFiles.gguf(metadata: metadata, tensors: tensors)),
            Seed(
                "aligned-64.gguf",
                try SampleFiles.gguf(
                    metadata: [("general.alignment", .uint32(64))], tensors: Array(tensors.prefix(2)), alignment: 64)),
            Seed("metadata-only.gguf", try SampleFiles.gguf(metadata: Array(metadata.prefix(3)), tensors: [])),
        ]
    }
}

/// A whole model file through `LanguageModel(url:)`: configuration, tokenizer, chat template, every weight
/// checked against the configuration; a model that loads then generates three tokens. Inputs of even length
/// load with 8-bit activations (the weights interleaved), odd ones in float32, so both loaders are covered.
final class GGUFModelTarget: FuzzTarget {
    static let name = "gguf-model"
    static let summary = "a llama/qwen2 GGUF through LanguageModel: load, chat template, generate 3 tokens"

    let scratch: ScratchFolder

    init() throws { scratch = try ScratchFolder(label: Self.name) }

    func run(_ input: UnsafeRawBufferPointer) {
        let url = scratch.write(input, to: "model.gguf")
        let model: LanguageModel
        do {
            model = try LanguageModel(url: url, precision: input.count % 2 == 0 ? .int8 : .float32, threads: 1)
        } catch {
            requireNamesFile(error, LanguageModelError.self, path: url.path)
            return
        }
        let prompt = model.encode((try? model.renderChat([ChatMessage(role: "user", content: "the the")])) ?? "the")
        guard !prompt.isEmpty else { return }
        do {
            _ = try model.generate(promptTokens: prompt, options: GenerationOptions(maxTokens: 3)) { _ in }
        } catch .contextExceeded {
            // A context shorter than the prompt is the request's problem, not the file's.
        } catch {
            fuzzFailure("a model that loaded cannot generate: \(error)")
        }
    }

    static func seeds() throws -> [Seed] {
        [
            Seed("tiny-llama.gguf", try SampleFiles.tinyModel(architecture: "llama")),
            Seed("tiny-qwen2.gguf", try SampleFiles.tinyModel(architecture: "qwen2", seed: 2)),
        ]
    }
}

/// The byte-level BPE tokenizer and chat template of a GGUF file (`tokenizer.ggml.*`), without a model:
/// build, encode a few texts with and without special tokens, decode every id. When the vocabulary holds
/// all 256 byte tokens and only normal and control tokens, decoding what was encoded must give the text back.
final class BytePairTokenizerTarget: FuzzTarget {
    static let name = "tokenizer-gguf"
    static let summary = "the tokenizer.ggml.* metadata and chat template of a GGUF (Tokenizers)"

    static let texts = [
        "the quick brown fox", " the  the\t\nthe", "<|im_start|>user\nhi<|im_end|>", "123456 3.14 don't",
        "中文 テキスト 🙂 é", "\u{0}\u{1}\u{7F}", String(repeating: "the", count: 40),
    ]

    let scratch: ScratchFolder

    init() throws { scratch = try ScratchFolder(label: Self.name) }

    func run(_ input: UnsafeRawBufferPointer) {
        let url = scratch.write(input, to: "tokenizer.gguf")
        let file: GGUFFile
        do {
            file = try GGUFFile(url: url)
        } catch {
            requireNamesFile(error, ModelFileError.self, path: url.path)
            return
        }
        if let template = try? file.string("tokenizer.chat_template"),
            let chat = try? ChatTemplate(template: template)
        {
            _ = chat.render([ChatMessage(role: "user", content: "hello")])
        }
        let tokenizer: BytePairTokenizer
        do {
            tokenizer = try BytePairTokenizer(configuration: try BytePairConfiguration(metadata: file))
        } catch let error as ModelFileError {
            requireNamesFile(error, ModelFileError.self, path: url.path)
            return
        } catch {
            requireNamesFile(error, TokenizerError.self, path: url.path)
            return
        }
        let roundTrips = Self.roundTrips(tokenizer)
        for text in Self.texts {
            for ids in [
                tokenizer.encode(text), tokenizer.encode(text, addSpecialTokens: true, parseSpecial: false),
            ] {
                guard ids.allSatisfy({ (0..<tokenizer.vocabularySize).contains($0) }) else {
                    fuzzFailure("encoding \(text.debugDescription) gave ids outside the vocabulary: \(ids)")
                }
                _ = tokenizer.decode(ids)
            }
            if roundTrips {
                let decoded = tokenizer.decode(tokenizer.encode(text, parseSpecial: false))
                guard decoded == text else {
                    fuzzFailure("\(text.debugDescription) decodes back as \(decoded.debugDescription)")
                }
            }
        }
        _ = tokenizer.decode(0..<tokenizer.vocabularySize)
        _ = tokenizer.decode([-1, tokenizer.vocabularySize, Int.max])
    }

    /// Whether encoding is lossless: every byte has its token, and every token is normal, or control and
    /// spelled in printable ASCII (which the byte-level alphabet maps to itself), so that a control token a
    /// merge produces decodes to the same bytes as its pieces.
    static func roundTrips(_ tokenizer: BytePairTokenizer) -> Bool {
        SampleFiles.byteAlphabet.allSatisfy { tokenizer.id(of: $0) != nil }
            && (0..<tokenizer.vocabularySize).allSatisfy { id in
                switch tokenizer.tokenType(of: id) {
                case .normal: return true
                case .control:
                    return tokenizer.token(for: id)?.unicodeScalars.allSatisfy { (33...126).contains($0.value) }
                        ?? false
                default: return false
                }
            }
    }

    static func seeds() throws -> [Seed] {
        [
            Seed("smollm.gguf", try SampleFiles.gguf(metadata: SampleFiles.tokenizerMetadata(), tensors: [])),
            Seed(
                "llama3.gguf",
                try SampleFiles.gguf(metadata: SampleFiles.tokenizerMetadata(pre: "llama-bpe"), tensors: [])),
            Seed(
                "qwen2.gguf", try SampleFiles.gguf(metadata: SampleFiles.tokenizerMetadata(pre: "qwen2"), tensors: [])),
        ]
    }
}

/// Keeps `value` alive so that the reads producing it are not optimised away.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
