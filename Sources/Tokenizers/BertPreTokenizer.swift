/// Stage 2 of the pipeline: Hugging Face's `BertPreTokenizer`.
///
/// Splits normalised text into words: whitespace separates words and is dropped, and every
/// punctuation character (BERT's definition, `BertUnicode.isPunctuation`) is a word of its own, so
/// `what?!?` is `what`, `?`, `!`, `?`. Words are reported as ranges into the scalar buffer, so
/// nothing is copied.
struct BertPreTokenizer: Sendable {
    private enum Kind: UInt8 {
        case word = 0
        case space = 1
        case punctuation = 2
    }

    /// The kind of each ASCII scalar.
    private static let asciiKinds: [Kind] = (0..<128).map { value in
        let scalar = Unicode.Scalar(UInt8(value))
        if scalar.properties.isWhitespace { return .space }
        return BertUnicode.isPunctuation(scalar) ? .punctuation : .word
    }

    /// Appends the ranges of the words of `text[range]` to `words`, in order.
    ///
    /// - Complexity: O(n); one table lookup per ASCII scalar.
    func split(_ text: [Unicode.Scalar], range: Range<Int>, into words: inout [Range<Int>]) {
        var wordStart = -1
        Self.asciiKinds.withUnsafeBufferPointer { kinds in
            for index in range {
                let scalar = text[index]
                let kind: Kind
                if scalar.value < 128 {
                    kind = kinds[Int(scalar.value)]
                } else if scalar.properties.isWhitespace {
                    kind = .space
                } else {
                    kind = BertUnicode.isPunctuation(scalar) ? .punctuation : .word
                }
                switch kind {
                case .word:
                    if wordStart < 0 { wordStart = index }
                case .space:
                    if wordStart >= 0 {
                        words.append(wordStart..<index)
                        wordStart = -1
                    }
                case .punctuation:
                    if wordStart >= 0 {
                        words.append(wordStart..<index)
                        wordStart = -1
                    }
                    words.append(index..<index + 1)
                }
            }
        }
        if wordStart >= 0 { words.append(wordStart..<range.upperBound) }
    }
}
