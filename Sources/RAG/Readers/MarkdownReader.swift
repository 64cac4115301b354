/// Markdown (CommonMark with the common GitHub extensions) → headings and paragraphs.
///
/// Block structure only, line by line: ATX and setext headings set the breadcrumb, fenced and indented code is
/// kept verbatim (a `# comment` in a shell snippet is not a heading), front matter and thematic breaks are
/// dropped, and everything else is kept line for line, lightly stripped of inline syntax (see
/// `MarkdownReader+Inline.swift`), so list items and table rows stay one per line. Not a renderer: nested
/// containers (lists in block quotes, HTML blocks) are read as their text.
enum MarkdownReader {
    static func read(_ content: String) -> ReadDocument {
        let lines = SectionAssembler.unifyNewlines(content).split(separator: "\n", omittingEmptySubsequences: false)
        var parser = BlockParser(lines: lines)
        parser.run()
        return parser.assembler.finish()
    }

    /// The parser's state; one value per document.
    private struct BlockParser {
        let lines: [Substring]
        var index = 0
        var assembler = SectionAssembler()
        /// The lines of the paragraph being gathered, as written; changed only through `gather` and
        /// `takeParagraph`, which keep `paragraphRefusesSetext` up to date.
        private(set) var paragraph: [Substring] = []
        /// Whether a line of the paragraph is a list item, a table row or a quote, under which `---` and `===` are
        /// no setext underline. Kept as lines are gathered: asking the whole paragraph again at each `===` line
        /// made a long paragraph followed by many of them quadratic (minutes for 25 KB).
        private var paragraphRefusesSetext = false
        /// Whether the last paragraph held list items, so that a following indented paragraph continues the list
        /// instead of being code.
        var inList = false
        /// Where a search for the end of a comment block ran off the end of the document: later ones cannot
        /// close either, so a file of unclosed comments stays linear.
        var unclosedFrom: Int?

        init(lines: [Substring]) {
            self.lines = lines
        }

        mutating func run() {
            index = MarkdownReader.frontMatterEnd(lines)
            while index < lines.count {
                let line = lines[index]
                if let fence = MarkdownReader.openingFence(line) {
                    flush()
                    readFencedCode(fence)
                } else if let end = commentBlockEnd() {
                    flush()
                    index = end
                } else if line.allSatisfy(\.isWhitespace) {
                    flush()
                    index += 1
                } else if let (level, text) = MarkdownReader.atxHeading(line) {
                    flush()
                    inList = false
                    assembler.heading(level: level, MarkdownReader.plainInline(text))
                    index += 1
                } else if paragraph.isEmpty, !inList, MarkdownReader.indentation(of: line) >= 4 {
                    readIndentedCode()
                } else if let level = MarkdownReader.setextLevel(line), !paragraph.isEmpty, !paragraphRefusesSetext {
                    let text = takeParagraph().map { MarkdownReader.plainInline($0) }.joined(separator: " ")
                    assembler.heading(level: level, text)
                    inList = false
                    index += 1
                } else if MarkdownReader.isThematicBreak(line) {
                    flush()
                    index += 1
                } else if MarkdownReader.isTableDelimiterRow(line) || MarkdownReader.isLinkDefinition(line) {
                    index += 1
                } else {
                    if paragraph.isEmpty, MarkdownReader.indentation(of: line) < 4 {
                        inList = MarkdownReader.isListItem(line)
                    }
                    if MarkdownReader.isListItem(line) { inList = true }
                    gather(line)
                    index += 1
                }
            }
            flush()
        }

        /// The line after an HTML comment that starts a line and ends on a later one (`<!-- TODO …` … `-->`); nil
        /// when there is none, or when it is never closed, where it is read as text rather than losing the rest.
        /// A comment within one line is left to the inline pass.
        private mutating func commentBlockEnd() -> Int? {
            let line = lines[index]
            guard MarkdownReader.indentation(of: line) < 4 else { return nil }
            let rest = line.drop { $0 == " " || $0 == "\t" }
            guard rest.hasPrefix("<!--"), !rest.dropFirst(4).contains("-->") else { return nil }
            if let unclosedFrom, index >= unclosedFrom { return nil }
            for end in (index + 1)..<lines.count where lines[end].contains("-->") {
                return end + 1
            }
            unclosedFrom = index
            return nil
        }

        /// Adds a line to the paragraph. A setext underline makes the paragraph above a heading, unless that
        /// paragraph is a list, a table or a quote, where `---` is a thematic break and `===` is text.
        private mutating func gather(_ line: Substring) {
            paragraph.append(line)
            if MarkdownReader.isListItem(line) || MarkdownReader.isTableRow(line) || MarkdownReader.isQuote(line) {
                paragraphRefusesSetext = true
            }
        }

        /// The paragraph's lines, leaving it empty.
        private mutating func takeParagraph() -> [Substring] {
            defer {
                paragraph = []
                paragraphRefusesSetext = false
            }
            return paragraph
        }

        private mutating func flush() {
            guard !paragraph.isEmpty else { return }
            assembler.paragraph(takeParagraph().map { MarkdownReader.renderLine($0) }.joined(separator: "\n"))
        }

        /// Code up to the closing fence, or to the end of the document when it is never closed (as CommonMark
        /// says); the fence lines themselves and the info string are dropped.
        private mutating func readFencedCode(_ fence: Fence) {
            index += 1
            var code: [Substring] = []
            while index < lines.count {
                let line = lines[index]
                index += 1
                if MarkdownReader.closes(fence, line) { break }
                code.append(MarkdownReader.removingIndentation(line, upTo: fence.indentation))
            }
            inList = false
            assembler.paragraph(code.joined(separator: "\n"))
        }

        private mutating func readIndentedCode() {
            var code: [Substring] = []
            while index < lines.count {
                let line = lines[index]
                let blank = line.allSatisfy(\.isWhitespace)
                guard blank || MarkdownReader.indentation(of: line) >= 4 else { break }
                code.append(MarkdownReader.removingIndentation(line, upTo: 4))
                index += 1
            }
            assembler.paragraph(code.joined(separator: "\n"))
        }
    }

    // MARK: - Line classification

    /// A code fence's opening line: its character, run length and indentation.
    struct Fence {
        var character: Character
        var length: Int
        var indentation: Int
    }

    /// Where the content starts: after a YAML front-matter block (`---` on the first line, closed by `---` or
    /// `...`), else 0. An unclosed block is not front matter.
    static func frontMatterEnd(_ lines: [Substring]) -> Int {
        guard let first = lines.first, SectionAssembler.trimmingTrailingWhitespace(first) == "---" else { return 0 }
        for index in 1..<lines.count {
            let line = SectionAssembler.trimmingTrailingWhitespace(lines[index])
            if line == "---" || line == "..." { return index + 1 }
        }
        return 0
    }

    /// Columns of leading whitespace, a tab counting 4.
    static func indentation(of line: Substring) -> Int {
        var columns = 0
        for character in line {
            if character == " " {
                columns += 1
            } else if character == "\t" {
                columns += 4
            } else {
                break
            }
        }
        return columns
    }

    static func removingIndentation(_ line: Substring, upTo columns: Int) -> Substring {
        var rest = line
        var removed = 0
        while removed < columns, let first = rest.first, first == " " || first == "\t" {
            removed += first == "\t" ? 4 : 1
            rest = rest.dropFirst()
        }
        return rest
    }

    private static func withoutIndentation(_ line: Substring) -> Substring {
        line.drop { $0 == " " || $0 == "\t" }
    }

    /// ```` ``` ```` or `~~~` (three or more), at any indentation so that fences nested in list items count too;
    /// a backtick fence's info string cannot hold a backtick.
    static func openingFence(_ line: Substring) -> Fence? {
        let rest = withoutIndentation(line)
        guard let character = rest.first, character == "`" || character == "~" else { return nil }
        let length = rest.prefix { $0 == character }.count
        guard length >= 3 else { return nil }
        if character == "`", rest.dropFirst(length).contains("`") { return nil }
        return Fence(character: character, length: length, indentation: indentation(of: line))
    }

    static func closes(_ fence: Fence, _ line: Substring) -> Bool {
        let rest = withoutIndentation(line)
        let length = rest.prefix { $0 == fence.character }.count
        return length >= fence.length && rest.dropFirst(length).allSatisfy(\.isWhitespace)
    }

    /// `#` to `######`, then a space or the end of the line; an optional closing run of `#` (after a space) is
    /// not part of the text.
    static func atxHeading(_ line: Substring) -> (level: Int, text: Substring)? {
        guard indentation(of: line) < 4 else { return nil }
        let rest = withoutIndentation(line)
        let level = rest.prefix { $0 == "#" }.count
        guard (1...6).contains(level) else { return nil }
        var text = rest.dropFirst(level)
        guard text.isEmpty || text.first == " " || text.first == "\t" else { return nil }
        text = SectionAssembler.trimmingTrailingWhitespace(text).drop(while: \.isWhitespace)
        let closing = text.reversed().prefix { $0 == "#" }.count
        if closing > 0 {
            let beforeClosing = text.dropLast(closing)
            if beforeClosing.isEmpty || beforeClosing.last == " " || beforeClosing.last == "\t" {
                text = SectionAssembler.trimmingTrailingWhitespace(beforeClosing)
            }
        }
        return (level, text)
    }

    /// `===` (level 1) or `---` (level 2) under a paragraph.
    static func setextLevel(_ line: Substring) -> Int? {
        guard indentation(of: line) < 4 else { return nil }
        let rest = SectionAssembler.trimmingTrailingWhitespace(withoutIndentation(line))
        guard let first = rest.first, rest.allSatisfy({ $0 == first }) else { return nil }
        if first == "=" { return 1 }
        if first == "-" { return 2 }
        return nil
    }

    /// Three or more `-`, `*` or `_`, alone on the line, spaces allowed between them.
    static func isThematicBreak(_ line: Substring) -> Bool {
        guard indentation(of: line) < 4 else { return false }
        let marks = line.filter { !$0.isWhitespace }
        guard let first = marks.first, first == "-" || first == "*" || first == "_" else { return false }
        return marks.count >= 3 && marks.allSatisfy { $0 == first }
    }

    /// A table's `|---|:---:|` line, which carries no text.
    static func isTableDelimiterRow(_ line: Substring) -> Bool {
        guard line.contains("|"), line.contains("-") else { return false }
        return line.allSatisfy { $0 == "|" || $0 == "-" || $0 == ":" || $0 == " " || $0 == "\t" }
    }

    /// `[label]: url`: a link reference definition, which carries no text. Footnotes (`[^1]: text`) do.
    static func isLinkDefinition(_ line: Substring) -> Bool {
        guard indentation(of: line) < 4 else { return false }
        let rest = withoutIndentation(line)
        guard rest.first == "[", rest.dropFirst().first != "^", let close = rest.firstIndex(of: "]") else {
            return false
        }
        return rest.index(after: close) < rest.endIndex && rest[rest.index(after: close)] == ":"
            && close > rest.index(after: rest.startIndex)
    }

    /// `- `, `* `, `+ `, `1. ` or `1) ` (or the marker alone).
    static func isListItem(_ line: Substring) -> Bool {
        let rest = withoutIndentation(line)
        guard let first = rest.first else { return false }
        var afterMarker: Substring
        if first == "-" || first == "*" || first == "+" {
            afterMarker = rest.dropFirst()
        } else {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard (1...9).contains(digits.count) else { return false }
            afterMarker = rest.dropFirst(digits.count)
            guard afterMarker.first == "." || afterMarker.first == ")" else { return false }
            afterMarker = afterMarker.dropFirst()
        }
        return afterMarker.isEmpty || afterMarker.first == " " || afterMarker.first == "\t"
    }

    static func isTableRow(_ line: Substring) -> Bool {
        withoutIndentation(line).first == "|"
    }

    static func isQuote(_ line: Substring) -> Bool {
        indentation(of: line) < 4 && withoutIndentation(line).first == ">"
    }

    // MARK: - Lines as text

    /// A paragraph line as plain text: quote markers dropped (a heading in a quote is only text), table cells
    /// joined with `" | "`, inline syntax stripped.
    static func renderLine(_ line: Substring) -> String {
        var line = line
        while isQuote(line) {
            line = withoutIndentation(line).dropFirst()
            if line.first == " " { line = line.dropFirst() }
        }
        if let (_, text) = atxHeading(line) { return plainInline(text) }
        guard isTableRow(line) else { return plainInline(line) }
        var cells = tableCells(withoutIndentation(line))
        if cells.first?.allSatisfy(\.isWhitespace) == true { cells.removeFirst() }
        if cells.last?.allSatisfy(\.isWhitespace) == true { cells.removeLast() }
        return cells.map { plainInline(SectionAssembler.trimmingTrailingWhitespace($0.drop(while: \.isWhitespace))) }
            .joined(separator: " | ")
    }

    /// The row split at its unescaped pipes.
    private static func tableCells(_ row: Substring) -> [Substring] {
        var cells: [Substring] = []
        var start = row.startIndex
        var index = row.startIndex
        while index < row.endIndex {
            if row[index] == "\\" {
                index = row.index(after: index)
                if index < row.endIndex { index = row.index(after: index) }
                continue
            }
            if row[index] == "|" {
                cells.append(row[start..<index])
                start = row.index(after: index)
            }
            index = row.index(after: index)
        }
        cells.append(row[start...])
        return cells
    }
}
