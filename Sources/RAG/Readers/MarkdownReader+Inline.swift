extension MarkdownReader {
    /// One line's inline Markdown as plain text: `[text](url)` → text, `![alt](src)` → alt, emphasis markers
    /// (`**`, `__`, `*`, `_`, `~~`) and code-span backticks removed, backslash escapes and entities resolved,
    /// inline HTML tags and comments dropped.
    ///
    /// Light on purpose: the text is for embedding and keyword search, where a stray `*` costs nothing and a
    /// lost word costs a lot, so anything that does not parse is kept as written. Code spans are kept verbatim.
    static func plainInline(_ line: Substring) -> String {
        var output = ""
        InlineScanner(characters: Array(line)).render(into: &output, depth: 0)
        return output
    }

    /// Link text and URLs longer than this are not looked for, so a line of unmatched brackets stays linear.
    private static let bracketSearchLimit = 2_000
    /// Links nested deeper than this (`[[[…](a)](b)](c)`) keep their inner syntax, so recursion stays shallow.
    private static let maximumLinkDepth = 8
    private static let asciiPunctuation = Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

    private struct InlineScanner {
        let characters: [Character]

        func render(into output: inout String, depth: Int) {
            var index = 0
            while index < characters.count {
                let character = characters[index]
                switch character {
                case "\\":
                    index = escape(at: index, into: &output)
                case "`":
                    index = codeSpan(at: index, into: &output)
                case "!" where index + 1 < characters.count && characters[index + 1] == "[" && depth < maximumLinkDepth:
                    if let link = link(at: index + 1) {
                        InlineScanner(characters: Array(characters[link.text])).render(into: &output, depth: depth + 1)
                        index = link.end
                    } else {
                        output.append("!")
                        index += 1
                    }
                case "[" where depth < maximumLinkDepth:
                    if let link = link(at: index) {
                        InlineScanner(characters: Array(characters[link.text])).render(into: &output, depth: depth + 1)
                        index = link.end
                    } else {
                        output.append("[")
                        index += 1
                    }
                case "*", "_", "~":
                    index = delimiterRun(at: index, into: &output)
                case "<":
                    index = angleBracket(at: index, into: &output)
                case "&":
                    index = entity(at: index, into: &output)
                default:
                    output.append(character)
                    index += 1
                }
            }
        }

        /// `\*` → `*`; a backslash ending the line is a hard break and goes.
        private func escape(at index: Int, into output: inout String) -> Int {
            guard index + 1 < characters.count else { return index + 1 }
            let next = characters[index + 1]
            if MarkdownReader.asciiPunctuation.contains(next) {
                output.append(next)
                return index + 2
            }
            output.append("\\")
            return index + 1
        }

        /// A run of n backticks up to the next run of exactly n: the content, verbatim (one space of padding on
        /// both sides removed). An unmatched run is literal.
        private func codeSpan(at index: Int, into output: inout String) -> Int {
            let length = run(of: "`", at: index)
            var search = index + length
            while search < characters.count {
                if characters[search] == "`" {
                    let closing = run(of: "`", at: search)
                    if closing == length {
                        var content = characters[(index + length)..<search]
                        if content.count >= 2, content.first == " ", content.last == " ",
                            content.contains(where: { $0 != " " })
                        {
                            content = content.dropFirst().dropLast()
                        }
                        output.append(contentsOf: content)
                        return search + closing
                    }
                    search += closing
                } else {
                    search += 1
                }
            }
            output.append(contentsOf: characters[index..<(index + length)])
            return index + length
        }

        /// `[text](url)`, `[text][ref]` or `[text][]` starting at the `[`: the range of the text and the index
        /// after the link. A bare `[text]` is not a link here: task boxes and `[1]` stay as written.
        private func link(at open: Int) -> (text: Range<Int>, end: Int)? {
            guard let close = matching(open: "[", close: "]", from: open) else { return nil }
            let after = close + 1
            guard after < characters.count else { return nil }
            let destinationClose: Int?
            switch characters[after] {
            case "(": destinationClose = matching(open: "(", close: ")", from: after)
            case "[": destinationClose = matching(open: "[", close: "]", from: after)
            default: destinationClose = nil
            }
            guard let destinationClose else { return nil }
            return ((open + 1)..<close, destinationClose + 1)
        }

        /// The index of the bracket that closes the one at `from`, skipping escaped characters; nil past the
        /// search limit.
        private func matching(open: Character, close: Character, from: Int) -> Int? {
            var depth = 0
            var index = from
            let limit = min(characters.count, from + MarkdownReader.bracketSearchLimit)
            while index < limit {
                let character = characters[index]
                if character == "\\" {
                    index += 2
                    continue
                }
                if character == open {
                    depth += 1
                } else if character == close {
                    depth -= 1
                    if depth == 0 { return index }
                }
                index += 1
            }
            return nil
        }

        /// Emphasis delimiters go when they touch a word on one side; a run between spaces (`a * b`), a list
        /// bullet, `snake_case` and `2*3` stay. A single `~` (about, approximately) stays too.
        private func delimiterRun(at index: Int, into output: inout String) -> Int {
            let character = characters[index]
            let length = run(of: character, at: index)
            let before = index > 0 ? characters[index - 1] : nil
            let after = index + length < characters.count ? characters[index + length] : nil
            let touchesAfter = after.map { !$0.isWhitespace } ?? false
            let touchesBefore = before.map { !$0.isWhitespace } ?? false
            let wordBefore = before.map { $0.isLetter || $0.isNumber } ?? false
            let wordAfter = after.map { $0.isLetter || $0.isNumber } ?? false
            var isDelimiter = touchesBefore || touchesAfter
            switch character {
            case "_": isDelimiter = isDelimiter && !(wordBefore && wordAfter)
            case "~": isDelimiter = isDelimiter && length == 2
            default:
                let digitBefore = before.map { $0.isNumber } ?? false
                let digitAfter = after.map { $0.isNumber } ?? false
                isDelimiter = isDelimiter && !(digitBefore && digitAfter)
            }
            if !isDelimiter { output.append(contentsOf: characters[index..<(index + length)]) }
            return index + length
        }

        /// `<https://…>` and `<a@b.c>` → their address; `<!-- … -->` and tags such as `<br>` or `</kbd>` go;
        /// any other `<` is text.
        private func angleBracket(at index: Int, into output: inout String) -> Int {
            let window = characters[(index + 1)..<min(characters.count, index + 1 + MarkdownReader.bracketSearchLimit)]
            if window.starts(with: "!--") {
                var search = index + 4
                while search + 2 < window.endIndex {
                    if characters[search] == "-", characters[search + 1] == "-", characters[search + 2] == ">" {
                        return search + 3
                    }
                    search += 1
                }
            }
            guard let close = window.firstIndex(of: ">"), !window[..<close].contains("<") else {
                output.append("<")
                return index + 1
            }
            let inner = window[..<close]
            if !inner.contains(where: \.isWhitespace), inner.contains(":") || inner.contains("@") {
                output.append(contentsOf: inner)
                return close + 1
            }
            let name = inner.drop { $0 == "/" }.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            let afterName = inner.dropFirst(inner.prefix { $0 == "/" }.count + name.count).first
            if let first = name.first, first.isLetter, afterName == nil || afterName == " " || afterName == "/" {
                return close + 1
            }
            output.append("<")
            return index + 1
        }

        private func entity(at index: Int, into output: inout String) -> Int {
            let limit = min(characters.count, index + 34)
            if let semicolon = characters[(index + 1)..<limit].firstIndex(of: ";"),
                let decoded = HTMLReader.entity(named: String(characters[(index + 1)..<semicolon]))
            {
                output.append(decoded)
                return semicolon + 1
            }
            output.append("&")
            return index + 1
        }

        private func run(of character: Character, at index: Int) -> Int {
            var end = index
            while end < characters.count, characters[end] == character { end += 1 }
            return end - index
        }
    }
}
