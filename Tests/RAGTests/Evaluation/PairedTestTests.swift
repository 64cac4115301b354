import Testing

@testable import RAG

/// Reference p-values from SciPy 1.17.1: `scipy.stats.wilcoxon(d, method=...)` on the differences
/// B − A, and `scipy.stats.binomtest(k, n).pvalue`.
@Suite("Paired tests of arm B against arm A")
struct PairedTestTests {
    /// Arm A scoring 0 everywhere, so that the differences are `differences` to the bit.
    func pairs(_ differences: [Double]) throws -> PairedScores {
        try PairedScores(a: [Double](repeating: 0, count: differences.count), b: differences)
    }

    /// 0.01, 0.02, ... 0.30, every third one negative.
    func alternating(_ index: Int) -> Double {
        let sign: Double = index % 3 == 0 ? -1 : 1
        return Double(index + 1) / 100 * sign
    }

    @Test("Wilcoxon is exact for 10 untied differences (scipy method=\"exact\")")
    func wilcoxonExact() throws {
        let result = PairedTest.wilcoxon(try pairs([0.3, -0.1, 0.45, 0.2, 0.05, -0.25, 0.6, 0.15, 0.35, -0.02]))
        #expect(result.statistic == 10)
        #expect(abs(result.pValue - 0.083984375) < 1e-12)
        #expect(result.n == 10 && result.exact)
        #expect(result.verdict == .indistinguishable)
    }

    @Test("with ties and zeros, small n gets the exact permutation p-value (scipy PermutationMethod)")
    func wilcoxonTiesExact() throws {
        let result = PairedTest.wilcoxon(try pairs([0.5, 0.5, -0.25, 0.25, 0, 1, 0.5, -0.5, 0.25, 0.75, 0]))
        #expect(result.statistic == 7.5)
        #expect(abs(result.pValue - 0.09375) < 1e-12)
        #expect(result.n == 9 && result.exact)
    }

    @Test("above 25 differences, the normal approximation with tie and continuity corrections")
    func wilcoxonApproximate() throws {
        // 40 differences in sixths, 3 of them 0, many tied.
        let tied = PairedTest.wilcoxon(try pairs((0..<40).map { Double((($0 * 7) % 13) - 5) / 6 }))
        #expect(tied.statistic == 262)
        #expect(abs(tied.pValue - 0.17811143847801558) < 1e-12)
        #expect(tied.n == 37 && !tied.exact)
        let untied = PairedTest.wilcoxon(try pairs((0..<30).map(alternating)))
        #expect(untied.statistic == 145)
        #expect(abs(untied.pValue - 0.07354309334531801) < 1e-12)
    }

    @Test("differences equal but for rounding share a rank, and near-zero ones are dropped")
    func wilcoxonRounding() throws {
        // 0.7 − 0.4 is 0.29999999999999993, not 0.3; 0.3 − (0.1 + 0.2) is −5.6e-17, not 0.
        let rounded = try PairedScores(
            a: [0.4, 0, 0.1 + 0.2, 0.2, 0.5, 0.25], b: [0.7, 0.3, 0.3, 0.5, 0.2, 0.75])
        let exact = try pairs([0.3, 0.3, 0, 0.3, -0.3, 0.5])
        #expect(rounded.differences[0] != rounded.differences[1])
        let result = PairedTest.wilcoxon(rounded)
        #expect(result == PairedTest.wilcoxon(exact))
        #expect(result.n == 5)
    }

    @Test("a consistent improvement is better, a consistent loss worse")
    func wilcoxonVerdicts() throws {
        let gains = (0..<30).map { 0.01 * Double($0 % 5 + 1) }
        let better = PairedTest.wilcoxon(try pairs(gains))
        #expect(better.verdict == .better && better.pValue < 1e-5)
        #expect(PairedTest.wilcoxon(try pairs(gains.map { -$0 })).verdict == .worse)
        // Exact too: 8 of 8 wins give p = 2/256.
        let small = PairedTest.wilcoxon(try pairs([Double](repeating: 0.2, count: 8)))
        #expect(small.exact && abs(small.pValue - 2.0 / 256) < 1e-12 && small.verdict == .better)
    }

    @Test("identical arms or no questions: p = 1 and indistinguishable")
    func wilcoxonNothing() throws {
        for scores in [[], [0.5, 0.5]] as [[Double]] {
            let same = try PairedScores(a: scores, b: scores)
            for result in [PairedTest.wilcoxon(same), PairedTest.sign(same)] {
                #expect(result.pValue == 1 && result.n == 0 && result.verdict == .indistinguishable)
            }
        }
    }

    @Test("the sign test's p-value is scipy's binomtest")
    func signPValues() {
        let cases: [(Int, Int, Double)] = [
            (7, 9, 0.1796875), (3, 12, 0.14599609375), (60, 100, 0.05688793364098089), (0, 5, 0.0625),
            (5, 10, 1), (2000, 3900, 0.11289365225934829), (1, 1, 1),
        ]
        for (successes, trials, expected) in cases {
            let p = PairedTest.binomialTwoSided(successes: successes, trials: trials)
            #expect(abs(p - expected) < 1e-9 * max(1, expected), "\(successes) of \(trials)")
        }
    }

    @Test("the sign test counts B's wins among the questions that differ")
    func sign() throws {
        // 3 wins, 9 losses, 1 tie.
        let differences: [Double] = [0.1, -0.2, -0.3, 0.4, -0.1, -0.5, -0.2, 0, -0.1, 0.3, -0.6, -0.2, -0.9]
        let result = PairedTest.sign(try pairs(differences))
        #expect(result.statistic == 3 && result.n == 12 && result.exact)
        #expect(abs(result.pValue - 0.14599609375) < 1e-12)
        #expect(result.verdict == .indistinguishable)
        let allWins = PairedTest.sign(try pairs([Double](repeating: 0.1, count: 6)))
        #expect(abs(allWins.pValue - 0.03125) < 1e-12 && allWins.verdict == .better)
    }
}
