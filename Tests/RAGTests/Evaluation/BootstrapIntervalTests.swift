import Testing

@testable import RAG

@Suite("Bootstrap interval of a mean")
struct BootstrapIntervalTests {
    @Test("one value or a constant sample has no width")
    func constant() {
        #expect(BootstrapInterval(meanOf: [0.7]) == BootstrapInterval(mean: 0.7, lower: 0.7, upper: 0.7))
        let constant = BootstrapInterval(meanOf: [Double](repeating: 0.25, count: 40))
        #expect(constant.lower == 0.25 && constant.upper == 0.25 && constant.mean == 0.25)
    }

    @Test("no values give 0 and an empty interval, and odd settings do not crash")
    func degenerate() {
        #expect(BootstrapInterval(meanOf: []) == BootstrapInterval(mean: 0, lower: 0, upper: 0))
        let once = BootstrapInterval(meanOf: [0, 1], resamples: 0, confidence: 2)
        #expect(once.lower == once.upper)
        let whole = BootstrapInterval(meanOf: [0, 1], resamples: 100, confidence: -1)
        #expect(whole.lower == whole.upper)
        #expect(BootstrapInterval(meanOf: [0, 1], confidence: .nan) == BootstrapInterval(meanOf: [0, 1]))
        #expect(BootstrapInterval(meanOf: [0, .nan], resamples: 10).mean.isNaN)
    }

    @Test("two values: resampled means 0, 1/2, 1 with chance 1/4, 1/2, 1/4, so the interval is [0, 1]")
    func twoValues() {
        let interval = BootstrapInterval(meanOf: [0, 1])
        #expect(interval.mean == 0.5)
        #expect(interval.lower == 0 && interval.upper == 1)
    }

    @Test("the same seed gives the same interval; another seed a slightly different one")
    func seeded() {
        let values = (0..<50).map { Double(($0 * 37) % 11) / 10 }
        #expect(BootstrapInterval(meanOf: values, seed: 3) == BootstrapInterval(meanOf: values, seed: 3))
        let other = BootstrapInterval(meanOf: values, seed: 4)
        #expect(other != BootstrapInterval(meanOf: values, seed: 3))
        #expect(abs(other.lower - BootstrapInterval(meanOf: values, seed: 3).lower) < 0.03)
    }

    @Test("for 100 evenly spread values it matches the normal interval mean ± 1.96·σ/√n")
    func normalApproximation() {
        let values = (0..<100).map { Double($0) / 100 }
        let mean = SampleStatistics.mean(values)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        let halfWidth = 1.96 * (variance / Double(values.count)).squareRoot()  // 0.0566
        let interval = BootstrapInterval(meanOf: values, resamples: 4000)
        #expect(abs(interval.mean - 0.495) < 1e-12)
        #expect(abs(interval.lower - (mean - halfWidth)) < 0.006)
        #expect(abs(interval.upper - (mean + halfWidth)) < 0.006)
    }

    @Test("a paired difference is the interval of the mean of B − A")
    func pairedDifference() throws {
        let a = (0..<30).map { Double($0 % 7) / 7 }
        let b = a.enumerated().map { $0.element + ($0.offset % 3 == 0 ? 0.3 : 0.1) }
        let pairs = try PairedScores(a: a, b: b)
        let interval = BootstrapInterval(meanDifferenceOf: pairs)
        #expect(interval == BootstrapInterval(meanOf: pairs.differences))
        #expect(abs(interval.mean - (10 * 0.3 + 20 * 0.1) / 30) < 1e-12)
        #expect(!interval.contains(0))
        #expect(interval.lower >= 0.1 - 1e-12 && interval.upper <= 0.3 + 1e-12)
    }

    @Test("pairs must have equal counts of finite scores")
    func invalidPairs() {
        #expect(throws: EvaluationError.self) { try PairedScores(a: [1, 2], b: [1]) }
        #expect(throws: EvaluationError.self) { try PairedScores(a: [1, .nan], b: [1, 2]) }
        #expect(throws: EvaluationError.self) { try PairedScores(a: [1, 2], b: [.infinity, 2]) }
    }
}
