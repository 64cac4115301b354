/// Encoding text to ids and decoding ids back to bytes and text.
extension BytePairTokenizer {
    /// The ids of `text`, as llama.cpp's `llama_tokenize` gives them.
    ///
    /// - Parameters:
    ///   - addSpecialTokens: add BOS (and EOS) when the model asks for them (`addsBeginningOfSequence`);
    ///     SmolLM2 asks for neither, Llama 3 for BOS.
    ///   - parseSpecial: recognise control tokens such as `<|im_start|>` written in the text. Turn it off for
    ///     text from users that must not be able to inject them; user-defined tokens are matched either way.
    public func encode(_ text: String, addSpecialTokens: Bool = false, parseSpecial: Bool = true) -> [Int] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.utf8.count)
        scalars.append(contentsOf: text.unicodeScalars)
        var ids: [Int] = []
        ids.reserveCapacity(scalars.count / 3 + 2)
        if addSpecialTokens, addsBeginningOfSequence, let id = beginningOfSequenceID { ids.append(id) }

        var segments: [SpecialTokenMatcher.Segment] = []
        (parseSpecial ? specialTokens : userDefinedTokens).split(scalars, into: &segments)
        var words: [Range<Int>] = []
        for segment in segments {
            switch segment {
            case .token(let id):
                ids.append(id)
            case .text(let range):
                words.removeAll(keepingCapacity: true)
                preTokenizer.split(scalars, range: range, into: &words)
                for word in words { model.appendTokens(of: scalars, word: word, to: &ids) }
            }
        }

        if addSpecialTokens, addsEndOfSequence, let id = endOfSequenceID { ids.append(id) }
        return ids
    }

    /// The vocabulary string of `id` as stored (`Ġthe`), or nil outside the vocabulary.
    public func token(for id: Int) -> String? {
        (0..<vocabulary.count).contains(id) ? vocabulary.string(id) : nil
    }

    /// The id whose vocabulary string is `token`, exactly.
    public func id(of token: String) -> Int? {
        vocabulary.id(of: token).map(Int.init)
    }

    /// The GGUF token type of `id`, or nil outside the vocabulary.
    public func tokenType(of id: Int) -> TokenType? {
        types.indices.contains(id) ? types[id] : nil
    }

    /// Whether `id` is a control or unknown token, which `skipSpecial` leaves out of decoded text.
    public func isSpecial(_ id: Int) -> Bool {
        guard let type = tokenType(of: id) else { return false }
        return type == .control || type == .unknown
    }

    /// The bytes `id` stands for, appended to `bytes`, as llama.cpp's `token_to_piece` gives them.
    ///
    /// A normal token is mapped back from `ByteLevelAlphabet` (a character outside the alphabet is kept as its
    /// own UTF-8); control, unknown and user-defined tokens are their text as written (control and unknown
    /// ones nothing when `skipSpecial`); a byte token `<0xAB>` is its byte; unused and undefined tokens, and
    /// ids outside the vocabulary, are nothing.
    public func appendBytes(of id: Int, skipSpecial: Bool = false, to bytes: inout [UInt8]) {
        guard let type = tokenType(of: id) else { return }
        let utf8 = vocabulary.utf8(id)
        switch type {
        case .normal:
            // The stored UTF-8 is valid (it was written from strings), so decoding never fails.
            var iterator = utf8.makeIterator()
            var decoder = UTF8()
            while case .scalarValue(let scalar) = decoder.decode(&iterator) {
                if let byte = ByteLevelAlphabet.byte(for: scalar) {
                    bytes.append(byte)
                } else {
                    bytes.append(contentsOf: String(scalar).utf8)
                }
            }
        case .control, .unknown:
            if !skipSpecial { bytes.append(contentsOf: utf8) }
        case .userDefined:
            bytes.append(contentsOf: utf8)
        case .byte:
            let utf8 = Array(utf8)
            if utf8.count == 6, utf8.starts(with: Array("<0x".utf8)), utf8[5] == UInt8(ascii: ">"),
                let value = UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            }
        case .unused, .undefined:
            break
        }
    }

    /// The bytes of `ids`, concatenated.
    public func bytes(of ids: some Sequence<Int>, skipSpecial: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = []
        for id in ids { appendBytes(of: id, skipSpecial: skipSpecial, to: &bytes) }
        return bytes
    }

    /// The text of `ids`; bytes that are not valid UTF-8 (a character cut between tokens) become U+FFFD.
    /// Use `TokenStreamDecoder` to decode while tokens are still arriving.
    public func decode(_ ids: some Sequence<Int>, skipSpecial: Bool = false) -> String {
        String(decoding: bytes(of: ids, skipSpecial: skipSpecial), as: UTF8.self)
    }
}
