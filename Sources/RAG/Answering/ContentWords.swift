import VectorIndex

/// The words of a text that carry meaning, normalised so that two texts can be compared by the
/// words they share: lower-cased, English function words left out, a plural `s` dropped; each
/// Chinese or Japanese character counts as a word (those scripts write no spaces, and scoring
/// them by character is the custom).
public enum ContentWords {
    /// Every word of `text` in order, function words included (for token-level scores).
    public static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        func flush() {
            if !word.isEmpty { tokens.append(normalise(word)) }
            word = ""
        }
        for scalar in text.unicodeScalars {
            if isIdeograph(scalar) {
                flush()
                tokens.append(String(scalar))
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                word.unicodeScalars.append(scalar)
            } else if scalar == "'" || scalar == "’", !word.isEmpty {
                continue  // "don't" reads as one word, "dont"
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }

    /// The meaningful words of `text`: `tokens` without function words.
    public static func of(_ text: String) -> [String] {
        tokens(text).filter { !KeywordStopwords.contains($0) }
    }

    static func normalise(_ word: String) -> String {
        let lower = word.lowercased()
        if lower.count > 3, lower.hasSuffix("s"), !lower.hasSuffix("ss"), !lower.hasSuffix("us") {
            return String(lower.dropLast())
        }
        return lower
    }

    /// Han, Hiragana, Katakana and Hangul: scripts scored character by character.
    static func isIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
