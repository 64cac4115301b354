import Foundation

extension ComparisonReport {
    /// report.html: one self-contained page (inline CSS and SVG, no script, nothing fetched). From
    /// the top: the verdict on each adapter, a table and a chart per metric, the general-ability
    /// check, then every question with each arm's answer side by side and the passages they were
    /// given. Every text that came from a file, a model or a user is escaped.
    public func html() -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(title))</title>
            <style>\(Self.styleSheet)</style>
            </head>
            <body>
            <h1>\(HTMLText.escape(title))</h1>
            <p class="settings">\(HTMLText.escape(settingsLine))</p>

            """
        page += verdictSection()
        page += metricsSection()
        page += generalSection()
        page += questionsSection()
        page += "</body>\n</html>\n"
        return page
    }

    var title: String {
        "Offline A/B: " + arms.map(\.arm).joined(separator: " vs ")
    }

    var settingsLine: String {
        var parts = [
            "\(questions.count) questions from \(settings.questionsFile)",
            "model \(settings.model)",
            "embedder \(settings.embedder)",
            "collection \(settings.collection)",
            "k = \(settings.k)",
            "max tokens \(settings.maxTokens)",
            settings.temperature == 0 ? "greedy decoding" : "temperature \(settings.temperature)",
            "seed \(settings.seed)",
            "\(settings.threads) threads",
            String(format: "%.0f s", elapsedSeconds),
        ]
        parts += settings.adapters.map { "adapter \($0.name) from \($0.path)" }
        parts.append(ISO8601DateFormatter().string(from: settings.createdAt))
        return parts.joined(separator: " · ")
    }

    // MARK: - Sections

    private func verdictSection() -> String {
        var html = "<section class=\"verdicts\">\n"
        for comparison in comparisons {
            html += """
                <div class="verdict \(comparison.overall.rawValue)" data-verdict="\(comparison.overall.rawValue)">
                <p class="headline">\(HTMLText.escape(headline(comparison)))</p>
                <p>\(HTMLText.escape(latencyLine(comparison)))</p>

                """
            if let general = generalLine(comparison) { html += "<p>\(HTMLText.escape(general))</p>\n" }
            html += "</div>\n"
        }
        html += """
            <p class="note">A metric's verdict is "better" or "worse" only when the Wilcoxon signed-rank test over \
            the paired questions gives p &lt; \(Self.number(settings.alpha)) and the \
            \(Self.number(settings.confidence * 100))% bootstrap interval of the mean difference \
            (\(settings.resamples) resamples) lies on the same side of 0; otherwise "indistinguishable", which is \
            not the same as "equal". The overall verdict combines the quality metrics; latency is reported beside \
            it. No correction is made for testing several metrics. Chinese and Japanese are scored character by \
            character.</p>
            </section>

            """
        return html
    }

    private func metricsSection() -> String {
        var html = "<section>\n<h2>Metrics</h2>\n<table class=\"metrics\">\n<thead><tr><th>metric</th>"
        for arm in arms { html += "<th>\(HTMLText.escape(arm.arm))</th>" }
        for comparison in comparisons {
            let arm = HTMLText.escape(comparison.arm)
            html += "<th>\(arm) − base</th><th>Wilcoxon p</th><th>sign p</th><th>verdict</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for metric in ComparisonMetric.allCases {
            html +=
                "<tr><td title=\"\(HTMLText.escape(metric.explanation))\">\(HTMLText.escape(metric.title))</td>"
            for arm in arms {
                let interval = arm.interval(metric)
                html +=
                    "<td>\(Self.value(interval.mean, metric)) <span class=\"ci\">["
                    + "\(Self.value(interval.lower, metric)), \(Self.value(interval.upper, metric))]</span></td>"
            }
            for comparison in comparisons {
                guard let verdict = comparison.verdict(metric) else { continue }
                let difference = verdict.difference
                html +=
                    "<td>\(Self.signed(difference.mean, metric)) <span class=\"ci\">["
                    + "\(Self.signed(difference.lower, metric)), \(Self.signed(difference.upper, metric))]</span></td>"
                    + "<td>\(HTMLText.escape(Self.pValue(verdict.wilcoxon.pValue)))</td>"
                    + "<td>\(HTMLText.escape(Self.pValue(verdict.sign.pValue)))</td>"
                    + "<td class=\"\(verdict.verdict.rawValue)\">\(verdict.verdict.rawValue)</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n<p class=\"note\">\(HTMLText.escape(answerShapes))</p>\n<div class=\"charts\">\n"
        for metric in ComparisonMetric.allCases {
            html += "<figure>\n" + chart(metric).svg() + "\n<figcaption><b>\(HTMLText.escape(metric.title))</b>: "
            html += HTMLText.escape(metric.explanation)
            for comparison in comparisons {
                guard let verdict = comparison.verdict(metric) else { continue }
                html +=
                    "<br>\(HTMLText.escape(comparison.arm)): <span class=\"\(verdict.verdict.rawValue)\">"
                    + "\(verdict.verdict.rawValue)</span>"
            }
            html += "</figcaption>\n</figure>\n"
        }
        html +=
            "</div>\n<p class=\"note\">Bars are means per arm; whiskers are their "
            + "\(Self.number(settings.confidence * 100))% bootstrap intervals.</p>\n</section>\n"
        return html
    }

    /// The bars of one metric, an arm each.
    func chart(_ metric: ComparisonMetric) -> IntervalBarChart {
        IntervalBarChart(
            identifier: metric.rawValue, title: metric.title,
            bars: arms.enumerated().map { index, arm in
                IntervalBarChart.Bar(
                    label: arm.arm, interval: arm.interval(metric),
                    colour: Self.palette[index % Self.palette.count])
            },
            maximum: metric.isUnitInterval ? 1 : nil,
            format: { metric.isUnitInterval ? String(format: "%.2f", $0) : String(format: "%.0f", $0) })
    }

    private func generalSection() -> String {
        guard let general else { return "" }
        var html = """
            <section>
            <h2>General ability (no retrieval)</h2>
            <p class="note">\(HTMLText.escape(general.rule))</p>
            <p>
            """
        html += zip(arms, general.correct).map { arm, correct in
            "\(HTMLText.escape(arm.arm)): \(correct) of \(general.questions.count) correct"
        }.joined(separator: " · ")
        html += "</p>\n<table class=\"general\">\n<thead><tr><th>question</th><th>reference</th>"
        for arm in arms { html += "<th>\(HTMLText.escape(arm.arm))</th>" }
        html += "</tr></thead>\n<tbody>\n"
        for item in general.questions {
            let reference = ([item.question.answer] + item.question.alternatives).joined(separator: " / ")
            html += "<tr><td>\(HTMLText.escape(item.question.question))</td><td>\(HTMLText.escape(reference))</td>"
            for answer in item.answers {
                let mark = answer.correct ? "correct" : "wrong"
                html +=
                    "<td class=\"\(mark)\"><span class=\"mark\">\(answer.correct ? "✓" : "✗")</span> "
                    + "\(HTMLText.escape(answer.text))</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n</section>\n"
        return html
    }

    private func questionsSection() -> String {
        var html = "<section>\n<h2>Answers side by side</h2>\n"
        for question in questions {
            html += """
                <article class="question" id="\(HTMLText.escape(question.id))">
                <h3>\(HTMLText.escape(question.id)): \(HTMLText.escape(question.question))</h3>
                <p class="reference"><b>Reference</b> (\(HTMLText.escape(question.source)) › \
                \(HTMLText.escape(question.heading))): \(HTMLText.escape(question.reference))</p>
                <div class="arms">

                """
            for answer in question.answers { html += answerCell(answer) }
            html += "</div>\n"
            html += passagesBlock(question)
            html += "</article>\n"
        }
        html += "</section>\n"
        return html
    }

    private func answerCell(_ answer: ComparedAnswer) -> String {
        let outcome = answer.outcome
        let metrics = outcome.metrics
        let scores =
            String(
                format: "ROUGE-L %.2f · token F1 %.2f · BLEU %.2f · grounded %.2f · %.0f ms · %d tokens",
                metrics.rougeL, metrics.tokenF1, metrics.bleu, metrics.groundedness, outcome.totalMilliseconds,
                answer.completionTokens)
            + (outcome.citesGoldSource ? " · cites the gold source" : " · misses the gold source")
            + (outcome.containsKeyFacts ? " · key facts ✓" : " · key facts ✗")
            + (answer.quotesPassage ? " · quotes the best passage (the model said nothing usable)" : "")
        // A guard may cut a degenerate answer to nothing; say so rather than show a blank.
        let text =
            outcome.answer.isEmpty
            ? "<p class=\"empty\">(no answer)</p>" : "<p class=\"text\">\(HTMLText.escape(outcome.answer))</p>"
        var html = """
            <div class="answer">
            <h4>\(HTMLText.escape(answer.arm))</h4>
            \(text)
            <p class="scores">\(HTMLText.escape(scores))</p>

            """
        if !answer.citations.isEmpty {
            html += "<ul class=\"citations\">"
            for citation in answer.citations {
                html += "<li>[\(citation.number)] \(HTMLText.escape(citation.source))"
                if !citation.heading.isEmpty { html += " › \(HTMLText.escape(citation.heading))" }
                if citation.inferred { html += " <i>(inferred)</i>" }
                html += "</li>"
            }
            html += "</ul>\n"
        }
        html += "</div>\n"
        return html
    }

    private func passagesBlock(_ question: ComparedQuestion) -> String {
        let label = question.covered ? "Passages given to every arm" : "Nearest passages (judged not relevant)"
        var html = "<details><summary>\(label) (\(question.passages.count))</summary>\n"
        for passage in question.passages {
            html += "<div class=\"passage\"><p class=\"where\">[\(passage.number)] \(HTMLText.escape(passage.source))"
            if !passage.heading.isEmpty { html += " › \(HTMLText.escape(passage.heading))" }
            html += "</p><p>\(HTMLText.escape(passage.text))</p></div>\n"
        }
        html += "</details>\n"
        return html
    }

    // MARK: - Style

    /// The arms' colours, base first.
    static let palette = ["#7a8ca3", "#d9822b", "#2b8a6e", "#8a5cc2", "#c24e6b"]

    static let styleSheet = """
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1200px;\
        padding:0 1em;color:#1d2330}
        h1{font-size:1.5em;margin-bottom:.2em}.settings,.note,.ci{color:#5b6475;font-size:.88em}
        .verdict{border-left:6px solid #9aa3b2;background:#f3f5f8;padding:.6em 1em;margin:1em 0}
        .verdict.better{border-color:#2b8a3e;background:#ebf7ee}.verdict.worse{border-color:#c92a2a;background:#fdeeee}
        .verdict.mixed{border-color:#d9822b;background:#fdf4e8}.headline{font-size:1.15em;font-weight:600}
        td.better,span.better{color:#2b8a3e;font-weight:600}td.worse,span.worse{color:#c92a2a;font-weight:600}
        td.indistinguishable,span.indistinguishable{color:#5b6475}
        table{border-collapse:collapse;margin:1em 0;font-size:.92em}th,td{border-bottom:1px solid #dde1e8;\
        padding:.3em .6em;text-align:left;vertical-align:top}
        .charts{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0;max-width:360px}figcaption{font-size:.85em}
        .chart .grid{stroke:#e4e7ec}.chart .axis{stroke:#8a93a3}.chart .whisker{stroke:#1d2330;stroke-width:1.5}
        .chart text{font-size:11px;fill:#1d2330}.chart .tick{fill:#5b6475}
        td.correct .mark{color:#2b8a3e}td.wrong .mark{color:#c92a2a}
        .question{border-top:1px solid #dde1e8;padding-top:.5em;margin-top:1em}.question h3{font-size:1.02em}
        .arms{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:1em}
        .answer{background:#f7f8fa;padding:.5em .8em;border-radius:4px}.answer h4{margin:.2em 0}
        .answer .text{white-space:pre-wrap}.answer .empty{font-style:italic;color:#5b6475}.scores{font-size:.82em;color:#5b6475}
        .citations{font-size:.85em;margin:.3em 0;padding-left:1.2em}
        details{margin:.5em 0}.passage{font-size:.85em;border-left:3px solid #dde1e8;padding-left:.6em}
        .passage .where{font-weight:600;margin-bottom:0}
        """
}
