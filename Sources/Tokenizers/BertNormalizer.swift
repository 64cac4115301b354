/// Stage 1 of the pipeline: Hugging Face's `BertNormalizer`, on Unicode scalars.
///
/// In HF's order: clean the text (drop NUL, U+FFFD and control/format/private-use characters,
/// turn every whitespace character into a space), put spaces around CJK ideographs so each becomes
/// its own word, strip accents (NFD, then drop nonspacing marks), lowercase. `strip_accents: null`
/// means "strip when lowercasing", which is why uncased BERT turns `café` into `cafe`.
///
/// ASCII takes a table lookup; everything else goes through `BertNormalizer+Unicode.swift`, which
/// reproduces HF's (older) Unicode tables where they differ from Swift's.
struct BertNormalizer: Sendable, Equatable {
    let cleanText: Bool
    let handleChineseCharacters: Bool
    let stripAccents: Bool
    let lowercase: Bool
    /// For each ASCII byte, the byte it becomes, or `dropped`.
    private let asciiMap: [UInt8]
    private static let dropped: UInt8 = 0xFF

    /// - Parameter stripAccents: `nil` follows `lowercase`, as in HF and BERT's original code.
    init(
        cleanText: Bool = true, handleChineseCharacters: Bool = true, stripAccents: Bool? = nil,
        lowercase: Bool = true
    ) {
        self.cleanText = cleanText
        self.handleChineseCharacters = handleChineseCharacters
        self.stripAccents = stripAccents ?? lowercase
        self.lowercase = lowercase
        var map = [UInt8](repeating: 0, count: 128)
        for byte in 0..<128 {
            var out = UInt8(byte)
            if cleanText {
                if byte == 9 || byte == 10 || byte == 13 {
                    out = 32
                } else if byte < 32 || byte == 127 {
                    out = Self.dropped
                }
            }
            if lowercase, byte >= 65, byte <= 90 { out = UInt8(byte + 32) }
            map[byte] = out
        }
        asciiMap = map
    }

    /// A normaliser that changes nothing (a `tokenizer.json` whose normalizer is null).
    static let identity = BertNormalizer(
        cleanText: false, handleChineseCharacters: false, stripAccents: false, lowercase: false)

    /// Appends the normalised form of `input[range]` to `output`.
    ///
    /// - Complexity: O(n); one table lookup per ASCII scalar.
    func normalize(
        _ input: [Unicode.Scalar], range: Range<Int>, into output: inout [Unicode.Scalar]
    ) {
        output.reserveCapacity(output.count + range.count + 8)
        // Combining marks waiting for canonical reordering (NFD sorts each run by combining class).
        var marks: [Unicode.Scalar] = []
        asciiMap.withUnsafeBufferPointer { map in
            for index in range {
                let scalar = input[index]
                let value = scalar.value
                if value < 128 {
                    if !marks.isEmpty { flush(&marks, into: &output) }
                    let mapped = map[Int(value)]
                    if mapped != Self.dropped { output.append(Unicode.Scalar(mapped)) }
                } else {
                    appendNonASCII(scalar, into: &output, marks: &marks)
                }
            }
        }
        if !marks.isEmpty { flush(&marks, into: &output) }
    }

    /// The normalised text, for tests and debugging.
    func normalize(_ text: String) -> String {
        let input = Array(text.unicodeScalars)
        var output: [Unicode.Scalar] = []
        normalize(input, range: input.indices, into: &output)
        var result = String.UnicodeScalarView()
        result.append(contentsOf: output)
        return String(result)
    }

    private func appendNonASCII(
        _ scalar: Unicode.Scalar, into output: inout [Unicode.Scalar],
        marks: inout [Unicode.Scalar]
    ) {
        if cleanText {
            if scalar.value == 0xFFFD || BertUnicode.isControl(scalar) { return }
            if scalar.properties.isWhitespace {
                if !marks.isEmpty { flush(&marks, into: &output) }
                output.append(" ")
                return
            }
        }
        let isChinese = handleChineseCharacters && BertUnicode.isChineseCharacter(scalar)
        if isChinese {
            if !marks.isEmpty { flush(&marks, into: &output) }
            output.append(" ")
        }
        if stripAccents {
            BertUnicode.forEachDecomposedScalar(scalar) { part in
                if part.properties.canonicalCombiningClass.rawValue != 0 {
                    marks.append(part)
                } else {
                    if !marks.isEmpty { flush(&marks, into: &output) }
                    appendLowercased(part, into: &output)
                }
            }
        } else {
            appendLowercased(scalar, into: &output)
        }
        if isChinese {
            if !marks.isEmpty { flush(&marks, into: &output) }
            output.append(" ")
        }
    }

    /// Emits pending combining marks in canonical order (a stable sort by combining class).
    private func flush(_ marks: inout [Unicode.Scalar], into output: inout [Unicode.Scalar]) {
        if marks.count > 1 {
            // Insertion sort: runs are short, and it is stable.
            for i in 1..<marks.count {
                let mark = marks[i]
                let cls = mark.properties.canonicalCombiningClass.rawValue
                var j = i
                while j > 0, marks[j - 1].properties.canonicalCombiningClass.rawValue > cls {
                    marks[j] = marks[j - 1]
                    j -= 1
                }
                marks[j] = mark
            }
        }
        for mark in marks { appendLowercased(mark, into: &output) }
        marks.removeAll(keepingCapacity: true)
    }

    private func appendLowercased(_ scalar: Unicode.Scalar, into output: inout [Unicode.Scalar]) {
        guard lowercase else {
            output.append(scalar)
            return
        }
        if scalar.value < 128 {
            let value = scalar.value
            output.append(value >= 65 && value <= 90 ? Unicode.Scalar(UInt8(value + 32)) : scalar)
        } else if scalar.properties.changesWhenLowercased {
            output.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        } else {
            output.append(scalar)
        }
    }
}
