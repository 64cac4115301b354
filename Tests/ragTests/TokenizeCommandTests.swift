import Foundation
import Testing

/// One text of `smollm2/tokenizer.json` with llama.cpp's ids.
struct ReferenceTokens: Decodable {
    let text: String
    let ids: [Int]
}

struct ReferenceTokenization: Decodable {
    let strings: [ReferenceTokens]
}

func referenceTokens() throws -> [ReferenceTokens] {
    let environment = ProcessInfo.processInfo.environment["RAG_FIXTURES"]
    let fixtures =
        environment.map { URL(fileURLWithPath: $0) }
        ?? CommandRunner.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
    let data = try Data(contentsOf: fixtures.appendingPathComponent("smollm2/tokenizer.json"))
    return try JSONDecoder().decode(ReferenceTokenization.self, from: data).strings
}

struct IDsLine: Decodable, Equatable {
    let ids: [Int]
}

func decodeIDLines(_ output: String) throws -> [[Int]] {
    try output.split(separator: "\n").map { try JSONDecoder().decode(IDsLine.self, from: Data($0.utf8)).ids }
}

@Suite("rag tokenize")
struct TokenizeCommandTests {
    @Test("prints llama.cpp's ids of each argument with the default model, one JSON line each")
    func tokenizesArguments() throws {
        let references = try referenceTokens()
        let chosen = references.filter {
            ["Hello, world!", "version  2.0   released on 2024-12-31 at 10:30pm, call 555-0199", "emoji 😀 test"]
                .contains($0.text)
        }
        #expect(chosen.count == 3)
        let result = try CommandRunner.run(["tokenize"] + chosen.map(\.text))
        #expect(result.status == 0, "stderr: \(result.standardError)")
        #expect(try decodeIDLines(result.standardOutput) == chosen.map(\.ids))
        #expect(result.standardOutput.hasPrefix("{\"ids\":["))
    }

    @Test("--jsonl reads JSON strings and {\"text\"} objects, special tokens included")
    func readsJSONLines() throws {
        let chat = try #require(try referenceTokens().first { $0.text.hasPrefix("<|im_start|>user") })
        let input =
            String(decoding: try JSONEncoder().encode(chat.text), as: UTF8.self)
            + "\n\n{\"text\": \"Hello world\"}\n\"\"\n"
        let result = try CommandRunner.run(["tokenize", "--jsonl"], input: input)
        #expect(result.status == 0, "stderr: \(result.standardError)")
        #expect(try decodeIDLines(result.standardOutput) == [chat.ids, [19556, 905], []])
    }

    @Test("a missing model file, or one that is not GGUF, is an error naming the path")
    func refusesBadModels() throws {
        let missing = try CommandRunner.run(["tokenize", "--model", "/nonexistent/model.gguf", "hello"])
        #expect(missing.status != 0 && missing.standardOutput.isEmpty)
        #expect(missing.standardError.contains("/nonexistent/model.gguf"))

        let text = FileManager.default.temporaryDirectory.appendingPathComponent("rag-\(UUID().uuidString).gguf")
        defer { try? FileManager.default.removeItem(at: text) }
        try Data("this is not a model, just text\n".utf8).write(to: text)
        let notGGUF = try CommandRunner.run(["tokenize", "--model", text.path, "hello"])
        #expect(notGGUF.status != 0)
        #expect(notGGUF.standardError.contains(text.path))
        #expect(notGGUF.standardError.contains("not a GGUF file"))
    }

    @Test("no text at all, or texts both ways, is a usage error")
    func requiresText() throws {
        let none = try CommandRunner.run(["tokenize"])
        #expect(none.status != 0 && none.standardError.contains("at least one text"))
        let both = try CommandRunner.run(["tokenize", "--jsonl", "hello"], input: "\"x\"\n")
        #expect(both.status != 0 && both.standardError.contains("not both"))
    }
}
