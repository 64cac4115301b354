import Foundation

/// Means, medians and quantiles of a sample of scores, and the normal distribution the tests
/// approximate with. An empty sample has mean and median 0 rather than NaN: the values go into
/// report.json, which JSON cannot hold as NaN, and the count beside them says there was nothing.
public enum SampleStatistics {
    /// The arithmetic mean; 0 for an empty sample.
    public static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    /// The middle value, or the mean of the two middle values of an even count; 0 for an empty sample.
    public static func median(_ values: [Double]) -> Double {
        quantile(values.sorted(), 0.5)
    }

    /// The `probability` quantile of `sorted` values by linear interpolation between order
    /// statistics (Hyndman and Fan's type 7, NumPy's default `percentile`); 0 for no values or a NaN
    /// probability.
    static func quantile(_ sorted: [Double], _ probability: Double) -> Double {
        guard !sorted.isEmpty, !probability.isNaN else { return 0 }
        let position = min(max(probability, 0), 1) * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = min(below + 1, sorted.count - 1)
        return sorted[below] + (position - Double(below)) * (sorted[above] - sorted[below])
    }

    /// The standard normal distribution's upper tail P(Z > z), through `erfc` so that it keeps its
    /// precision far out in the tail where 1 − Φ(z) would round to 0.
    static func normalUpperTail(_ z: Double) -> Double {
        0.5 * erfc(z / 2.0.squareRoot())
    }

    /// The two-sided 95% quantile of the standard normal distribution, Φ⁻¹(0.975).
    static let z95 = 1.959_963_984_540_054
}
