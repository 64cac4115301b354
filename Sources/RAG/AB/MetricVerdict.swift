/// Whether an adapter arm does better or worse than the base on one metric, and on what evidence.
///
/// The verdict asks two things of the same paired data, and needs both: the Wilcoxon signed-rank
/// test must reject "no difference" (p < alpha), and the 95% bootstrap interval of the mean
/// difference must exclude 0 on the same side as the test leans. The two can disagree when a few
/// large differences pull the mean one way while most questions lean the other; a report that
/// then said "better" would be arguing with its own figures, so it says "indistinguishable".
/// For latency, where less is better, "better" means faster.
public struct MetricVerdict: Sendable, Codable, Equatable {
    public var metric: ComparisonMetric
    /// The adapter against the base, oriented so that `.better` is good news for the adapter.
    public var verdict: ArmVerdict
    /// The mean of adapter − base over the questions, with its bootstrap interval.
    public var difference: BootstrapInterval
    /// The Wilcoxon signed-rank test the verdict rests on.
    public var wilcoxon: PairedTestResult
    /// The sign test, reported beside it: it assumes less and sees less.
    public var sign: PairedTestResult

    public init(metric: ComparisonMetric, comparison: MetricComparison) {
        self.metric = metric
        difference = comparison.difference
        wilcoxon = comparison.wilcoxon
        sign = comparison.sign
        verdict = Self.decide(comparison, higherIsBetter: metric.higherIsBetter)
    }

    /// The verdict on `comparison` (B = the adapter, A = the base).
    public static func decide(_ comparison: MetricComparison, higherIsBetter: Bool) -> ArmVerdict {
        let tested = comparison.wilcoxon.verdict
        let interval = comparison.difference
        let shown: ArmVerdict =
            interval.lower > 0 ? .better : interval.upper < 0 ? .worse : .indistinguishable
        guard tested != .indistinguishable, tested == shown else { return .indistinguishable }
        guard !higherIsBetter else { return tested }
        return tested == .better ? .worse : .better
    }
}

/// The verdict on an adapter over all the quality metrics at once.
public enum OverallVerdict: String, Sendable, Codable {
    /// Better on at least one metric and worse on none.
    case better
    /// Worse on at least one metric and better on none.
    case worse
    /// Better on some metrics and worse on others: read the table.
    case mixed
    /// No metric tells the arms apart on these questions.
    case indistinguishable

    /// Combines per-metric verdicts (latency left out by the caller).
    public init(_ verdicts: [ArmVerdict]) {
        let better = verdicts.contains(.better)
        let worse = verdicts.contains(.worse)
        switch (better, worse) {
        case (true, false): self = .better
        case (false, true): self = .worse
        case (true, true): self = .mixed
        case (false, false): self = .indistinguishable
        }
    }
}
