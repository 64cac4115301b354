extension HTMLReader {
    /// Turns the tokenizer's text and block boundaries into paragraphs and headings: collapses whitespace as a
    /// browser does (except in `<pre>`), puts list items and table rows on their own lines, and joins cells with
    /// `" | "`.
    struct TextSink {
        var assembler = SectionAssembler()
        /// The finished lines of the current paragraph.
        private var lines: [String] = []
        private var line = ""
        private var pendingSpace = false
        private var pendingCellSeparator = false
        /// The heading being read, if any: its level and its text so far.
        private var heading: (level: Int, text: String)?
        /// Whether the open heading's text holds more than whitespace. Kept as text arrives: asking the text
        /// again at each block boundary made `<h1>` followed by many `<p>` quadratic (9 s for 25 KB).
        private var headingHasText = false

        /// Text as it appears between tags, entities already decoded.
        mutating func text(_ text: String, preformatted: Bool) {
            if heading != nil {
                heading?.text += text
                if !headingHasText, text.contains(where: { !$0.isWhitespace }) { headingHasText = true }
                return
            }
            for character in text {
                if preformatted {
                    if character.isNewline {
                        lines.append(line)
                        line = ""
                    } else {
                        line.append(character)
                    }
                } else if Self.isCollapsible(character) {
                    pendingSpace = !line.isEmpty
                } else {
                    if pendingCellSeparator {
                        line += " | "
                    } else if pendingSpace {
                        line += " "
                    }
                    pendingSpace = false
                    pendingCellSeparator = false
                    line.append(character)
                }
            }
        }

        /// `<br>`, and the start or end of a list item or table row.
        mutating func lineBreak() {
            if heading != nil {
                heading?.text += " "
                return
            }
            if !line.isEmpty { lines.append(line) }
            line = ""
            pendingSpace = false
            pendingCellSeparator = false
        }

        /// A table cell starts: separated from the previous cell of its row.
        mutating func cellBreak() {
            if heading != nil {
                heading?.text += " "
                return
            }
            if !line.isEmpty { pendingCellSeparator = true }
        }

        /// The start or end of a paragraph-level element. It also ends a heading left open (`<h2>Setup<p>…`), so
        /// that one unclosed tag cannot swallow the page into a heading; but not a heading with no text yet,
        /// whose text is wrapped in a block (`<h2><div>Setup</div></h2>`).
        mutating func paragraphBreak() {
            if heading != nil, !headingHasText {
                heading?.text += " "
                return
            }
            endHeading()
            lineBreak()
            if !lines.isEmpty { assembler.paragraph(lines.joined(separator: "\n")) }
            lines = []
        }

        mutating func startHeading(level: Int) {
            paragraphBreak()
            heading = (level, "")
            headingHasText = false
        }

        mutating func endHeading() {
            guard let open = heading else { return }
            heading = nil
            assembler.heading(level: open.level, open.text)
        }

        mutating func finish(title: String?) -> ReadDocument {
            endHeading()
            paragraphBreak()
            assembler.explicitTitle = title
            return assembler.finish()
        }

        /// HTML's ASCII whitespace; an ideographic space (U+3000) is text and stays.
        private static func isCollapsible(_ character: Character) -> Bool {
            character == " " || character == "\t" || character == "\n" || character == "\r\n" || character == "\r"
                || character == "\u{0C}"
        }
    }
}
