/// The GPT-2 and Llama 3 regexes as scanners: at each position the alternatives are tried in the regex's
/// order, and the first that matches ends a word (leftmost-first, as a backtracking regex engine chooses).
extension PreTokenizerScanner {
    /// `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`, contractions lowercase only.
    func splitGPT2(_ piece: Range<Int>, into pieces: inout [Range<Int>]) {
        var start = piece.lowerBound
        var index = start
        func emit(_ end: Int) {
            if end > start { pieces.append(start..<end) }
            start = end
            index = end
        }
        while index < piece.upperBound {
            if let end = contraction(at: index, in: piece, ignoringCase: false) {
                emit(end)
                continue
            }
            // ` ?X+` for X = letter, number, other: an optional space, then a run of one class.
            let first = text[index] == " " ? index + 1 : index
            if let kind = classAt(first, in: piece) {
                if kind.contains(.letter) || kind.contains(.number) {
                    let wanted: ScalarClass = kind.contains(.letter) ? .letter : .number
                    var end = first
                    while classAt(end, in: piece)?.contains(wanted) == true { end += 1 }
                    emit(end)
                    continue
                }
                if isOther(first, in: piece) {
                    var end = first
                    while isOther(end, in: piece) { end += 1 }
                    emit(end)
                    continue
                }
            }
            emit(whitespaceEnd(from: index, in: piece))
        }
    }

    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,digits}| ?[^\s\p{L}\p{N}]+[\r\n]*|
    /// \s*[\r\n]+|\s+(?!\S)|\s+`.
    func splitLlama3(_ piece: Range<Int>, digits: Int, into pieces: inout [Range<Int>]) {
        var start = piece.lowerBound
        var index = start
        func emit(_ end: Int) {
            if end > start { pieces.append(start..<end) }
            start = end
            index = end
        }
        while index < piece.upperBound {
            if let end = contraction(at: index, in: piece, ignoringCase: true) {
                emit(end)
                continue
            }
            let scalar = text[index]
            let kind = classes[index - base]
            let isNewline = scalar == "\r" || scalar == "\n"
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if !isNewline, !kind.contains(.number),
                kind.contains(.letter) || classAt(index + 1, in: piece)?.contains(.letter) == true
            {
                var end = index + 1
                while classAt(end, in: piece)?.contains(.letter) == true { end += 1 }
                emit(end)
                continue
            }
            // \p{N}{1,digits}
            if kind.contains(.number) {
                var end = index + 1
                while end - index < digits, classAt(end, in: piece)?.contains(.number) == true { end += 1 }
                emit(end)
                continue
            }
            // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
            let first = scalar == " " ? index + 1 : index
            if isOther(first, in: piece) {
                var end = first
                while isOther(end, in: piece) { end += 1 }
                while end < piece.upperBound, text[end] == "\r" || text[end] == "\n" { end += 1 }
                emit(end)
                continue
            }
            // \s*[\r\n]+ : the whitespace run up to its last line break.
            var end = index
            var afterLastNewline: Int?
            while classAt(end, in: piece)?.contains(.whitespace) == true {
                if text[end] == "\r" || text[end] == "\n" { afterLastNewline = end + 1 }
                end += 1
            }
            if let afterLastNewline {
                emit(afterLastNewline)
                continue
            }
            emit(whitespaceEnd(from: index, in: piece))
        }
    }

    /// `'s|'t|'re|'ve|'m|'ll|'d` at `index`: the end of the match, or nil.
    private func contraction(at index: Int, in piece: Range<Int>, ignoringCase: Bool) -> Int? {
        guard text[index] == "'", index + 1 < piece.upperBound else { return nil }
        func letter(_ position: Int) -> Unicode.Scalar {
            let scalar = text[position]
            guard ignoringCase, ("A"..."Z").contains(scalar) else { return scalar }
            return Unicode.Scalar(scalar.value + 32)!
        }
        switch letter(index + 1) {
        case "s", "t", "m", "d": return index + 2
        default: break
        }
        guard index + 2 < piece.upperBound else { return nil }
        switch (letter(index + 1), letter(index + 2)) {
        case ("r", "e"), ("v", "e"), ("l", "l"): return index + 3
        default: return nil
        }
    }

    /// `\s+(?!\S)|\s+` at `index`, or a single character when neither matches (a regex engine would leave it
    /// unmatched, which makes it a piece of its own just the same).
    ///
    /// A run of whitespace followed by a non-space keeps its last character back, so that ` world` stays
    /// one word; a run that ends the piece is taken whole.
    private func whitespaceEnd(from index: Int, in piece: Range<Int>) -> Int {
        var end = index
        while classAt(end, in: piece)?.contains(.whitespace) == true { end += 1 }
        let count = end - index
        if count > 1 && end < piece.upperBound { return end - 1 }
        return count > 0 ? end : index + 1
    }
}
