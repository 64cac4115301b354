import Foundation
import Testing

@testable import RAG

@Suite("The A/B report as HTML and as a terminal summary")
struct ComparisonReportHTMLTests {
    @Test("the five characters HTML gives meaning to are escaped")
    func escaping() {
        #expect(
            HTMLText.escape(#"<script>alert("x" & 'y')</script>"#)
                == "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;")
        #expect(HTMLText.escape("保修24个月 — ok") == "保修24个月 — ok")
    }

    @Test("questions, answers and passages from the model or a user appear only escaped")
    func escapesContent() throws {
        let report = try ABFixtures.report(
            shift: 0.1, question: "Is <b>bold</b> & \"quoted\" OK?", answer: "<script>alert(1)</script>",
            passage: "<img src=x onerror=alert(2)>")
        let html = report.html()
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>bold"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("Is &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; OK?"))
        #expect(html.contains("&lt;img src=x onerror=alert(2)&gt;"))
    }

    @Test("the page opens with the verdict, draws an SVG chart per metric and fetches nothing")
    func structure() throws {
        let html = try ABFixtures.report(shift: 0.1).html()
        let verdict = try #require(html.range(of: "data-verdict=\"better\""))
        let firstChart = try #require(html.range(of: "<svg"))
        #expect(verdict.lowerBound < firstChart.lowerBound)
        #expect(html.contains("tuned answers BETTER than base on 20 questions"))
        for metric in ComparisonMetric.allCases {
            #expect(html.contains("<svg class=\"chart\" data-metric=\"\(metric.rawValue)\""), "\(metric)")
        }
        #expect(html.components(separatedBy: "<svg").count - 1 == ComparisonMetric.allCases.count)
        for external in ["<script", "<link", "src=", "url(", "@import"] {
            #expect(!html.contains(external), "\(external)")
        }
        #expect(html.contains("General ability"))
        #expect(html.contains("q20: question 20"))
    }

    @Test("worse and indistinguishable adapters are called so")
    func verdicts() throws {
        #expect(try ABFixtures.report(shift: -0.1).html().contains("data-verdict=\"worse\""))
        let same = try ABFixtures.report(shift: 0)
        #expect(same.comparisons.first?.overall == .indistinguishable)
        #expect(same.html().contains("tuned and base are NOT DISTINGUISHABLE"))
    }

    @Test("a chart's bars reach their means on a scale from 0, with whiskers over the intervals")
    func chart() {
        let chart = IntervalBarChart(
            identifier: "m", title: "M <1>",
            bars: [
                .init(label: "a&b", interval: BootstrapInterval(mean: 0.5, lower: 0.4, upper: 0.6), colour: "#000")
            ], maximum: 1, format: { String(format: "%.2f", $0) })
        let svg = chart.svg()
        // The plot runs from y = 176 (0) up to y = 18 (1): 0.5 is at 97.
        #expect(svg.contains("y=\"97.0\" width=\"52\" height=\"79.0\""))
        #expect(svg.contains("aria-label=\"M &lt;1&gt;\""))
        #expect(svg.contains(">a&amp;b</text>"))
        #expect(IntervalBarChart.roundedUp(730) == 1000)
        #expect(IntervalBarChart.roundedUp(1800) == 2000)
        #expect(IntervalBarChart.roundedUp(0.24) == 0.25)
        #expect(IntervalBarChart.roundedUp(0) == 1)
    }

    @Test("the terminal summary gives the verdict, the general check and a line per metric")
    func summary() throws {
        let text = try ABFixtures.report(shift: 0.1).summaryText(reportDirectory: "out")
        #expect(text.hasPrefix("tuned answers BETTER than base"))
        #expect(text.contains("General questions (no retrieval): tuned changed 1 of 1 answers"))
        for metric in ComparisonMetric.allCases { #expect(text.contains(metric.title)) }
        #expect(text.hasSuffix("report: out/report.html and out/report.json"))
    }

    @Test("each arm counts the answers cut at the token limit, those quoting the best passage and those left empty")
    func answerShapes() throws {
        let arm = ArmResult(
            arm: "base", adapter: nil,
            answers: [
                ComparedAnswer(arm: "base", outcome: ABFixtures.outcome(0, answer: ""), finishReason: .stop),
                ComparedAnswer(arm: "base", outcome: ABFixtures.outcome(0.5), finishReason: .length),
                ComparedAnswer(arm: "base", outcome: ABFixtures.outcome(0.5), finishReason: .stop),
                ComparedAnswer(arm: "base", outcome: ABFixtures.outcome(1), finishReason: .stop, quotesPassage: true),
            ])
        #expect(arm.empty == 1)
        #expect(arm.quotedPassage == 1)
        #expect(arm.cutAtLimit == 1)
        #expect(arm.interval(.rougeL).mean == 2.0 / 4)
        let report = try ABFixtures.report(shift: 0.1)
        #expect(
            report.answerShapes.hasPrefix(
                "Cut at the token limit: base 0, tuned 0. Quoting the best passage (nothing usable said, "
                    + "scored as the passage's words): base 0, tuned 0."))
        #expect(report.summaryText().contains(report.answerShapes))
    }

    @Test("report.json round-trips")
    func json() throws {
        let report = try ABFixtures.report(shift: 0.1)
        let data = try JSONEncoder().encode(report)
        let decoded = try JSONDecoder().decode(ComparisonReport.self, from: data)
        #expect(decoded.comparisons.first?.overall == .better)
        #expect(decoded.questions.count == 20)
    }
}
