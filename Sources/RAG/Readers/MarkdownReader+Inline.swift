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

    /// Reads one line in a single pass, so that its time is linear in its length.
    ///
    /// Every search a mark starts (for its closing bracket, the `>` of a tag, the `-->` of a comment, a closing
    /// run of backticks) is answered from tables built once per line: a line of 25,000 `[` or `<!--`, or of
    /// backtick runs of every length, once took seconds to minutes, because each mark searched the rest of the
    /// line (or 2,000 characters of it) afresh.
    private struct InlineScanner {
        let characters: [Character]
        /// For each `[` and `(`: the index of the bracket that closes it, backslash-escaped characters skipped
        /// (as `matching` once scanned for it); -1 when none does.
        private let closing: [Int]
        /// For each index: where the next `>`, the next `<` and the next `-->` start, at or after it
        /// (`characters.count` when there is none).
        private let nextGreater: [Int]
        private let nextLess: [Int]
        private let nextCommentEnd: [Int]
        /// Where each run of backticks starts, by the run's length, in order: a code span closes at the first
        /// run of its opening run's length after it.
        private let backtickRuns: [Int: [Int]]

        init(characters: [Character]) {
            self.characters = characters
            let count = characters.count
            var closing = [Int](repeating: -1, count: count)
            var squares: [Int] = []
            var rounds: [Int] = []
            var index = 0
            while index < count {
                switch characters[index] {
                case "\\":
                    index += 2
                    continue
                case "[": squares.append(index)
                case "]": if let open = squares.popLast() { closing[open] = index }
                case "(": rounds.append(index)
                case ")": if let open = rounds.popLast() { closing[open] = index }
                default: break
                }
                index += 1
            }
            self.closing = closing
            var greater = [Int](repeating: count, count: count + 1)
            var less = [Int](repeating: count, count: count + 1)
            var commentEnd = [Int](repeating: count, count: count + 1)
            for index in stride(from: count - 1, through: 0, by: -1) {
                let character = characters[index]
                greater[index] = character == ">" ? index : greater[index + 1]
                less[index] = character == "<" ? index : less[index + 1]
                let closesComment =
                    character == "-" && index + 2 < count && characters[index + 1] == "-"
                    && characters[index + 2] == ">"
                commentEnd[index] = closesComment ? index : commentEnd[index + 1]
            }
            nextGreater = greater
            nextLess = less
            nextCommentEnd = commentEnd
            var runs: [Int: [Int]] = [:]
            index = 0
            while index < count {
                guard characters[index] == "`" else {
                    index += 1
                    continue
                }
                let start = index
                while index < count, characters[index] == "`" { index += 1 }
                runs[index - start, default: []].append(start)
            }
            backtickRuns = runs
        }

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
        ///
        /// The closing run is a whole run of the line starting after the opening one ends (the opening one may be
        /// the tail of a run whose first backtick was escaped).
        private func codeSpan(at index: Int, into output: inout String) -> Int {
            let length = run(of: "`", at: index)
            let starts = backtickRuns[length] ?? []
            // The first start at or after index + length, by bisection.
            var (low, high) = (0, starts.count)
            while low < high {
                let middle = (low + high) / 2
                if starts[middle] < index + length { low = middle + 1 } else { high = middle }
            }
            guard low < starts.count else {
                output.append(contentsOf: characters[index..<(index + length)])
                return index + length
            }
            let search = starts[low]
            var content = characters[(index + length)..<search]
            if content.count >= 2, content.first == " ", content.last == " ", content.contains(where: { $0 != " " }) {
                content = content.dropFirst().dropLast()
            }
            output.append(contentsOf: content)
            return search + length
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

        /// The index of the bracket that closes the one at `from` (a `[` or `(`), skipping escaped characters;
        /// nil past the search limit.
        private func matching(open: Character, close: Character, from: Int) -> Int? {
            guard characters[from] == open else { return nil }
            let match = closing[from]
            return match >= 0 && match < from + MarkdownReader.bracketSearchLimit ? match : nil
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
            let windowEnd = min(characters.count, index + 1 + MarkdownReader.bracketSearchLimit)
            let window = characters[(index + 1)..<windowEnd]
            if window.starts(with: "!--"), index + 4 < characters.count, nextCommentEnd[index + 4] + 2 < windowEnd {
                return nextCommentEnd[index + 4] + 3
            }
            let close = nextGreater[index + 1]
            guard close < windowEnd, nextLess[index + 1] >= close else {
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
