/// Stage 0 of the pipeline: finds added tokens (`[CLS]`, `[SEP]`, `[MASK]`, ...) in the text.
///
/// HF cuts these out before anything else: a literal `[SEP]` in a document is id 102, and the
/// text on either side is tokenised on its own. Matching is leftmost-longest and non-overlapping
/// (HF uses Aho-Corasick in that mode); a `single_word` token that touches a word character is
/// passed over. Tokens with `normalized: true` are matched by a second matcher on the normalised
/// text. `lstrip`/`rstrip` only move whitespace into the token's offsets, and BERT drops that
/// whitespace anyway, so they do not change ids and are not modelled.
struct AddedTokenMatcher: Sendable {
    /// A part of the text: plain text to tokenise, or an added token's id.
    enum Segment: Equatable {
        case text(Range<Int>)
        case token(Int)
    }

    private struct Pattern: Sendable {
        var scalars: [Unicode.Scalar]
        var id: Int
        var singleWord: Bool
    }

    /// Patterns by first scalar, longest first.
    private let patterns: [UInt32: [Pattern]]
    /// Bit i set when some pattern starts with ASCII scalar i: most text never reaches the map.
    private let asciiStarts: (low: UInt64, high: UInt64)

    var isEmpty: Bool { patterns.isEmpty }

    init(_ tokens: [(content: [Unicode.Scalar], id: Int, singleWord: Bool)]) {
        var patterns: [UInt32: [Pattern]] = [:]
        var low: UInt64 = 0
        var high: UInt64 = 0
        for token in tokens {
            guard let first = token.content.first else { continue }
            patterns[first.value, default: []].append(
                Pattern(scalars: token.content, id: token.id, singleWord: token.singleWord))
            if first.value < 64 {
                low |= 1 << UInt64(first.value)
            } else if first.value < 128 {
                high |= 1 << UInt64(first.value - 64)
            }
        }
        for key in patterns.keys { patterns[key]?.sort { $0.scalars.count > $1.scalars.count } }
        self.patterns = patterns
        self.asciiStarts = (low, high)
    }

    /// Appends the segments of `text[range]` to `segments`; adjacent text is one segment.
    func split(_ text: [Unicode.Scalar], range: Range<Int>, into segments: inout [Segment]) {
        var textStart = range.lowerBound
        var index = range.lowerBound
        while index < range.upperBound {
            let value = text[index].value
            let mayStart =
                value < 64
                ? asciiStarts.low & (1 << UInt64(value)) != 0
                : value < 128 ? asciiStarts.high & (1 << UInt64(value - 64)) != 0 : true
            guard mayStart, let candidates = patterns[value],
                let match = candidates.first(where: { matches($0, text, at: index, end: range.upperBound) })
            else {
                index += 1
                continue
            }
            let end = index + match.scalars.count
            if match.singleWord && !isSingleWord(text, match: index..<end, within: range) {
                index = end
                continue
            }
            if textStart < index { segments.append(.text(textStart..<index)) }
            segments.append(.token(match.id))
            index = end
            textStart = end
        }
        if textStart < range.upperBound { segments.append(.text(textStart..<range.upperBound)) }
    }

    private func matches(_ pattern: Pattern, _ text: [Unicode.Scalar], at start: Int, end: Int) -> Bool {
        guard end - start >= pattern.scalars.count else { return false }
        for (offset, scalar) in pattern.scalars.enumerated() where text[start + offset] != scalar {
            return false
        }
        return true
    }

    /// Whether the characters on both sides of `match` (if any) are not word characters.
    private func isSingleWord(_ text: [Unicode.Scalar], match: Range<Int>, within range: Range<Int>) -> Bool {
        if match.lowerBound > range.lowerBound, BertUnicode.isWordCharacter(text[match.lowerBound - 1]) {
            return false
        }
        if match.upperBound < range.upperBound, BertUnicode.isWordCharacter(text[match.upperBound]) {
            return false
        }
        return true
    }
}
