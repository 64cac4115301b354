import Testing

@testable import RAG

@Suite("Verdicts of an adapter against the base")
struct MetricVerdictTests {
    let base = ABFixtures.baseScores

    func comparison(_ adapter: [Double]) throws -> MetricComparison {
        MetricComparison(try PairedScores(a: base, b: adapter))
    }

    @Test("an adapter ahead on every question, by varying amounts, is better")
    func better() throws {
        let adapter = base.enumerated().map { $0.element + 0.05 + Double($0.offset % 3) * 0.01 }
        let verdict = MetricVerdict(metric: .rougeL, comparison: try comparison(adapter))
        #expect(verdict.verdict == .better)
        #expect(verdict.difference.lower > 0)
        #expect(verdict.wilcoxon.pValue < 0.05)
    }

    @Test("an adapter behind on most questions is worse")
    func worse() throws {
        // Behind by 0.1 on 17 questions, ahead by 0.01 on 3.
        let adapter = base.enumerated().map { $0.offset < 3 ? $0.element + 0.01 : $0.element - 0.1 }
        let verdict = MetricVerdict(metric: .tokenF1, comparison: try comparison(adapter))
        #expect(verdict.verdict == .worse)
        #expect(verdict.difference.upper < 0)
    }

    @Test("wins and losses that balance are indistinguishable, and so are identical answers")
    func indistinguishable() throws {
        let adapter = base.enumerated().map { $0.element + ($0.offset.isMultiple(of: 2) ? 0.05 : -0.05) }
        #expect(MetricVerdict(metric: .bleu, comparison: try comparison(adapter)).verdict == .indistinguishable)
        let same = MetricVerdict(metric: .bleu, comparison: try comparison(base))
        #expect(same.verdict == .indistinguishable)
        #expect(same.wilcoxon.pValue == 1)
    }

    @Test("a test that leans one way while the interval of the mean holds 0 gives no verdict")
    func testAndIntervalMustAgree() throws {
        // 19 small wins and one large loss: the signed ranks favour the adapter, the mean does not.
        let adapter = base.enumerated().map { $0.offset == 0 ? $0.element - 1 : $0.element + 0.01 }
        let compared = try comparison(adapter)
        #expect(compared.wilcoxon.verdict == .better)
        #expect(compared.difference.contains(0))
        #expect(MetricVerdict.decide(compared, higherIsBetter: true) == .indistinguishable)
    }

    @Test("for latency, where less is better, a slower adapter is worse")
    func latency() throws {
        let slower = base.enumerated().map { $0.element + 0.2 + Double($0.offset % 4) * 0.01 }
        #expect(MetricVerdict(metric: .latency, comparison: try comparison(slower)).verdict == .worse)
        let faster = base.enumerated().map { $0.element - 0.05 - Double($0.offset % 4) * 0.01 }
        #expect(MetricVerdict(metric: .latency, comparison: try comparison(faster)).verdict == .better)
    }

    @Test("the overall verdict is better or worse only when no metric says the opposite")
    func overall() {
        #expect(OverallVerdict([.better, .indistinguishable]) == .better)
        #expect(OverallVerdict([.worse, .indistinguishable, .worse]) == .worse)
        #expect(OverallVerdict([.better, .worse]) == .mixed)
        #expect(OverallVerdict([.indistinguishable, .indistinguishable]) == .indistinguishable)
        #expect(OverallVerdict([]) == .indistinguishable)
    }

    @Test("an adapter compared on whole answers gets a verdict per metric, latency left out of the overall one")
    func adapterComparison() throws {
        let baseAnswers = base.map { ABFixtures.outcome($0, milliseconds: 100) }
        let adapterAnswers = base.enumerated().map {
            ABFixtures.outcome($0.element + 0.1 + Double($0.offset % 3) * 0.01, milliseconds: 150 + Double($0.offset))
        }
        let comparison = try AdapterComparison(
            arm: "tuned", baseline: "base", base: baseAnswers, adapter: adapterAnswers)
        #expect(comparison.verdicts.map(\.metric) == ComparisonMetric.allCases)
        #expect(comparison.metrics(judged: .better) == [.rougeL, .tokenF1, .bleu, .groundedness])
        // Both arms cite the gold source and hold the key facts everywhere: nothing to tell apart.
        #expect(comparison.verdict(.citesGoldSource)?.verdict == .indistinguishable)
        #expect(comparison.verdict(.latency)?.verdict == .worse)
        #expect(comparison.overall == .better)
    }

    @Test("the arms take turns answering first")
    func order() {
        #expect(OfflineComparison.order(arms: 2, question: 0) == [0, 1])
        #expect(OfflineComparison.order(arms: 2, question: 1) == [1, 0])
        #expect(OfflineComparison.order(arms: 3, question: 4) == [1, 2, 0])
    }
}
