/// Compares two rates of independent votes, such as the share of thumbs-up that arm A's and arm
/// B's answers got online: the difference B − A with a 95% interval, and a two-sided p-value.
///
/// The interval is Newcombe's hybrid score interval (Newcombe 1998, method 10), built from each
/// rate's Wilson interval, rather than the Wald interval p ± 1.96·√(p(1 − p)/n): thumbs-up rates
/// sit near 1 and the first days bring few votes, and there Wald's interval is too narrow (at a
/// rate of 0 or 1 it has no width at all) and can pass ±1, while Newcombe's keeps close to its
/// nominal 95% and stays inside [−1, 1]. The p-value is the pooled two-proportion z-test's (the
/// same as Pearson's χ² test without continuity correction), so the interval and the test can
/// disagree at the edge of significance; the verdict follows the test.
public struct TwoProportionTest: Sendable, Codable, Equatable {
    public var rateA: Double
    public var rateB: Double
    /// `rateB − rateA`.
    public var difference: Double
    public var lower: Double
    public var upper: Double
    /// The pooled z statistic, positive when B's rate is the higher.
    public var z: Double
    public var pValue: Double
    public var verdict: ArmVerdict

    /// Compares `successesB` of `trialsB` with `successesA` of `trialsA`. Each arm needs at least
    /// one trial and 0 ≤ successes ≤ trials.
    public init(successesA: Int, trialsA: Int, successesB: Int, trialsB: Int, alpha: Double = PairedTest.alpha)
        throws
    {
        for (arm, successes, trials) in [("A", successesA, trialsA), ("B", successesB, trialsB)] {
            guard trials > 0, successes >= 0, successes <= trials else {
                throw EvaluationError(
                    message:
                        "arm \(arm) has \(successes) successes in \(trials) trials; a rate needs at least one trial "
                        + "and between 0 and that many successes")
            }
        }
        rateA = Double(successesA) / Double(trialsA)
        rateB = Double(successesB) / Double(trialsB)
        difference = rateB - rateA
        let (lowerA, upperA) = Self.wilson(successes: successesA, trials: trialsA)
        let (lowerB, upperB) = Self.wilson(successes: successesB, trials: trialsB)
        lower = difference - ((rateB - lowerB) * (rateB - lowerB) + (upperA - rateA) * (upperA - rateA)).squareRoot()
        upper = difference + ((upperB - rateB) * (upperB - rateB) + (rateA - lowerA) * (rateA - lowerA)).squareRoot()
        let pooled = (Double(successesA) + Double(successesB)) / (Double(trialsA) + Double(trialsB))
        let standardError = (pooled * (1 - pooled) * (1 / Double(trialsA) + 1 / Double(trialsB))).squareRoot()
        // Both rates 0 or both 1: no variation, and no evidence of a difference.
        z = standardError > 0 ? difference / standardError : 0
        pValue = min(1, 2 * SampleStatistics.normalUpperTail(abs(z)))
        verdict = ArmVerdict(pValue: pValue, direction: difference, alpha: alpha)
    }

    /// Wilson's score interval of one rate at 95% (Wilson 1927).
    static func wilson(successes: Int, trials: Int) -> (lower: Double, upper: Double) {
        let n = Double(trials)
        let rate = Double(successes) / n
        let z = SampleStatistics.z95
        let denominator = 1 + z * z / n
        let centre = (rate + z * z / (2 * n)) / denominator
        let halfWidth = z / denominator * (rate * (1 - rate) / n + z * z / (4 * n * n)).squareRoot()
        return (max(0, centre - halfWidth), min(1, centre + halfWidth))
    }
}
