import Foundation

/// A bar chart drawn as inline SVG: one bar per arm at its mean, with a whisker over its
/// confidence interval. Inline, so that report.html needs no script, font or image beside it.
struct IntervalBarChart {
    struct Bar {
        var label: String
        var interval: BootstrapInterval
        /// A CSS colour.
        var colour: String
    }

    /// Names the chart for screen readers and for tests (`data-metric`).
    var identifier: String
    var title: String
    var bars: [Bar]
    /// The top of the value axis; nil: a round number above the highest whisker.
    var maximum: Double?
    /// How values are written on the axis and over the bars.
    var format: (Double) -> String

    // Geometry in SVG user units: the plot spans x from `left`, y from `top` to `bottom`.
    static let left = 48
    static let slot = 96
    static let barWidth = 52
    static let top = 18
    static let bottom = 176
    static let height = 206
    static let ticks = 4

    func svg() -> String {
        let width = Self.left + max(bars.count, 1) * Self.slot + 12
        let scale = maximum ?? Self.roundedUp(bars.map { max($0.interval.upper, $0.interval.mean) }.max() ?? 1)
        let plotHeight = Double(Self.bottom - Self.top)
        func y(_ value: Double) -> Double {
            let clamped = min(max(value, 0), scale)
            return Double(Self.bottom) - clamped / scale * plotHeight
        }
        let label = HTMLText.escape(title)
        var svg = """
            <svg class="chart" data-metric="\(HTMLText.escape(identifier))" role="img" aria-label="\(label)" \
            viewBox="0 0 \(width) \(Self.height)" width="\(width)" height="\(Self.height)">
            <title>\(label)</title>

            """
        for tick in 0...Self.ticks {
            let value = scale * Double(tick) / Double(Self.ticks)
            let tickY = Self.coordinate(y(value))
            svg += """
                <line class="grid" x1="\(Self.left)" y1="\(tickY)" x2="\(width - 8)" y2="\(tickY)"/>\
                <text class="tick" x="\(Self.left - 6)" y="\(tickY)" text-anchor="end" dominant-baseline="middle">\
                \(HTMLText.escape(format(value)))</text>

                """
        }
        for (index, bar) in bars.enumerated() {
            let centre = Self.left + index * Self.slot + Self.slot / 2
            let barTop = y(bar.interval.mean)
            let low = y(bar.interval.lower)
            let high = y(bar.interval.upper)
            let name = HTMLText.escape(bar.label)
            svg += """
                <g class="arm"><title>\(name): \(HTMLText.escape(format(bar.interval.mean))) \
                [\(HTMLText.escape(format(bar.interval.lower))), \(HTMLText.escape(format(bar.interval.upper)))]</title>\
                <rect x="\(centre - Self.barWidth / 2)" y="\(Self.coordinate(barTop))" width="\(Self.barWidth)" \
                height="\(Self.coordinate(Double(Self.bottom) - barTop))" fill="\(bar.colour)"/>\
                <line class="whisker" x1="\(centre)" y1="\(Self.coordinate(low))" x2="\(centre)" \
                y2="\(Self.coordinate(high))"/>\
                <line class="whisker" x1="\(centre - 9)" y1="\(Self.coordinate(low))" x2="\(centre + 9)" \
                y2="\(Self.coordinate(low))"/>\
                <line class="whisker" x1="\(centre - 9)" y1="\(Self.coordinate(high))" x2="\(centre + 9)" \
                y2="\(Self.coordinate(high))"/>\
                <text class="value" x="\(centre)" y="\(Self.coordinate(min(high, barTop) - 5))" \
                text-anchor="middle">\(HTMLText.escape(format(bar.interval.mean)))</text>\
                <text class="label" x="\(centre)" y="\(Self.bottom + 18)" text-anchor="middle">\(name)</text></g>

                """
        }
        svg += """
            <line class="axis" x1="\(Self.left)" y1="\(Self.bottom)" x2="\(width - 8)" y2="\(Self.bottom)"/>
            </svg>
            """
        return svg
    }

    /// A coordinate with one decimal, enough for a screen and short in the file.
    static func coordinate(_ value: Double) -> String {
        String(format: "%.1f", value.isFinite ? value : 0)
    }

    /// The smallest of 1, 2, 2.5 and 5 times a power of ten at or above `value` (1 for none).
    static func roundedUp(_ value: Double) -> Double {
        guard value.isFinite, value > 0 else { return 1 }
        let power = pow(10, (log10(value)).rounded(.down))
        for step in [1, 2, 2.5, 5, 10] where step * power >= value * (1 - 1e-12) {
            return step * power
        }
        return 10 * power
    }
}
