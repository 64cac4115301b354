import Foundation
import Testing

@Suite("rag generate and rag bench llm")
struct GenerateCommandTests {
    @Test("--json gives the prompt ids, the top logits and the greedy continuation of the reference path")
    func jsonParity() throws {
        let result = try CommandRunner.run([
            "generate", "The quick brown fox", "--max-tokens", "6", "--precision", "reference", "--json",
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        // The same ids and continuation as transformers (../shared/fixtures/smollm2/logits.json, raw_fox).
        #expect(object["prompt_ids"] as? [Int] == [504, 2365, 6354, 16438])
        let top = try #require(object["top_logits"] as? [[Double]])
        #expect(top.count == 20 && top[0][0] == 351 && abs(top[0][1] - 18.15529) < 0.01)
        #expect(object["ids"] as? [Int] == [351, 253, 2365, 6354, 7012, 30])
        #expect(object["finish_reason"] as? String == "length")
        #expect(object["text"] as? String == " with a quick brown bear.")
    }

    @Test("--chat streams an answer and reports tokens on standard error")
    func chatStream() throws {
        let result = try CommandRunner.run(["generate", "--chat", "Say hello.", "--max-tokens", "8"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        #expect(!result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        #expect(result.standardError.contains("prompt tokens"))
    }

    @Test("a missing model, a bad precision and --system without --chat are clear errors")
    func errors() throws {
        let missing = try CommandRunner.run(["generate", "hi", "--model", "/no/such/model.gguf"])
        #expect(missing.status != 0 && missing.standardError.contains("/no/such/model.gguf"))
        let precision = try CommandRunner.run(["generate", "hi", "--precision", "half"])
        #expect(precision.status != 0 && precision.standardError.contains("--precision must be fast or reference"))
        let system = try CommandRunner.run(["generate", "hi", "--system", "be brief"])
        #expect(system.status != 0 && system.standardError.contains("--system needs --chat"))
    }

    @Test("rag bench llm reports prefill and decode speed and memory")
    func bench() throws {
        let result = try CommandRunner.run([
            "bench", "llm", "--prompt-tokens", "20", "--new-tokens", "4", "--json",
        ])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(report["prompt_tokens"] as? Int == 20 && report["new_tokens"] as? Int == 4)
        #expect((report["prefill_tokens_per_second"] as? Double ?? 0) > 0)
        #expect((report["decode_tokens_per_second"] as? Double ?? 0) > 0)
        #expect((report["peak_resident_megabytes"] as? Double ?? 0) > (report["kv_cache_megabytes"] as? Double ?? 0))
    }
}
