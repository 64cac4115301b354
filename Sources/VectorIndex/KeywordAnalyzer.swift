/// Prepares text for SQLite FTS5 so that keyword search works in scripts written without spaces.
///
/// FTS5's `unicode61` tokenizer never splits inside a run of Chinese or Japanese characters, and
/// its `trigram` tokenizer cannot match a query shorter than three characters (PLATFORM.md), yet
/// most Chinese words have two characters (保修, 电池). As Lucene's CJK analyzer does, every run of
/// such characters is indexed as its single characters and its overlapping pairs, each written as
/// a separate word; `unicode61` then indexes those words as tokens. Other text is left to
/// `unicode61` (case folding, diacritics removed, no stemming).
public enum KeywordAnalyzer {
    /// The text to store in the FTS5 column: CJK runs replaced by their unigrams and bigrams.
    public static func indexText(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count * 2)
        var run: [Unicode.Scalar] = []
        func flushRun() {
            guard !run.isEmpty else { return }
            output += " " + grams(of: run, unigrams: true).joined(separator: " ") + " "
            run.removeAll(keepingCapacity: true)
        }
        for scalar in text.unicodeScalars {
            if isUnsegmented(scalar) {
                run.append(scalar)
            } else {
                flushRun()
                output.unicodeScalars.append(scalar)
            }
        }
        flushRun()
        return output
    }

    /// An FTS5 MATCH expression for a user's query: every word and every CJK bigram (or the single
    /// character of a one-character run) as a quoted term, joined with OR so that BM25 ranks
    /// chunks by how much of the query they contain. English function words are left out unless
    /// the query has nothing else. Quoting makes FTS5 syntax in the query
    /// (`AND`, `*`, `"`, `:`) plain text. Nil when the query has no searchable term.
    public static func matchExpression(_ query: String) -> String? {
        var terms: [String] = []
        var word = ""
        var run: [Unicode.Scalar] = []
        func flushWord() {
            if !word.isEmpty { terms.append(word) }
            word = ""
        }
        func flushRun() {
            if !run.isEmpty { terms += grams(of: run, unigrams: run.count == 1) }
            run.removeAll()
        }
        for scalar in query.unicodeScalars {
            if isUnsegmented(scalar) {
                flushWord()
                run.append(scalar)
            } else if isWordCharacter(scalar) {
                flushRun()
                word.unicodeScalars.append(scalar)
            } else {
                flushWord()
                flushRun()
            }
        }
        flushWord()
        flushRun()
        var seen = Set<String>()
        var unique = terms.filter { seen.insert($0.lowercased()).inserted }
        let meaningful = unique.filter { !KeywordStopwords.contains($0) }
        if !meaningful.isEmpty { unique = meaningful }
        guard !unique.isEmpty else { return nil }
        // Terms hold only letters, marks and digits, never a quote, so quoting needs no escape.
        return unique.map { "\"" + $0 + "\"" }.joined(separator: " OR ")
    }

    /// Single characters (when asked) and overlapping pairs of a run.
    static func grams(of run: [Unicode.Scalar], unigrams: Bool) -> [String] {
        var grams: [String] = []
        if unigrams { grams += run.map { String($0) } }
        if run.count >= 2 {
            for index in 0..<(run.count - 1) {
                var pair = String(run[index])
                pair.unicodeScalars.append(run[index + 1])
                grams.append(pair)
            }
        }
        return grams
    }

    /// Scripts written without spaces between words: Han ideographs, kana, and the Southeast Asian
    /// scripts (Thai, Lao, Khmer, Myanmar).
    static func isUnsegmented(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF,  // Hiragana, Katakana
            0x31F0...0x31FF,  // Katakana phonetic extensions
            0x3400...0x4DBF,  // CJK Extension A
            0x4E00...0x9FFF,  // CJK Unified Ideographs
            0xF900...0xFAFF,  // CJK Compatibility Ideographs
            0xFF66...0xFF9D,  // half-width Katakana
            0x20000...0x2FA1F,  // CJK Extensions B-F and compatibility supplement
            0x0E00...0x0EFF,  // Thai, Lao
            0x1780...0x17FF,  // Khmer
            0x1000...0x109F:  // Myanmar
            return true
        default:
            return false
        }
    }

    /// Letters, marks and digits: what `unicode61` keeps inside a token.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}
