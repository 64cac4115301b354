/// The Unicode classes the byte-level pre-tokenizers ask about, one bit each, as regex `\p{L}`, `\p{N}`,
/// `\p{P}` and `\s` define them.
///
/// Letters are general category L*, numbers N* (Nd, Nl, No), punctuation P*, and whitespace the White_Space
/// property, which is what llama.cpp's tables hold (they are generated with Python's `regex` module). The
/// categories come from Swift's own Unicode tables, so they may differ from a given llama.cpp build only for
/// characters assigned in a newer Unicode version than one of the two knows.
struct ScalarClass: OptionSet, Sendable {
    let rawValue: UInt8

    static let letter = ScalarClass(rawValue: 1)
    static let number = ScalarClass(rawValue: 2)
    static let whitespace = ScalarClass(rawValue: 4)
    static let punctuation = ScalarClass(rawValue: 8)

    /// ASCII answered by table, since most text is ASCII.
    private static let ascii: [ScalarClass] = (0..<128).map { classify(Unicode.Scalar(UInt8($0))) }

    static func of(_ scalar: Unicode.Scalar) -> ScalarClass {
        scalar.value < 128 ? ascii[Int(scalar.value)] : classify(scalar)
    }

    private static func classify(_ scalar: Unicode.Scalar) -> ScalarClass {
        let properties = scalar.properties
        var result: ScalarClass = properties.isWhitespace ? .whitespace : []
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            result.insert(.letter)
        case .decimalNumber, .letterNumber, .otherNumber:
            result.insert(.number)
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            result.insert(.punctuation)
        default:
            break
        }
        return result
    }

    /// The classes of every scalar of `text[range]`, indexed from `range.lowerBound`.
    static func classes(of text: [Unicode.Scalar], range: Range<Int>) -> [ScalarClass] {
        var classes: [ScalarClass] = []
        classes.reserveCapacity(range.count)
        for index in range { classes.append(of(text[index])) }
        return classes
    }
}
