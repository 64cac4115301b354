/// The text and scalar classes that the pre-tokenizer regexes scan, computed once per text segment.
///
/// Each stage reads one piece and appends the pieces it cuts it into; as in llama.cpp, a regex never looks
/// outside the piece it is given (a lookahead at the piece's end sees "no character").
struct PreTokenizerScanner {
    let text: [Unicode.Scalar]
    /// `classes[i - base]` is the class of `text[i]`.
    let classes: [ScalarClass]
    let base: Int

    init(text: [Unicode.Scalar], range: Range<Int>) {
        self.text = text
        self.classes = ScalarClass.classes(of: text, range: range)
        self.base = range.lowerBound
    }

    /// The class at `index`, or nil outside `piece`.
    @inline(__always)
    func classAt(_ index: Int, in piece: Range<Int>) -> ScalarClass? {
        piece.contains(index) ? classes[index - base] : nil
    }

    /// Whether `index` holds a character that is neither whitespace, letter nor number (`[^\s\p{L}\p{N}]`).
    @inline(__always)
    func isOther(_ index: Int, in piece: Range<Int>) -> Bool {
        guard let kind = classAt(index, in: piece) else { return false }
        return kind.isDisjoint(with: [.whitespace, .letter, .number])
    }

    func split(_ piece: Range<Int>, by stage: BytePairPreTokenizer.Stage, into pieces: inout [Range<Int>]) {
        switch stage {
        case .eachNumber:
            splitMatches(piece, into: &pieces) { index in
                classAt(index, in: piece)!.contains(.number) ? index + 1 : nil
            }
        case .numberRuns:
            splitMatches(piece, into: &pieces) { index in
                var end = index
                while classAt(end, in: piece)?.contains(.number) == true { end += 1 }
                return end > index ? end : nil
            }
        case .punctuationRuns:
            splitMatches(piece, into: &pieces) { index in
                var end = index
                while end < piece.upperBound, isPunctuationOrListedSymbol(end) { end += 1 }
                return end > index ? end : nil
            }
        case .asciiDigitTriples:
            splitMatches(piece, into: &pieces) { index in
                guard index + 3 <= piece.upperBound,
                    (index..<index + 3).allSatisfy({ ("0"..."9").contains(text[$0]) })
                else { return nil }
                return index + 3
            }
        case .gpt2:
            splitGPT2(piece, into: &pieces)
        case .llama3(let digits):
            splitLlama3(piece, digits: digits, into: &pieces)
        }
    }

    /// `[\p{P}$+<=>^~|]`: the default chain's first regex.
    private func isPunctuationOrListedSymbol(_ index: Int) -> Bool {
        if classes[index - base].contains(.punctuation) { return true }
        switch text[index] {
        case "$", "+", "<", "=", ">", "^", "~", "|": return true
        default: return false
        }
    }

    /// Cuts `piece` at the leftmost matches of a regex, as `std::regex_iterator` finds them: `match(i)` is the
    /// end of a (non-empty) match starting at `i`, or nil. Matches and the text between them are pieces.
    private func splitMatches(
        _ piece: Range<Int>, into pieces: inout [Range<Int>], match: (Int) -> Int?
    ) {
        var gapStart = piece.lowerBound
        var index = piece.lowerBound
        while index < piece.upperBound {
            guard let end = match(index) else {
                index += 1
                continue
            }
            if gapStart < index { pieces.append(gapStart..<index) }
            pieces.append(index..<end)
            index = end
            gapStart = end
        }
        if gapStart < piece.upperBound { pieces.append(gapStart..<piece.upperBound) }
    }
}
