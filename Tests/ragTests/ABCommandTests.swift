import Foundation
import Testing

@Suite("rag ab")
struct ABCommandTests {
    static let adapters = CommandRunner.fixtures.appendingPathComponent("adapters").path

    @Test("refuses to run without an adapter, with an adapter named base, or with one that is not there")
    func refusals() throws {
        let questions = "corpora/aurora-x2/qa.jsonl"
        let none = try CommandRunner.run(["ab", questions])
        #expect(none.status != 0 && none.standardError.contains("Name at least one adapter"), "\(none.standardError)")
        let base = try CommandRunner.run(["ab", questions, "--adapter", "base"])
        #expect(base.status != 0 && base.standardError.contains("the base model's arm"), "\(base.standardError)")
        let twice = try CommandRunner.run(["ab", questions, "--adapter", "aurora-qv", "--adapter", "aurora-qv"])
        #expect(twice.status != 0 && twice.standardError.contains("different adapter"), "\(twice.standardError)")
        let missing = try CommandRunner.run(["ab", questions, "--adapter", "no-such", "--adapters", Self.adapters])
        #expect(
            missing.status != 0 && missing.standardError.contains("no adapter 'no-such'"), "\(missing.standardError)")
    }

    @Test("compares the base with an adapter found by name, and writes report.html and report.json")
    func endToEnd() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rag-ab-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let manuals = root.appendingPathComponent("manuals")
        try FileManager.default.createDirectory(at: manuals, withIntermediateDirectories: true)
        try """
        # Aurora X2

        ## Battery
        A full charge lasts about 90 minutes in Strong mode. Charging takes 4 hours.
        """.write(to: manuals.appendingPathComponent("manual.md"), atomically: true, encoding: .utf8)
        let qa = root.appendingPathComponent("qa.jsonl")
        try """
        {"id": "q1", "question": "How long does the battery last?", "answer": "About 90 minutes.", \
        "source": "manual.md", "heading": "Battery"}
        """.write(to: qa, atomically: true, encoding: .utf8)
        let general = root.appendingPathComponent("general.jsonl")
        try #"{"id": "g1", "question": "What is 2 + 2?", "answer": "4"}"#
            .write(to: general, atomically: true, encoding: .utf8)
        let data = root.appendingPathComponent("data").path
        let ingest = try CommandRunner.run(["ingest", manuals.path, "--data", data])
        #expect(ingest.status == 0, "\(ingest.standardError)")

        let out = root.appendingPathComponent("out")
        let result = try CommandRunner.run([
            "ab", qa.path, "--adapter", "aurora-qv", "--adapters", Self.adapters, "--data", data, "--out", out.path,
            "--general", general.path, "--max-tokens", "8", "--general-max-tokens", "4",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("aurora-qv"))
        #expect(result.standardOutput.contains("General questions (no retrieval): aurora-qv changed"))
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("data-verdict="))
        #expect(html.contains("<svg class=\"chart\" data-metric=\"tokenF1\""))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json")))
                as? [String: Any])
        let arms = try #require(json["arms"] as? [[String: Any]])
        #expect(arms.compactMap { $0["arm"] as? String } == ["base", "aurora-qv"])
        let settings = try #require(json["settings"] as? [String: Any])
        let path = (settings["adapters"] as? [[String: Any]])?.first?["path"] as? String
        #expect(path?.hasSuffix("adapters/aurora-qv") == true, "\(path ?? "none")")
        #expect((json["comparisons"] as? [[String: Any]])?.first?["overall"] is String)
    }
}
