import Testing

@testable import RAG

/// Reference values from statsmodels 0.14: `confint_proportions_2indep(..., method="newcomb",
/// compare="diff")` and `proportions_ztest` (pooled); the first case is the worked example of
/// Newcombe (1998), 56/70 against 48/80: 0.0524 to 0.3339.
@Suite("Two-proportion test of thumbs-up rates")
struct TwoProportionTestTests {
    @Test("Newcombe's worked example: interval, pooled z and p-value")
    func newcombeExample() throws {
        let test = try TwoProportionTest(successesA: 48, trialsA: 80, successesB: 56, trialsB: 70)
        #expect(abs(test.difference - 0.2) < 1e-12)
        #expect(abs(test.lower - 0.05243147240236498) < 1e-12)
        #expect(abs(test.upper - 0.33387265403690614) < 1e-12)
        #expect(abs(test.z - 2.6501719512585336) < 1e-12)
        #expect(abs(test.pValue - 0.00804508136819656) < 1e-12)
        #expect(test.verdict == .better)
    }

    @Test("a rate of 1 still gets an interval of some width")
    func rateOfOne() throws {
        let test = try TwoProportionTest(successesA: 7, trialsA: 12, successesB: 10, trialsB: 10)
        #expect(abs(test.lower - 0.0603874874209106) < 1e-12)
        #expect(abs(test.upper - 0.6804886874504503) < 1e-12)
        #expect(abs(test.pValue - 0.020227453708576988) < 1e-12)
        let swapped = try TwoProportionTest(successesA: 10, trialsA: 10, successesB: 7, trialsB: 12)
        #expect(abs(swapped.lower + test.upper) < 1e-12 && abs(swapped.upper + test.lower) < 1e-12)
        #expect(swapped.verdict == .worse)
    }

    @Test("two rates of 0: no difference, p = 1, an interval around 0")
    func bothZero() throws {
        let test = try TwoProportionTest(successesA: 0, trialsA: 15, successesB: 0, trialsB: 20)
        #expect(test.difference == 0 && test.z == 0 && test.pValue == 1)
        #expect(abs(test.lower + 0.20388330103584867) < 1e-12)
        #expect(abs(test.upper - 0.1611251580528194) < 1e-12)
        #expect(test.verdict == .indistinguishable)
    }

    @Test("counts near Int.max do not overflow")
    func huge() throws {
        let test = try TwoProportionTest(
            successesA: Int.max / 2, trialsA: Int.max, successesB: Int.max / 2, trialsB: Int.max)
        #expect(test.verdict == .indistinguishable)
    }

    @Test("counts that make no rate are refused")
    func invalid() {
        #expect(throws: EvaluationError.self) {
            try TwoProportionTest(successesA: 1, trialsA: 0, successesB: 1, trialsB: 2)
        }
        #expect(throws: EvaluationError.self) {
            try TwoProportionTest(successesA: 3, trialsA: 2, successesB: 1, trialsB: 2)
        }
        #expect(throws: EvaluationError.self) {
            try TwoProportionTest(successesA: 1, trialsA: 2, successesB: -1, trialsB: 2)
        }
    }

    @Test("medians average the two middle values of an even count")
    func median() {
        #expect(SampleStatistics.median([3, 1, 2]) == 2)
        #expect(SampleStatistics.median([4, 1, 3, 2]) == 2.5)
        #expect(SampleStatistics.median([]) == 0)
        #expect(SampleStatistics.mean([1, 2, 6]) == 3)
    }
}
