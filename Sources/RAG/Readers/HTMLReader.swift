/// HTML → headings and paragraphs, with a small hand-written tag scanner.
///
/// Not a browser's parser, and no dependency: documentation pages only need their text, their headings and
/// where blocks start and end. The scanner moves forward on every step and treats whatever does not parse as
/// text (a stray `<`) or as running to the end (an unclosed comment or `<script>`, as browsers do), so
/// malformed input never traps or loops. `<script>`, `<style>`, `<noscript>`, `<template>`, `<svg>`, comments
/// and the `<head>` (apart from its `<title>`) are dropped.
enum HTMLReader {
    static func read(_ content: String) -> ReadDocument {
        var scanner = Scanner(scalars: Array(content.unicodeScalars))
        scanner.run()
        return scanner.sink.finish(title: scanner.title)
    }

    /// Elements whose whole content is dropped; their content is parsed, so their nesting is counted.
    private static let droppedElements: Set<String> = ["template", "svg", "math"]
    /// Elements whose content is raw text up to their end tag, never markup; dropped except `<title>`.
    private static let rawTextElements: Set<String> = [
        "script", "style", "noscript", "title", "textarea", "xmp", "iframe", "noembed", "noframes",
    ]
    /// What may appear in `<head>`; anything else there means the body has started without a `<body>` tag.
    private static let headElements: Set<String> = [
        "head", "title", "meta", "link", "base", "style", "script", "noscript", "template",
    ]
    /// Elements that start and end on their own line.
    private static let lineElements: Set<String> = ["br", "li", "tr", "dt", "dd", "option"]
    /// Elements that start and end a paragraph.
    private static let paragraphElements: Set<String> = [
        "p", "div", "section", "article", "header", "footer", "nav", "aside", "main", "ul", "ol", "dl", "table",
        "thead", "tbody", "tfoot", "caption", "blockquote", "figure", "figcaption", "form", "fieldset", "legend",
        "address", "details", "summary", "hr", "center", "hgroup", "menu", "body", "html", "pre", "h1", "h2", "h3",
        "h4", "h5", "h6",
    ]

    private struct Scanner {
        let scalars: [Unicode.Scalar]
        var index = 0
        var sink = TextSink()
        var title: String?
        private var inHead = false
        private var preDepth = 0
        /// The dropped element we are inside and how deeply it nests in itself.
        private var dropped: (name: String, depth: Int)?
        /// Where a search for a closing quote of each kind last ran off the end: a later quote of that kind
        /// cannot be closed either, so a page full of unbalanced quotes stays linear.
        private var unclosedQuoteFrom: [Unicode.Scalar: Int] = [:]
        /// The same for raw-text elements whose end tag was looked for and not found (an unclosed `<title>`).
        private var unclosedRawTextFrom: [String: Int] = [:]

        init(scalars: [Unicode.Scalar]) {
            self.scalars = scalars
        }

        mutating func run() {
            while index < scalars.count {
                if scalars[index] == "<" {
                    scanMarkup()
                } else {
                    let start = index
                    while index < scalars.count, scalars[index] != "<" { index += 1 }
                    emitText(start..<index)
                }
            }
        }

        /// At a `<`: a comment, a declaration, an end tag, a start tag, or (none of these) a literal `<`.
        private mutating func scanMarkup() {
            let next = peek(1)
            if next == "!" || next == "?" {
                if next == "!", peek(2) == "-", peek(3) == "-" {
                    index = find("-->", from: index + 4).map { $0 + 3 } ?? scalars.count
                } else {
                    index = (find(">", from: index + 2) ?? scalars.count - 1) + 1
                }
            } else if next == "/", let letter = peek(2), Self.isASCIILetter(letter) {
                let name = tagName(from: index + 2)
                index = (find(">", from: index + 2) ?? scalars.count - 1) + 1
                endTag(name.name)
            } else if let letter = next, Self.isASCIILetter(letter) {
                let name = tagName(from: index + 1)
                let close = tagEnd(from: name.end)
                let selfClosing = close > name.end && scalars[close - 1] == "/"
                index = close + 1
                startTag(name.name, selfClosing: selfClosing)
            } else {
                emitText(index..<(index + 1))
                index += 1
            }
        }

        private mutating func emitText(_ range: Range<Int>) {
            guard dropped == nil, !inHead, !range.isEmpty else { return }
            let decoded = HTMLReader.decodingEntities(Self.string(scalars[range])[...])
            sink.text(decoded, preformatted: preDepth > 0)
        }

        // MARK: Tags

        private mutating func startTag(_ name: String, selfClosing: Bool) {
            if var open = dropped {
                if name == open.name, !selfClosing { open.depth += 1 }
                dropped = open
                return
            }
            if name == "head" {
                inHead = true
            } else if inHead, !HTMLReader.headElements.contains(name) {
                inHead = false
            }
            if HTMLReader.rawTextElements.contains(name), !selfClosing {
                skipRawText(of: name)
                return
            }
            if inHead { return }
            if HTMLReader.droppedElements.contains(name) {
                if !selfClosing { dropped = (name, 1) }
                return
            }
            if let level = Self.headingLevel(name) {
                sink.startHeading(level: level)
            } else if name == "td" || name == "th" {
                sink.cellBreak()
            } else if HTMLReader.lineElements.contains(name) {
                sink.lineBreak()
            } else if HTMLReader.paragraphElements.contains(name) {
                sink.paragraphBreak()
                if name == "pre", !selfClosing {
                    preDepth += 1
                    // A newline right after <pre> is not content.
                    if peek(0) == "\r" { index += 1 }
                    if peek(0) == "\n" { index += 1 }
                }
            }
        }

        private mutating func endTag(_ name: String) {
            if var open = dropped {
                if name == open.name { open.depth -= 1 }
                dropped = open.depth > 0 ? open : nil
                return
            }
            if name == "head" {
                inHead = false
                return
            }
            if inHead { return }
            if Self.headingLevel(name) != nil {
                sink.endHeading()
            } else if HTMLReader.lineElements.contains(name) {
                sink.lineBreak()
            } else if HTMLReader.paragraphElements.contains(name) {
                sink.paragraphBreak()
                if name == "pre" { preDepth = max(0, preDepth - 1) }
            }
        }

        /// Skips the content of `<script>`-like elements up to their end tag (to the end when there is none).
        /// The first `<title>`'s content becomes the title; an unclosed one is ignored instead, so that a
        /// broken head does not hide the page.
        private mutating func skipRawText(of name: String) {
            let contentStart = index
            var search = index
            if let failedFrom = unclosedRawTextFrom[name], contentStart >= failedFrom { search = scalars.count }
            while let open = find("</", from: search) {
                let candidate = tagName(from: open + 2)
                if candidate.name == name {
                    if name == "title", title == nil, dropped == nil {
                        let text = HTMLReader.decodingEntities(Self.string(scalars[contentStart..<open])[...])
                        let collapsed = SectionAssembler.singleLine(text)
                        if !collapsed.isEmpty { title = collapsed }
                    }
                    index = (find(">", from: candidate.end) ?? scalars.count - 1) + 1
                    return
                }
                search = open + 2
            }
            unclosedRawTextFrom[name] = min(contentStart, unclosedRawTextFrom[name] ?? contentStart)
            if name != "title" { index = scalars.count }
        }

        /// A tag name (ASCII letters, digits, `-`, `:`, `_`), lowercased, and the index after it.
        private func tagName(from start: Int) -> (name: String, end: Int) {
            var end = start
            while end < scalars.count, Self.isNameScalar(scalars[end]) { end += 1 }
            return (Self.string(scalars[start..<end]).lowercased(), end)
        }

        /// The index of the `>` that ends a start tag whose attributes begin at `from`; a `>` inside a quoted
        /// attribute value does not count. When a quote never closes, the first `>` ends the tag instead, and
        /// when there is no `>` at all the tag runs to the end.
        private mutating func tagEnd(from start: Int) -> Int {
            var position = start
            var previousSignificant: Unicode.Scalar = " "
            while position < scalars.count {
                let scalar = scalars[position]
                if scalar == ">" { return position }
                if (scalar == "\"" || scalar == "'") && previousSignificant == "=" {
                    if let closing = closingQuote(scalar, after: position) {
                        position = closing + 1
                        previousSignificant = scalar
                        continue
                    }
                    return find(">", from: start) ?? scalars.count
                }
                if !Self.isSpace(scalar) { previousSignificant = scalar }
                position += 1
            }
            return scalars.count
        }

        private mutating func closingQuote(_ quote: Unicode.Scalar, after position: Int) -> Int? {
            if let failedFrom = unclosedQuoteFrom[quote], position >= failedFrom { return nil }
            var search = position + 1
            while search < scalars.count {
                if scalars[search] == quote { return search }
                search += 1
            }
            unclosedQuoteFrom[quote] = position
            return nil
        }

        // MARK: Scalars

        private func peek(_ offset: Int) -> Unicode.Scalar? {
            index + offset < scalars.count ? scalars[index + offset] : nil
        }

        /// The first index at or after `from` where `needle` starts.
        private func find(_ needle: String, from start: Int) -> Int? {
            let pattern = Array(needle.unicodeScalars)
            guard let first = pattern.first, start < scalars.count else { return nil }
            var position = start
            while position + pattern.count <= scalars.count {
                if scalars[position] == first {
                    var matches = true
                    for offset in 1..<pattern.count where scalars[position + offset] != pattern[offset] {
                        matches = false
                        break
                    }
                    if matches { return position }
                }
                position += 1
            }
            return nil
        }

        private static func string(_ slice: ArraySlice<Unicode.Scalar>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: slice)
            return String(view)
        }

        private static func headingLevel(_ name: String) -> Int? {
            guard name.count == 2, name.first == "h", let digit = name.last?.wholeNumberValue, (1...6).contains(digit)
            else { return nil }
            return digit
        }

        private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
        }

        private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
            isASCIILetter(scalar) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == ":" || scalar == "_"
        }

        private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{0C}"
        }
    }
}
