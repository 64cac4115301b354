import Foundation
import Testing

@testable import RAG

/// Reference values: ROUGE-L from `rouge-score` 0.1.2 (`RougeScorer(["rougeL"])`, fmeasure), BLEU
/// from NLTK 3.10.4 (`sentence_bleu` with `SmoothingFunction().method2`), token F1 from SQuAD's
/// `f1_score`, each run on the texts as `ContentWords.tokens` splits them, and checked by hand.
@Suite("Answer metrics against a reference")
struct AnswerMetricsTests {
    // Tokens: the filter must be replaced every three month / replace the filter every three month
    let answer = "The filter must be replaced every three months."
    let reference = "Replace the filter every three months."

    @Test("ROUGE-L F1 is the F-measure of the longest common subsequence")
    func rougeL() {
        // LCS "the filter every three month" = 5 words: P = 5/8, R = 5/6, F1 = 5/7.
        #expect(abs(AnswerMetrics.rougeL(answer, reference: reference) - 0.7142857142857143) < 1e-12)
        #expect(AnswerMetrics.rougeL(reference, reference: reference) == 1)
        #expect(AnswerMetrics.rougeL("Nothing alike.", reference: reference) == 0)
    }

    @Test("splits Chinese by character before taking the subsequence")
    func rougeLChinese() {
        // 重置设备 against 设备重置: the LCS is two characters of four, P = R = F1 = 1/2.
        #expect(abs(AnswerMetrics.rougeL("重置设备", reference: "设备重置") - 0.5) < 1e-12)
    }

    @Test("scores Chinese by character on token F1 and BLEU too, and a number inside it as one word")
    func chineseByCharacter() {
        // 保 修 24 个 月 against 保 修 期 24 个 月: 5 of 5 answer words shared, 5 of 6 reference words.
        #expect(ContentWords.tokens("保修24个月。") == ["保", "修", "24", "个", "月"])
        #expect(abs(AnswerMetrics.tokenF1("保修24个月。", reference: "保修期24个月") - 10.0 / 11) < 1e-12)
        // Unigrams 5/5; bigrams 保修 修24 24个 个月 shared but 修24 (reference: 修期, 期24): 3 of 4, smoothed
        // (3+1)/(4+1); trigrams 24个月 only: (1+1)/(3+1); 4-grams none: (0+1)/(2+1); brevity exp(1 − 6/5).
        let expected = exp(1 - 6.0 / 5) * pow(1.0 * (4.0 / 5) * (2.0 / 4) * (1.0 / 3), 0.25)
        #expect(abs(AnswerMetrics.bleu("保修24个月。", reference: "保修期24个月") - expected) < 1e-12)
        #expect(AnswerMetrics.bleu("保修二十四个月", reference: "保修二十四个月") == 1)
    }

    @Test("token F1 counts shared words as multisets without articles")
    func tokenF1() {
        // Without "the": 7 answer words, 5 reference words, 4 shared: P = 4/7, R = 4/5, F1 = 2/3.
        #expect(abs(AnswerMetrics.tokenF1(answer, reference: reference) - 0.6666666666666666) < 1e-12)
        // "x x y" against "x y y": shared {x, y} once each, P = R = 2/3.
        #expect(abs(AnswerMetrics.tokenF1("x x y", reference: "x y y") - 2.0 / 3) < 1e-12)
        #expect(AnswerMetrics.tokenF1("The answer!", reference: "an ANSWER") == 1)
    }

    @Test("BLEU smooths higher orders by adding one and matches NLTK's method2")
    func bleu() {
        // p1 = 5/8, p2 = (3+1)/(7+1), p3 = (1+1)/(6+1), p4 = (0+1)/(5+1), no brevity penalty.
        #expect(abs(AnswerMetrics.bleu(answer, reference: reference) - 0.34926710282900486) < 1e-12)
        // "three month": p = 1, 1, 1/2, 1/2 and brevity penalty exp(1 − 6/2).
        #expect(abs(AnswerMetrics.bleu("Three months.", reference: reference) - 0.09569649651041094) < 1e-12)
        #expect(abs(AnswerMetrics.bleu(reference, reference: reference) - 1) < 1e-12)
        #expect(AnswerMetrics.bleu("Nothing here.", reference: reference) == 0)
    }

    @Test("groundedness is the share of the answer's distinct content words found in the passages")
    func groundedness() {
        let passages = ["Clean the brush every week.", "The battery lasts two years; replace it when runtime drops."]
        // clean, brush, replace, battery are in the passages; weekly and yearly are not.
        let score = AnswerMetrics.groundedness(
            "Clean the brush weekly and replace the battery yearly. Clean it!", passages: passages)
        #expect(abs(score - 4.0 / 6) < 1e-12)
        #expect(AnswerMetrics.groundedness("Clean the brush.", passages: passages) == 1)
        #expect(AnswerMetrics.groundedness("Clean the brush.", passages: []) == 0)
    }

    @Test("an answer without content words is not grounded")
    func groundednessOfNothing() {
        #expect(AnswerMetrics.groundedness("", passages: ["Clean the brush."]) == 0)
        #expect(AnswerMetrics.groundedness("It is what it is.", passages: ["Clean the brush."]) == 0)
    }

    @Test("an empty answer or reference scores 0 on every overlap metric")
    func empty() {
        for (answer, reference) in [("", reference), (answer, ""), ("", ""), ("?!", "...")] {
            let metrics = AnswerMetrics(answer: answer, reference: reference, passages: [])
            #expect(metrics.rougeL == 0)
            #expect(metrics.tokenF1 == 0)
            #expect(metrics.bleu == 0)
        }
    }

    @Test("all four scores come out of one call, each within [0, 1] on odd input")
    func together() {
        let metrics = AnswerMetrics(answer: answer, reference: reference, passages: [reference])
        #expect(metrics.rougeL == AnswerMetrics.rougeL(answer, reference: reference))
        #expect(metrics.tokenF1 == AnswerMetrics.tokenF1(answer, reference: reference))
        #expect(metrics.bleu == AnswerMetrics.bleu(answer, reference: reference))
        #expect(metrics.groundedness == AnswerMetrics.groundedness(answer, passages: [reference]))
        let odd = ["\u{0}", "🙂🙂", "a", String(repeating: "word ", count: 500), "ｅ１ ｅ１", "重"]
        for first in odd {
            for second in odd {
                let scores = AnswerMetrics(answer: first, reference: second, passages: [second])
                for value in [scores.rougeL, scores.tokenF1, scores.bleu, scores.groundedness] {
                    #expect(value >= 0 && value <= 1 + 1e-12)
                }
            }
        }
    }
}
