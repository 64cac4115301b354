import Foundation
import Testing

@testable import RAG

@Suite("Arm summaries and comparisons for report.json")
struct ArmSummaryTests {
    let base: [AnswerMetrics] = (0..<20).map { (index: Int) -> AnswerMetrics in
        let quarter = Double(index % 4) / 4
        let fifth = Double(index % 5) / 5
        let bleu = Double(index % 2) / 4
        return AnswerMetrics(rougeL: quarter, tokenF1: fifth, bleu: bleu, groundedness: 0.5)
    }
    var adapter: [AnswerMetrics] {
        base.map { AnswerMetrics(rougeL: $0.rougeL + 0.2, tokenF1: $0.tokenF1, bleu: $0.bleu, groundedness: 0.5) }
    }

    @Test("each metric gets its mean and bootstrap interval")
    func summary() {
        let summary = ArmSummary(arm: "base", scores: base)
        #expect(summary.questions == 20 && summary.resamples == 2000 && summary.confidence == 0.95)
        #expect(summary.rougeL == BootstrapInterval(meanOf: base.map(\.rougeL)))
        #expect(abs(summary.rougeL.mean - 0.375) < 1e-12)
        #expect(abs(summary.tokenF1.mean - 0.4) < 1e-12)
        #expect(summary.groundedness == BootstrapInterval(mean: 0.5, lower: 0.5, upper: 0.5))
        #expect(summary.rougeL.lower < 0.375 && summary.rougeL.upper > 0.375)
    }

    @Test("round-trips through JSON with readable keys")
    func codable() throws {
        let summary = ArmSummary(arm: "lora", scores: base, resamples: 200)
        let data = try JSONEncoder().encode(summary)
        #expect(try JSONDecoder().decode(ArmSummary.self, from: data) == summary)
        let json = try JSONSerialization.jsonObject(with: data)
        let object = try #require(json as? [String: Any])
        #expect(
            Set(object.keys) == [
                "arm", "questions", "resamples", "confidence", "rougeL", "tokenF1", "bleu", "groundedness",
            ])
        let rouge = try #require(object["rougeL"] as? [String: Any])
        #expect(Set(rouge.keys) == ["mean", "lower", "upper"])
    }

    @Test("no questions summarise to zeros rather than NaN, which JSON cannot hold")
    func empty() throws {
        let summary = ArmSummary(arm: "base", scores: [])
        #expect(summary.questions == 0 && summary.bleu == BootstrapInterval(mean: 0, lower: 0, upper: 0))
        _ = try JSONEncoder().encode(summary)
    }

    @Test("a comparison finds the adapter's ROUGE-L gain and no change elsewhere")
    func comparison() throws {
        let comparison = try ArmComparison(a: base, b: adapter)
        #expect(comparison.questions == 20)
        #expect(abs(comparison.rougeL.difference.mean - 0.2) < 1e-12)
        #expect(comparison.rougeL.wilcoxon.verdict == .better)
        #expect(comparison.rougeL.sign.verdict == .better)
        #expect(comparison.tokenF1.wilcoxon.verdict == .indistinguishable)
        #expect(comparison.tokenF1.difference == BootstrapInterval(mean: 0, lower: 0, upper: 0))
        let reversed = try ArmComparison(a: adapter, b: base)
        #expect(reversed.rougeL.wilcoxon.verdict == .worse)
        #expect(throws: EvaluationError.self) { try ArmComparison(a: base, b: Array(adapter.dropLast())) }
        _ = try JSONEncoder().encode(comparison)
    }
}
