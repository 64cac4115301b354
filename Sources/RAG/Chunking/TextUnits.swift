/// A span of a document's text that chunking keeps whole: a paragraph, a sentence or, for an
/// overlong sentence, a run of words.
struct TextUnit: Sendable, Equatable {
    var range: Range<Int>
    var tokens: Int
}

/// Splits text into units no larger than a token limit: sentences (within paragraphs), then
/// words, and, for a word longer than the limit, pieces of it.
///
/// Sentences, not whole paragraphs, are the units so that the overlap between neighbouring chunks
/// can repeat a sentence or two; a chunk's text still runs across paragraph breaks as written.
enum TextUnits {
    static func split(
        _ characters: [Character], range: Range<Int>, limit: Int, countTokens: (String) -> Int
    ) -> [TextUnit] {
        var units: [TextUnit] = []
        for paragraph in spans(characters, in: range, separator: isParagraphBreak) {
            for sentence in sentences(characters, in: paragraph) {
                appendUnits(characters, sentence, limit: limit, level: 1, countTokens: countTokens, into: &units)
            }
        }
        return units
    }

    private static func appendUnits(
        _ characters: [Character], _ range: Range<Int>, limit: Int, level: Int, countTokens: (String) -> Int,
        into units: inout [TextUnit]
    ) {
        let tokens = countTokens(String(characters[range]))
        if tokens <= limit || range.count <= 1 {
            units.append(TextUnit(range: range, tokens: tokens))
            return
        }
        let pieces: [Range<Int>]
        switch level {
        case 1: pieces = spans(characters, in: range, separator: { $0[$1].isWhitespace ? 1 : 0 })
        default:
            // A single "word" over the limit (a long URL, a CJK run without end marks): halves.
            let middle = range.lowerBound + range.count / 2
            pieces = [range.lowerBound..<middle, middle..<range.upperBound].compactMap { trim(characters, $0) }
        }
        // Word splitting that finds one piece goes a level deeper on the same span;
        // halving always shrinks the span, so the recursion ends.
        for piece in pieces.count <= 1 && level < 2 ? [range] : pieces {
            appendUnits(characters, piece, limit: limit, level: level + 1, countTokens: countTokens, into: &units)
        }
    }

    /// Non-blank spans between separators; `separator(characters, i)` returns how many characters
    /// at i form a separator (0 for none).
    static func spans(
        _ characters: [Character], in range: Range<Int>, separator: ([Character], Int) -> Int
    ) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        var index = range.lowerBound
        while index < range.upperBound {
            let width = separator(characters, index)
            if width > 0 {
                if let trimmed = trim(characters, start..<index) { result.append(trimmed) }
                index += width
                start = index
            } else {
                index += 1
            }
        }
        if let trimmed = trim(characters, start..<range.upperBound) { result.append(trimmed) }
        return result
    }

    /// Sentences end after . ! ? followed by whitespace, or after 。！？ (no space needed).
    static func sentences(_ characters: [Character], in range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        for index in range {
            let character = characters[index]
            let ends: Bool
            switch character {
            case "。", "！", "？", "；": ends = true
            case ".", "!", "?":
                ends = index + 1 < range.upperBound && characters[index + 1].isWhitespace
            default: ends = false
            }
            if ends {
                if let trimmed = trim(characters, start..<(index + 1)) { result.append(trimmed) }
                start = index + 1
            }
        }
        if let trimmed = trim(characters, start..<range.upperBound) { result.append(trimmed) }
        return result
    }

    /// A blank line: "\n" followed by optional spaces and another "\n".
    static func isParagraphBreak(_ characters: [Character], _ index: Int) -> Int {
        guard characters[index] == "\n" else { return 0 }
        var next = index + 1
        while next < characters.count, characters[next] == " " || characters[next] == "\t" { next += 1 }
        return next < characters.count && characters[next] == "\n" ? next + 1 - index : 0
    }

    /// The range without surrounding whitespace, or nil when nothing is left.
    static func trim(_ characters: [Character], _ range: Range<Int>) -> Range<Int>? {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, characters[lower].isWhitespace { lower += 1 }
        while upper > lower, characters[upper - 1].isWhitespace { upper -= 1 }
        return lower < upper ? lower..<upper : nil
    }
}
