import Foundation

extension PairedTest {
    /// The sign test: under no difference, each question on which the arms differ is equally
    /// likely to favour either, so the number favouring B is Binomial(n, 1/2). The p-value is the
    /// exact two-sided binomial one, as SciPy's `binomtest(k, n, 0.5)`: twice the smaller tail,
    /// at most 1. It ignores how large each difference is, so it is weaker than Wilcoxon but
    /// assumes nothing about the differences' distribution.
    public static func sign(_ pairs: PairedScores, alpha: Double = alpha) -> PairedTestResult {
        let differences = pairs.differences.filter { abs($0) > zeroTolerance }
        let n = differences.count
        let wins = differences.filter { $0 > 0 }.count
        let pValue = binomialTwoSided(successes: wins, trials: n)
        return PairedTestResult(
            statistic: Double(wins), pValue: pValue, n: n, exact: true,
            verdict: ArmVerdict(pValue: pValue, direction: Double(2 * wins - n), alpha: alpha))
    }

    /// The exact two-sided p-value of `successes` in `trials` fair coin flips. Terms are summed
    /// in logarithms (`lgamma`), since C(n, k) / 2ⁿ overflows and underflows a Double past n ≈ 1000.
    static func binomialTwoSided(successes: Int, trials: Int) -> Double {
        let smaller = min(successes, trials - successes)
        guard trials > 0, 2 * smaller < trials else { return 1 }
        let n = Double(trials)
        let logAllOutcomes: Double = lgamma(n + 1) - n * log(2.0)  // log(n! / 2ⁿ)
        var tail = 0.0
        for k in 0...smaller {
            let x = Double(k)
            let logTerm: Double = logAllOutcomes - lgamma(x + 1) - lgamma(n - x + 1)
            tail += exp(logTerm)
        }
        return min(1, 2 * tail)
    }
}
