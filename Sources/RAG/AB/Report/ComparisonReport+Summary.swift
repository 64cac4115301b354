import Foundation

extension ComparisonReport {
    /// The verdict on one adapter in a sentence, as the top of report.html and the terminal say it.
    public func headline(_ comparison: AdapterComparison) -> String {
        let arm = comparison.arm
        let base = comparison.baseline
        let quality = comparison.verdicts.filter { $0.metric.higherIsBetter }
        func names(_ verdict: ArmVerdict) -> String {
            Self.list(quality.filter { $0.verdict == verdict }.map(\.metric.title))
        }
        let n = comparison.questions
        switch comparison.overall {
        case .better:
            return "\(arm) answers BETTER than \(base) on \(n) questions: better on \(names(.better)), "
                + "worse on nothing."
        case .worse:
            return "\(arm) answers WORSE than \(base) on \(n) questions: worse on \(names(.worse)), "
                + "better on nothing."
        case .mixed:
            return "\(arm) against \(base) is MIXED on \(n) questions: better on \(names(.better)), "
                + "worse on \(names(.worse))."
        case .indistinguishable:
            return "\(arm) and \(base) are NOT DISTINGUISHABLE on \(n) questions: no quality metric differs "
                + "significantly (Wilcoxon p < \(Self.number(settings.alpha)) with a 95% interval of the "
                + "difference clear of 0)."
        }
    }

    /// Whether the adapter is faster or slower, in a sentence.
    public func latencyLine(_ comparison: AdapterComparison) -> String {
        guard let latency = comparison.verdict(.latency) else { return "" }
        let difference = latency.difference
        let figures =
            String(format: "%+.0f ms per answer [%+.0f, %+.0f]", difference.mean, difference.lower, difference.upper)
            + ", Wilcoxon \(Self.pText(latency.wilcoxon.pValue))"
        switch latency.verdict {
        case .better: return "Latency: \(comparison.arm) is faster (\(figures))."
        case .worse: return "Latency: \(comparison.arm) is slower (\(figures))."
        case .indistinguishable: return "Latency: no distinguishable difference (\(figures))."
        }
    }

    /// What the adapter did to the general answers, in a sentence; nil without the check.
    public func generalLine(_ comparison: AdapterComparison) -> String? {
        guard let general, let tally = general.tallies.first(where: { $0.arm == comparison.arm }) else {
            return nil
        }
        let verdict =
            tally.test.pValue < settings.alpha
            ? (tally.adapterCorrect > tally.baseCorrect ? "more correct answers" : "fewer correct answers")
            : "no significant change in correct answers"
        return "General questions (no retrieval): \(tally.arm) changed \(tally.changed) of \(tally.questions) "
            + "answers; \(tally.stayedCorrect) of the base's \(tally.baseCorrect) correct answers stayed correct, "
            + "it lost \(tally.lost) and gained \(tally.gained) (\(tally.baseCorrect) → \(tally.adapterCorrect) "
            + "correct; sign test \(Self.pText(tally.test.pValue)): \(verdict))."
    }

    /// The terminal summary: the verdicts, then a table of every metric per arm.
    public func summaryText(reportDirectory: String? = nil) -> String {
        var lines: [String] = []
        for comparison in comparisons {
            lines.append(headline(comparison))
            lines.append(latencyLine(comparison))
            if let general = generalLine(comparison) { lines.append(general) }
            lines.append("")
        }
        let width = max(24, (arms.map(\.arm.count).max() ?? 0) + 2)
        var header = "metric".padding(toLength: 24, withPad: " ", startingAt: 0)
        for arm in arms { header += "  " + arm.arm.padding(toLength: width, withPad: " ", startingAt: 0) }
        for comparison in comparisons { header += "  difference (\(comparison.arm)), p, verdict" }
        lines.append(header)
        for metric in ComparisonMetric.allCases {
            var line = metric.title.padding(toLength: 24, withPad: " ", startingAt: 0)
            for arm in arms {
                let interval = arm.interval(metric)
                let text =
                    "\(Self.value(interval.mean, metric)) [\(Self.value(interval.lower, metric)), "
                    + "\(Self.value(interval.upper, metric))]"
                line += "  " + text.padding(toLength: width, withPad: " ", startingAt: 0)
            }
            for comparison in comparisons {
                guard let verdict = comparison.verdict(metric) else { continue }
                let difference = verdict.difference
                line +=
                    "  \(Self.signed(difference.mean, metric)) [\(Self.signed(difference.lower, metric)), "
                    + "\(Self.signed(difference.upper, metric))], \(Self.pText(verdict.wilcoxon.pValue)), "
                    + verdict.verdict.rawValue
            }
            lines.append(line)
        }
        lines.append(answerShapes)
        if let reportDirectory {
            lines.append("")
            lines.append("report: \(reportDirectory)/report.html and \(reportDirectory)/report.json")
        }
        return lines.joined(separator: "\n")
    }

    /// How many answers of each arm reached the token limit, quoted the best passage instead of
    /// saying anything usable, or were left empty: what explains many a score of a small model.
    public var answerShapes: String {
        "Cut at the token limit: "
            + arms.map { "\($0.arm) \($0.cutAtLimit)" }.joined(separator: ", ")
            + ". Quoting the best passage (nothing usable said, scored as the passage's words): "
            + arms.map { "\($0.arm) \($0.quotedPassage)" }.joined(separator: ", ")
            + ". Left empty (nothing usable said and no passage to quote, scored 0): "
            + arms.map { "\($0.arm) \($0.empty)" }.joined(separator: ", ") + "."
    }

    /// "A", "A and B", "A, B and C"; "nothing" for none.
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return "nothing"
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
        }
    }

    /// A metric's value: three decimals, whole milliseconds for latency.
    static func value(_ value: Double, _ metric: ComparisonMetric) -> String {
        String(format: metric.isUnitInterval ? "%.3f" : "%.0f", value)
    }

    /// A difference with its sign.
    static func signed(_ value: Double, _ metric: ComparisonMetric) -> String {
        String(format: metric.isUnitInterval ? "%+.3f" : "%+.0f", value)
    }

    /// A p-value to three significant places, "< 0.001" below.
    static func pValue(_ p: Double) -> String {
        p < 0.001 ? "< 0.001" : String(format: "%.3f", p)
    }

    /// "p = 0.049", or "p < 0.001".
    static func pText(_ p: Double) -> String {
        p < 0.001 ? "p < 0.001" : "p = " + pValue(p)
    }

    static func number(_ value: Double) -> String {
        String(format: "%g", value)
    }
}
