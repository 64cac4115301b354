import Foundation

/// The Unicode facts BERT tokenisation depends on, as Hugging Face `tokenizers` sees them.
///
/// HF takes character categories from the `unicode_categories` crate, whose tables are Unicode
/// 8.0's: a character assigned later is "unassigned" to HF, and a few have changed category since.
/// `isInHFTables` (by `age`) and the short lists below make Swift agree with HF on every code point:
/// normalised form and punctuation/whitespace class of all 1,112,064 scalars were compared with
/// Python `tokenizers` 0.23.3 under Swift 6.3's Unicode tables. A toolchain with newer tables may
/// re-categorise more characters; rerun that comparison when upgrading. Everything else comes from
/// `Unicode.Scalar.Properties`.
enum BertUnicode {
    /// BERT's `_is_chinese_char` ranges, as HF has them (note 0x2B920, not BERT's 0x2B820).
    ///
    /// These are CJK ideographs only: kana and hangul are written with spaces and are left alone.
    static func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
            0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// Characters that `clean_text` deletes: control (Cc), format (Cf) and private-use (Co).
    ///
    /// Tab, newline and carriage return are controls too, but count as whitespace.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value == 9 || value == 10 || value == 13 { return false }
        switch scalar.properties.generalCategory {
        case .control, .privateUse:
            return true
        case .format:
            return isInHFTables(scalar)
        default:
            return false
        }
    }

    /// BERT's punctuation: all non-alphanumeric printable ASCII, plus Unicode categories P*.
    ///
    /// ASCII `$`, `+`, `<`, `^`, `` ` `` and `|` are symbols in Unicode but punctuation here.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 128 {
            return (33...47).contains(value) || (58...64).contains(value)
                || (91...96).contains(value) || (123...126).contains(value)
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return isInHFTables(scalar)
        default:
            return formerPunctuation.contains(value)
        }
    }

    /// A character a `single_word` added token must not touch (regex `\w`).
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic || properties.isJoinControl { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
            return true
        default:
            return false
        }
    }

    /// Whether accent stripping drops this character (HF: general category Mn).
    static func isNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .nonspacingMark
            ? isInHFTables(scalar) && !formerlyNotNonspacingMarks.contains(scalar.value)
            : formerNonspacingMarks.contains(scalar.value)
    }

    /// Calls `body` with each scalar of the canonical decomposition (NFD) of `scalar`, leaving
    /// out nonspacing marks.
    ///
    /// This is the per-character half of `strip_accents`; `BertNormalizer` does the canonical
    /// reordering across characters. Foundation's NFD costs about a microsecond a call, so results
    /// are kept in a process-wide cache; hangul syllables are decomposed arithmetically, and the
    /// common scripts that never decompose skip both.
    @inline(__always)
    static func forEachDecomposedScalar(
        _ scalar: Unicode.Scalar, _ body: (Unicode.Scalar) -> Void
    ) {
        let value = scalar.value
        switch value {
        case 0..<0xC0, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0x20000...0x2A6DF:
            // Nothing here decomposes (unlike the CJK *compatibility* ideographs).
            if !isNonspacingMark(scalar) { body(scalar) }
        case 0xAC00..<0xAC00 + 11172:
            // Unicode's hangul syllable decomposition: leading consonant, vowel, optional final.
            let index = value - 0xAC00
            if let leading = Unicode.Scalar(0x1100 + index / 588) { body(leading) }
            if let vowel = Unicode.Scalar(0x1161 + (index % 588) / 28) { body(vowel) }
            if index % 28 != 0, let trailing = Unicode.Scalar(0x11A7 + index % 28) {
                body(trailing)
            }
        default:
            for part in decompositionCache.value(for: scalar) { body(part) }
        }
    }

    private static let decompositionCache = DecompositionCache()

    /// Whether HF's category tables know this character: they are Unicode 8.0's, so anything
    /// assigned later is "unassigned" to HF (not a control, not punctuation, not a mark).
    static func isInHFTables(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return age.major <= 8
    }

    // Characters whose category changed after Unicode 8.0; HF goes by the old one.
    /// Punctuation in Unicode 8.0, now a symbol (U+166D) or a nonspacing mark (U+111C9).
    static let formerPunctuation: Set<UInt32> = [0x166D, 0x111C9]
    /// Nonspacing marks in Unicode 8.0, now spacing marks (Mc).
    static let formerNonspacingMarks: Set<UInt32> = [0x1734, 0x1171E]
    /// Nonspacing marks today that were letters or spacing marks in Unicode 8.0 (or punctuation).
    static let formerlyNotNonspacingMarks: Set<UInt32> = [0x1885, 0x1886, 0xA9BD, 0x111C9]
    /// Characters with a canonical decomposition that HF's NFD leaves whole (U+11938, from
    /// Unicode 13, is missing from the `unicode-normalization` tables HF uses).
    static let undecomposed: Set<UInt32> = [0x11938]
}

/// A thread-safe memo of canonical decompositions without nonspacing marks, per scalar.
///
/// Only scalars that occur in text are stored, so it stays small (a few thousand entries for a
/// multilingual corpus); the lock is held for a dictionary lookup, never during Foundation's NFD.
private final class DecompositionCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [UInt32: [Unicode.Scalar]] = [:]

    func value(for scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        lock.lock()
        let cached = entries[scalar.value]
        lock.unlock()
        if let cached { return cached }
        if BertUnicode.undecomposed.contains(scalar.value) {
            return BertUnicode.isNonspacingMark(scalar) ? [] : [scalar]
        }
        var parts: [Unicode.Scalar] = []
        for part in String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars
        where !BertUnicode.isNonspacingMark(part) {
            parts.append(part)
        }
        lock.lock()
        entries[scalar.value] = parts
        lock.unlock()
        return parts
    }
}
