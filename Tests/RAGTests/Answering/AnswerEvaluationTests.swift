import Testing

@testable import RAG

@Suite("Answer evaluation")
struct AnswerEvaluationTests {
    @Test("key facts are the reference's numbers and codes")
    func keyFacts() {
        #expect(
            AnswerEvaluation.keyFacts(
                in: "Replace it every 3 to 6 months; part AX2-HF2 (two per pack), 24-month cover.")
                == ["3", "6", "ax2-hf2", "24-month"])
        #expect(
            AnswerEvaluation.containsKeyFacts(
                "Every 3-6 months, order AX2-HF2, 24-month warranty.",
                reference: "Every 3 to 6 months: AX2-HF2. 24-month."))
        #expect(!AnswerEvaluation.containsKeyFacts("Every 6 months.", reference: "Every 3 to 6 months."))
        #expect(
            AnswerEvaluation.keyFacts(in: "The X2 runs 90 minutes.", question: "How long does the X2 run?") == ["90"])
    }

    @Test("a number inside Chinese text is a key fact of its own")
    func chineseKeyFacts() {
        #expect(AnswerEvaluation.keyFacts(in: "保修24个月，从收货之日起计算。") == ["24"])
        #expect(AnswerEvaluation.containsKeyFacts("整机保修24个月。", reference: "保修24个月，从收货之日起计算。"))
        #expect(!AnswerEvaluation.containsKeyFacts("保修12个月。", reference: "保修24个月，从收货之日起计算。"))
    }

    @Test("without numbers, half the reference's content words must appear")
    func contentWords() {
        #expect(AnswerEvaluation.containsKeyFacts("No, only dry floors.", reference: "No. Dry indoor floors only."))
        #expect(!AnswerEvaluation.containsKeyFacts("Yes, any floor.", reference: "No. Dry indoor floors only."))
    }

    @Test("medians and 95th percentiles by nearest rank")
    func quantiles() {
        let values = (1...20).map(Double.init)
        #expect(AnswerScores.quantile(values, 0.5) == 10)
        #expect(AnswerScores.quantile(values, 0.95) == 19)
        #expect(AnswerScores.quantile([], 0.5) == 0)
    }

    @Test("the scores count the answers that quote the best passage and give latency quantiles")
    func scores() {
        let outcomes = (1...10).map { index in
            ABFixtures.outcome(
                0.5, id: "q\(index)", milliseconds: Double(index * 100), quotesPassage: index.isMultiple(of: 4))
        }
        let scores = AnswerScores(outcomes)
        #expect(scores.questions == 10)
        #expect(scores.quotingPassage == 2)
        #expect(scores.totalMedianMilliseconds == 500)
        #expect(scores.timeToFirstTokenP95Milliseconds == 500)
    }
}
