/// How arm B compares with arm A at a test's significance level.
public enum ArmVerdict: String, Sendable, Codable {
    /// B scores higher, and chance alone would rarely make it look so (p < alpha).
    case better
    /// B scores lower, and chance alone would rarely make it look so.
    case worse
    /// The test cannot tell the arms apart on these questions: not the same as "equal".
    case indistinguishable

    /// The verdict for a p-value and the direction the data lean (> 0: towards B).
    init(pValue: Double, direction: Double, alpha: Double) {
        if pValue < alpha, direction > 0 {
            self = .better
        } else if pValue < alpha, direction < 0 {
            self = .worse
        } else {
            self = .indistinguishable
        }
    }
}

/// What a paired test found.
public struct PairedTestResult: Sendable, Codable, Equatable {
    /// The test's statistic: for Wilcoxon the smaller of the two signed-rank sums (as SciPy
    /// reports it), for the sign test the number of questions on which B scored higher.
    public var statistic: Double
    /// The two-sided p-value.
    public var pValue: Double
    /// The questions the test used: those on which the arms differ.
    public var n: Int
    /// Whether the p-value is exact (enumerated) rather than a normal approximation.
    public var exact: Bool
    public var verdict: ArmVerdict
}

/// Two-sided tests of whether arm B scores differently from arm A on the same questions.
///
/// Both tests drop the questions on which the arms score the same (Wilcoxon's original
/// treatment, SciPy's `zero_method="wilcox"`) and then ask whether B's wins outnumber or outweigh
/// its losses. The verdict follows the direction the test measured (more or larger wins for B:
/// `.better`), so it can never contradict the test's own statistic; a mean difference can, when
/// one question's large loss outweighs many small wins.
public enum PairedTest {
    /// The significance level of the verdicts.
    public static let alpha = 0.05

    /// Differences this close to 0 count as ties between the arms. Scores are ratios of small
    /// counts, and 2/3 − 1/3 and 1/3 − 0 differ in the last bit of a Double.
    static let zeroTolerance = 1e-12
}
