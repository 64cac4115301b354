import Foundation
import TestSupport
import Testing
import Tokenizers

@testable import LanguageModel

@Suite("Generation with the real SmolLM2 model", .serialized)
struct GenerationTests {
    static let model: LanguageModel? = try? LanguageModel(url: TestResources.smolLM)

    func loaded() throws -> LanguageModel {
        _ = try TestResources.requireSmolLM()
        return try #require(Self.model)
    }

    func collect(_ model: LanguageModel, _ prompt: [Int], _ options: GenerationOptions) async throws -> (
        String, GenerationSummary
    ) {
        var text = ""
        var summary: GenerationSummary?
        for try await event in model.generate(promptTokens: prompt, options: options) {
            switch event {
            case .promptProcessed: break
            case .text(let piece): text += piece
            case .finished(let done): summary = done
            }
        }
        return (text, try #require(summary))
    }

    func chatPrompt(_ model: LanguageModel, _ question: String) throws -> [Int] {
        model.encode(try model.renderChat([ChatMessage(role: "user", content: question)]))
    }

    @Test("greedy decoding is repeatable, streams exactly the decoded ids, and stops at max_tokens")
    func greedyStream() async throws {
        let model = try loaded()
        let prompt = try chatPrompt(model, "Name three colours.")
        let (text, summary) = try await collect(model, prompt, GenerationOptions(maxTokens: 12))
        #expect(summary.generatedTokens == 12 && summary.finishReason == .length)
        #expect(summary.promptTokens == prompt.count)
        #expect(text == model.tokenizer.decode(summary.ids, skipSpecial: true))
        let (again, repeated) = try await collect(model, prompt, GenerationOptions(maxTokens: 12))
        #expect(again == text && repeated.ids == summary.ids)
        #expect(summary.timeToFirstToken > 0 && summary.totalSeconds >= summary.timeToFirstToken)
    }

    @Test("an answer cut by max_tokens inside a character ends on its last whole character, with no U+FFFD")
    func cutInsideCharacter() async throws {
        let model = try loaded()
        let prompt = try chatPrompt(model, "请用中文回答：天空为什么是蓝色的？")
        let (_, long) = try await collect(model, prompt, GenerationOptions(maxTokens: 32))
        // The first budget at which greedy decoding stops with a character's bytes half generated.
        func decoded(_ count: Int) -> String {
            model.tokenizer.decode(Array(long.ids.prefix(count)), skipSpecial: true)
        }
        let cut = try #require(
            (1...long.ids.count).first { decoded($0).hasSuffix("\u{FFFD}") },
            "the greedy answer splits a character between tokens: \(decoded(long.ids.count))")
        let full = decoded(cut)
        let (text, summary) = try await collect(model, prompt, GenerationOptions(maxTokens: cut))
        #expect(summary.finishReason == .length && summary.ids == Array(long.ids.prefix(cut)))
        #expect(text == String(full.dropLast()), "\(text.debugDescription) against \(full.debugDescription)")
        #expect(!text.unicodeScalars.contains("\u{FFFD}"))
    }

    @Test("the same seed gives the same sampled text; another seed another text")
    func seeds() async throws {
        let model = try loaded()
        let prompt = model.encode("Once upon a time")
        func sampled(_ seed: UInt64) async throws -> [Int] {
            let options = GenerationOptions(
                maxTokens: 16, sampling: SamplingOptions(temperature: 1.5, topK: 0, topP: 1, minP: 0, seed: seed),
                stopAtEndOfGeneration: false)
            return try await collect(model, prompt, options).1.ids
        }
        let first = try await sampled(7)
        #expect(try await sampled(7) == first)
        #expect(try await sampled(8) != first)
    }

    @Test("a stop sequence ends the answer before it, and is not shown")
    func stopSequence() async throws {
        let model = try loaded()
        let prompt = try chatPrompt(model, "How do I reset my robot vacuum?")
        let (full, _) = try await collect(model, prompt, GenerationOptions(maxTokens: 40))
        let words = full.split(separator: " ")
        try #require(words.count > 6, "the greedy answer is long enough to cut: \(full)")
        let stop = " " + words[4]
        let expected = String(full[..<full.range(of: stop)!.lowerBound])
        let (cut, summary) = try await collect(model, prompt, GenerationOptions(maxTokens: 40, stop: [stop]))
        #expect(cut == expected)
        #expect(summary.finishReason == .stop)
    }

    @Test("a consumer that stops listening frees the model for the next generation")
    func cancellation() async throws {
        let model = try loaded()
        let prompt = model.encode("Count from one to one hundred:")
        for try await event in model.generate(promptTokens: prompt, options: GenerationOptions(maxTokens: 200)) {
            if case .text = event { break }
        }
        // The model's queue runs one generation at a time, so this one starts after the first ended.
        let (_, summary) = try await collect(model, prompt, GenerationOptions(maxTokens: 3))
        #expect(summary.generatedTokens == 3)

        // The same through the synchronous loop: it polls between tokens.
        var produced = 0
        let cancelled = try model.generate(
            promptTokens: prompt, options: GenerationOptions(maxTokens: 200), isCancelled: { produced >= 5 },
            emit: { _ in produced += 1 })
        #expect(cancelled.finishReason == .cancelled && cancelled.generatedTokens < 200)
    }

    @Test("a stream whose consumer leaves ends as cancelled, long before its token budget")
    func streamCancellation() async throws {
        let model = try loaded()
        let prompt = model.encode("Count from one to one hundred:")
        var pieces = 0
        for try await event in model.generate(promptTokens: prompt, options: GenerationOptions(maxTokens: 500)) {
            if case .text = event { pieces += 1 }
            if pieces == 2 { break }
        }
        _ = try await collect(model, prompt, GenerationOptions(maxTokens: 1))
        // The queue runs one generation at a time: the abandoned one ended first, and as cancelled.
        #expect(model.streamFinishes.current.suffix(2) == [.cancelled, .length])
    }

    @Test("bad requests are typed errors naming the problem")
    func badRequests() async throws {
        let model = try loaded()
        let context = model.configuration.contextLength
        #expect(
            throws: LanguageModelError.contextExceeded(promptTokens: context, maxNewTokens: 1, contextLength: context)
        ) {
            try model.validate(
                promptTokens: Array(repeating: 1, count: context), options: GenerationOptions(maxTokens: 1))
        }
        #expect(throws: LanguageModelError.emptyPrompt) {
            try model.validate(promptTokens: [], options: GenerationOptions())
        }
        #expect(throws: LanguageModelError.invalidToken(id: 49_152, vocabularySize: 49_152)) {
            try model.validate(promptTokens: [49_152], options: GenerationOptions())
        }
        #expect(throws: LanguageModelError.self) {
            try model.validate(promptTokens: [1], options: GenerationOptions(maxTokens: 0))
        }
        await #expect(throws: LanguageModelError.self) {
            for try await _ in model.generate(promptTokens: [], options: GenerationOptions()) {}
        }
        let message = LanguageModelError.contextExceeded(promptTokens: 9000, maxNewTokens: 10, contextLength: 8192)
            .description
        #expect(message.contains("9000") && message.contains("8192"))
    }
}

@Suite("Model files that cannot be used")
struct ModelFileErrorTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rag-lm-\(UUID().uuidString)")

    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    /// A GGUF v3 file with no tensors and the given string metadata.
    func gguf(_ strings: [(String, String)]) -> [UInt8] {
        var bytes = Array("GGUF".utf8)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
        func string(_ s: String) {
            u64(UInt64(s.utf8.count))
            bytes += Array(s.utf8)
        }
        u32(3)
        u64(0)
        u64(UInt64(strings.count))
        for (key, value) in strings {
            string(key)
            u32(8)
            string(value)
        }
        return bytes
    }

    @Test("a missing file says `make models`; a non-GGUF, truncated or foreign model names the problem")
    func errors() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("none.gguf")
        #expect(message { _ = try LanguageModel(url: missing) }.contains("make models"))
        let text = try write("notes.gguf", Array("these are not weights".utf8))
        #expect(message { _ = try LanguageModel(url: text) }.contains("GGUF"))
        let real = try Data(contentsOf: try TestResources.requireSmolLM())
        let truncated = try write("cut.gguf", Array(real.prefix(3_000_000)))
        let cutMessage = message { _ = try LanguageModel(url: truncated) }
        #expect(cutMessage.contains("cut.gguf"), "\(cutMessage)")
        let foreign = try write("gpt2.gguf", gguf([("general.architecture", "gpt2")]))
        #expect(message { _ = try LanguageModel(url: foreign) }.contains("architecture 'gpt2' is not supported"))
    }
}
