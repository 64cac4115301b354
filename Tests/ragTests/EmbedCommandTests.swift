import Foundation
import Testing

struct EmbedLine: Decodable {
    let index: Int
    let tokens: Int
    let embedding: [Float]
}

struct ReferenceText: Decodable {
    let text: String
    let inputIDs: [Int]
    let embedding: [Float]

    enum CodingKeys: String, CodingKey {
        case text, embedding
        case inputIDs = "input_ids"
    }
}

func cosine(_ a: [Float], _ b: [Float]) -> Double {
    var dot = 0.0
    var normA = 0.0
    var normB = 0.0
    for (x, y) in zip(a, b) {
        dot += Double(x) * Double(y)
        normA += Double(x) * Double(x)
        normB += Double(y) * Double(y)
    }
    return dot / max((normA * normB).squareRoot(), 1e-30)
}

func references() throws -> [ReferenceText] {
    let data = try Data(contentsOf: CommandRunner.fixtures.appendingPathComponent("minilm/embeddings.json"))
    return try JSONDecoder().decode([ReferenceText].self, from: data)
}

func decodeLines(_ output: String) throws -> [EmbedLine] {
    try output.split(separator: "\n").map { try JSONDecoder().decode(EmbedLine.self, from: Data($0.utf8)) }
}

@Suite("rag embed")
struct EmbedCommandTests {
    @Test("embeds each argument as one JSON line matching sentence-transformers")
    func embedsArguments() throws {
        let texts = try references()
        let result = try CommandRunner.run(["embed", texts[0].text, texts[1].text])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let lines = try decodeLines(result.standardOutput)
        #expect(lines.map(\.index) == [0, 1])
        for (line, reference) in zip(lines, texts) {
            #expect(line.tokens == reference.inputIDs.count)
            #expect(line.embedding.count == 384)
            #expect(cosine(line.embedding, reference.embedding) >= 0.99999)
        }
    }

    @Test("--jsonl reads JSON strings and {\"text\"} objects from standard input, skipping blank lines")
    func readsJSONLines() throws {
        let texts = try references()
        let input = "\"\(texts[2].text)\"\n\n{\"text\": \"\(texts[0].text)\", \"id\": 7}\n\"\"\n"
        let result = try CommandRunner.run(["embed", "--jsonl"], input: input)
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let lines = try decodeLines(result.standardOutput)
        #expect(lines.map(\.index) == [0, 1, 2])
        #expect(cosine(lines[0].embedding, texts[2].embedding) >= 0.99999)
        #expect(cosine(lines[1].embedding, texts[0].embedding) >= 0.99999)
        #expect(lines[2].tokens == 2)
    }

    @Test("a bad JSON line is an error naming the line, and nothing is printed")
    func rejectsBadLine() throws {
        let result = try CommandRunner.run(["embed", "--jsonl"], input: "\"fine\"\n{\"title\": \"no text\"}\n")
        #expect(result.status != 0)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains("line 2"))
        #expect(result.standardError.contains("\"text\""))
    }

    @Test("--precision fast and --fast embed within cosine 0.999 of sentence-transformers; a conflict is refused")
    func fastPrecision() throws {
        let texts = try references()
        for flags in [["--precision", "fast"], ["--fast"]] {
            let result = try CommandRunner.run(["embed"] + flags + [texts[0].text, texts[2].text])
            #expect(result.status == 0, "stderr: \(result.standardError)")
            let lines = try decodeLines(result.standardOutput)
            #expect(lines.map(\.tokens) == [texts[0].inputIDs.count, texts[2].inputIDs.count])
            #expect(cosine(lines[0].embedding, texts[0].embedding) >= 0.999)
            #expect(cosine(lines[1].embedding, texts[2].embedding) >= 0.999)
            #expect(cosine(lines[0].embedding, texts[0].embedding) < 0.999999, "the int8 path really ran")
        }
        let conflict = try CommandRunner.run(["embed", "--fast", "--precision", "exact", "hello"])
        #expect(conflict.status != 0)
        #expect(conflict.standardError.contains("--fast"))
        let unknown = try CommandRunner.run(["embed", "--precision", "half", "hello"])
        #expect(unknown.status != 0)
    }

    @Test("a missing model folder names the path and says to run make models")
    func missingModel() throws {
        let result = try CommandRunner.run(["embed", "--model", "/nonexistent/model-dir", "hello"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("/nonexistent/model-dir"))
        #expect(result.standardError.contains("make models"))
    }

    @Test("no text at all is a usage error")
    func requiresText() throws {
        let result = try CommandRunner.run(["embed"])
        #expect(result.status != 0)
        #expect(result.standardError.contains("at least one text"))
    }
}

@Suite("rag bench embed")
struct BenchEmbedCommandTests {
    @Test("prints one JSON object with throughput, latency and thread count")
    func printsJSONReport() throws {
        let result = try CommandRunner.run([
            "bench", "embed", "--count", "6", "--words", "40", "--query-runs", "3", "--json",
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let report = try #require(object)
        #expect(report["texts"] as? Int == 6)
        #expect((report["tokens"] as? Int ?? 0) > 6 * 40)
        #expect((report["texts_per_second"] as? Double ?? 0) > 0)
        #expect((report["query_median_milliseconds"] as? Double ?? 0) > 0)
        #expect((report["threads"] as? Int ?? 0) >= 1)
    }

    @Test("--mode fast is reported in the JSON report's mode field, exact by default")
    func reportsMode() throws {
        for (arguments, mode) in [([String](), "exact"), (["--mode", "fast"], "fast"), (["--fast"], "fast")] {
            let result = try CommandRunner.run(
                ["bench", "embed", "--count", "4", "--words", "30", "--query-runs", "2", "--json"] + arguments)
            #expect(result.status == 0, "stderr: \(result.standardError)")
            let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
            #expect(try #require(object)["mode"] as? String == mode, "\(arguments)")
        }
        let conflict = try CommandRunner.run(["bench", "embed", "--mode", "exact", "--fast", "--count", "1"])
        #expect(conflict.status != 0)
    }

    @Test("--write-texts and --texts round-trip the generated passages")
    func writesAndReadsTexts() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rag-bench-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        let written = try CommandRunner.run([
            "bench", "embed", "--count", "3", "--words", "20", "--write-texts", file.path,
        ])
        #expect(written.status == 0, "stderr: \(written.standardError)")
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4)
        let result = try CommandRunner.run(["bench", "embed", "--texts", file.path, "--query-runs", "2", "--json"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        #expect(result.standardOutput.contains("\"texts\":3"))
    }
}

@Suite("rag bench matmul")
struct BenchMatmulCommandTests {
    @Test("reports float32 and int8 GOPS for the four linear-layer shapes, batch and query")
    func printsJSONReport() throws {
        let result = try CommandRunner.run(["bench", "matmul", "--rows", "8", "--seconds", "0.01", "--json"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let rows = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]])
        #expect(rows.count == 8)
        for row in rows {
            for key in ["float32_gops", "int8_unsigned7_gops", "int8_signed8_gops"] {
                #expect((row[key] as? Double ?? 0) > 0, "\(key) in \(row)")
            }
        }
    }
}

@Suite("rag bench index")
struct BenchIndexCommandTests {
    @Test("prints add throughput, search latency and an HNSW recall between 0 and 1")
    func printsReport() throws {
        let result = try CommandRunner.run([
            "bench", "index", "--n", "1000", "--dimension", "16", "--queries", "20", "--json",
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(report["n"] as? Int == 1000)
        #expect((report["flat_add_vectors_per_second"] as? Double ?? 0) > 0)
        #expect(
            (report["hnsw_search_p99_milliseconds"] as? Double ?? -1)
                >= (report["hnsw_search_p50_milliseconds"] as? Double ?? 0))
        let recall = report["hnsw_recall_at10"] as? Double ?? -1
        #expect(recall > 0.5 && recall <= 1, "a 16-dimensional HNSW should find most true neighbours, got \(recall)")
        #expect(report["ivf_cells"] as? Int == 16 && report["ivf_probes"] as? Int == 8)
        let ivfRecall = report["ivf_recall_at10"] as? Double ?? -1
        #expect(ivfRecall > 0.5 && ivfRecall <= 1, "IVF probing half its cells should find most neighbours")
    }
}

@Suite("rag bench ingest")
struct BenchIngestCommandTests {
    @Test("ingests a copy of the sample corpus and splits the time into stages")
    func printsStages() throws {
        let result = try CommandRunner.run(["bench", "ingest", "--copies", "1", "--json"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let stages = try #require(report["stages"] as? [String: Double])
        #expect(Set(stages.keys) == ["read", "chunk", "embed", "write"])
        #expect(stages.values.reduce(0, +) <= (report["seconds"] as? Double ?? 0) + 0.01)
        #expect((report["chunks"] as? Int ?? 0) > 100)
        #expect((stages["embed"] ?? 0) > 0)
    }
}
