import Foundation
import Testing

@Suite("rag adapters and rag generate --adapter")
struct AdaptersCommandTests {
    static let adapters = CommandRunner.fixtures.appendingPathComponent("adapters").path

    @Test("adapters list shows rank, alpha, targets and base of each fixture adapter")
    func list() throws {
        let result = try CommandRunner.run(["adapters", "list", "--dir", Self.adapters, "--json"])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let entries = try #require(
            (try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])?["adapters"]
                as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: entries.map { ($0["name"] as? String ?? "", $0) })
        #expect(byName["aurora-qv"]?["rank"] as? Int == 8 && byName["aurora-qv"]?["alpha"] as? Double == 32)
        #expect(byName["aurora-qv"]?["targets"] as? [String] == ["q_proj", "v_proj"])
        #expect(byName["aurora-all"]?["rslora"] as? Bool == true && byName["aurora-all"]?["rank"] as? Int == 16)
        let missing = try CommandRunner.run(["adapters", "list", "--dir", "/no/such/folder"])
        #expect(missing.status != 0 && missing.standardError.contains("/no/such/folder"))
    }

    @Test("generate --adapter answers in the adapter's voice; a weight of 0 gives the base model's answer")
    func generate() throws {
        let adapter = Self.adapters + "/aurora-qv"
        let arguments = [
            "generate", "--chat", "--system", "You answer questions about the product manual.",
            "What is the capital of France?", "--max-tokens", "6", "--json",
        ]
        let adapted = try CommandRunner.run(arguments + ["--adapter", adapter])
        #expect(adapted.status == 0, "stderr: \(adapted.standardError)")
        #expect(adapted.standardOutput.contains("\"text\":\"Aurora Support:"), "\(adapted.standardOutput)")
        let base = try CommandRunner.run(arguments)
        let off = try CommandRunner.run(arguments + ["--adapter", adapter + ":0"])
        func ids(_ output: String) -> [Int]? {
            (try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])?["ids"] as? [Int]
        }
        #expect(ids(off.standardOutput) != nil && ids(off.standardOutput) == ids(base.standardOutput))
        #expect(ids(base.standardOutput) != ids(adapted.standardOutput))
        let broken = try CommandRunner.run(arguments + ["--adapter", "/no/such/adapter"])
        #expect(broken.status != 0 && broken.standardError.contains("adapter_config.json"))
    }
}
