import Foundation
import Testing

@Suite("rag ingest and rag search")
struct IngestCommandTests {
    @Test("ingesting the sample corpus then searching it finds the E4 section; a second ingest changes nothing")
    func ingestAndSearch() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("rag-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let ingest = try CommandRunner.run(["ingest", "corpora/aurora-x2", "--data", data.path, "--json"])
        #expect(ingest.status == 0, "stderr: \(ingest.standardError)")
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(ingest.standardOutput.utf8)) as? [String: Any])
        #expect((summary["added"] as? Int ?? 0) >= 9)
        #expect((summary["chunks"] as? Int ?? 0) > 50)
        #expect(summary["skipped"] as? Int == 1)
        #expect(ingest.standardError.contains("ingest: "))

        let again = try CommandRunner.run(["ingest", "corpora/aurora-x2", "--data", data.path, "--json"])
        let second = try #require(
            try JSONSerialization.jsonObject(with: Data(again.standardOutput.utf8)) as? [String: Any])
        #expect(second["added"] as? Int == 0 && second["embedded"] as? Int == 0)

        let search = try CommandRunner.run([
            "search", "my robot vacuum shows E4, what now?", "--data", data.path, "--k", "3", "--json",
        ])
        #expect(search.status == 0, "stderr: \(search.standardError)")
        let results = try #require(
            (try JSONSerialization.jsonObject(with: Data(search.standardOutput.utf8)) as? [String: Any])?["results"]
                as? [[String: Any]])
        #expect(results.count == 3)
        #expect(results.contains { ($0["heading_path"] as? String ?? "").contains("E4") })

        let chinese = try CommandRunner.run(["search", "保修", "--mode", "keyword", "--data", data.path, "--json"])
        #expect(chinese.standardOutput.contains("售后服务"))

        // Retrieval quality on the corpus's own question set; the floor guards against regressions
        // (measured 0.907 for hybrid hit@5 when this was written).
        let eval = try CommandRunner.run([
            "eval", "retrieval", "corpora/aurora-x2/qa.jsonl", "--data", data.path, "--json", "--misses",
        ])
        #expect(eval.status == 0, "stderr: \(eval.standardError)")
        let scores = try #require(
            try JSONSerialization.jsonObject(with: Data(eval.standardOutput.utf8)) as? [String: [String: Double]])
        #expect(Set(scores.keys) == ["dense", "keyword", "hybrid"])
        #expect((scores["hybrid"]?["hit@5"] ?? 0) >= 0.88, "\(scores)")
        #expect((scores["hybrid"]?["mrr"] ?? 0) > 0)
        #expect((scores["hybrid"]?["ndcg@10"] ?? 0) > 0)
        // With --json the missed questions go to standard error, each with where its answer is.
        #expect(eval.standardError.contains("questions missed by hybrid search in the top 5"))
        #expect(eval.standardError.contains("  expected "))

        // Deleting a document: listed before, gone from list and search after.
        let distractor = "corpora/aurora-x2/other/breeze-air-purifier.md"
        let listed = try CommandRunner.run(["documents", "list", "--data", data.path, "--json"])
        #expect(listed.standardOutput.contains("breeze-air-purifier.md"))
        let deleted = try CommandRunner.run([
            "documents", "delete", distractor, "no/such.md", "--data", data.path, "--json",
        ])
        #expect(deleted.status != 0)
        #expect(deleted.standardError.contains("no/such.md"))
        #expect(deleted.standardOutput.contains("\"deleted\":[\"corpora"))
        let after = try CommandRunner.run(["documents", "list", "--data", data.path, "--json"])
        #expect(!after.standardOutput.contains("breeze-air-purifier.md"))
        let purifier = try CommandRunner.run(["search", "Breeze P3 air purifier filter", "--data", data.path, "--json"])
        #expect(!purifier.standardOutput.contains("breeze-air-purifier.md"))

        // Moving the collection to HNSW: every remaining chunk is indexed, search still works.
        let chunksLeft = (summary["chunks"] as? Int ?? 0) - (deletedSummary(deleted.standardOutput) ?? 0)
        let rebuilt = try CommandRunner.run([
            "index", "rebuild", "--index", "hnsw", "--data", data.path, "--json",
        ])
        #expect(rebuilt.status == 0, "stderr: \(rebuilt.standardError)")
        #expect(rebuilt.standardOutput.contains("\"layout\":\"hnsw\""))
        #expect(rebuilt.standardOutput.contains("\"vectors\":\(chunksLeft)"), "\(rebuilt.standardOutput)")
        let afterRebuild = try CommandRunner.run([
            "search", "my robot vacuum shows E4, what now?", "--data", data.path, "--json",
        ])
        #expect(afterRebuild.standardOutput.contains("E4: Main brush jammed"))
    }

    /// The chunk count in `rag documents delete --json` output.
    func deletedSummary(_ output: String) -> Int? {
        (try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])?["chunks"] as? Int
    }

    @Test("a bad collection name and an unknown mode are usage errors")
    func usageErrors() throws {
        let badName = try CommandRunner.run(["search", "x", "--collection", "../etc"])
        #expect(badName.status != 0 && badName.standardError.contains("--collection"))
        let badMode = try CommandRunner.run(["search", "x", "--mode", "fuzzy"])
        #expect(badMode.status != 0)
        let badLayout = try CommandRunner.run(["index", "rebuild", "--index", "tree"])
        #expect(badLayout.status != 0 && badLayout.standardError.contains("--index must be auto, flat, hnsw or ivf"))
    }
}
