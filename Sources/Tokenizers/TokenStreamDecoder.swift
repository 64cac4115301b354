/// Turns tokens into text as they are generated, one token at a time, emitting only whole characters.
///
/// A byte-level token need not end on a character boundary: `😀` is four bytes that the vocabulary may
/// spread over two or three tokens, and a Chinese character over two. Decoding each token on its own would
/// print replacement characters where the pieces meet. This decoder keeps the bytes of an unfinished UTF-8
/// sequence back until the token that completes it arrives, and emits everything else at once, so the
/// concatenation of what `append` returns, plus `finish()`, equals `decode` of all the tokens.
///
/// Bytes that can never become valid (a stray continuation byte, a sequence broken by a new lead byte) are
/// emitted as U+FFFD right away rather than held, so one bad token cannot stall the stream.
public struct TokenStreamDecoder: Sendable {
    private let tokenizer: BytePairTokenizer
    private let skipSpecial: Bool
    private var pending: [UInt8] = []

    /// `skipSpecial` leaves control tokens such as `<|im_end|>` out of the text.
    public init(tokenizer: BytePairTokenizer, skipSpecial: Bool = true) {
        self.tokenizer = tokenizer
        self.skipSpecial = skipSpecial
    }

    /// The text that `id` completes: possibly empty, possibly several characters.
    public mutating func append(_ id: Int) -> String {
        tokenizer.appendBytes(of: id, skipSpecial: skipSpecial, to: &pending)
        let complete = Self.completePrefixLength(of: pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Drops the bytes of a character that no token will now complete (generation stopped in the
    /// middle of it), so that the text ends on its last whole character; the decoder is empty afterwards.
    public mutating func dropUnfinished() {
        pending.removeAll()
    }

    /// Whatever is still held back, with an unfinished character as U+FFFD; the decoder is empty afterwards.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// The length of the longest prefix of `bytes` that does not end inside a UTF-8 sequence which later bytes
    /// could still complete.
    static func completePrefixLength(of bytes: [UInt8]) -> Int {
        // Only the last three bytes can belong to an unfinished sequence.
        var start = bytes.count
        while start > 0 && bytes.count - start < 3 && bytes[start - 1] & 0xC0 == 0x80 { start -= 1 }
        guard start > 0 else { return bytes.count }
        let lead = bytes[start - 1]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return bytes.count  // ASCII, or a byte that starts nothing: nothing to wait for.
        }
        let have = bytes.count - (start - 1)
        guard have < length else { return bytes.count }
        // Hold back only a prefix that a valid sequence can still extend (no surrogates, nothing past U+10FFFF).
        if have >= 2 {
            let second = bytes[start]
            let valid: Bool
            switch lead {
            case 0xE0: valid = second >= 0xA0
            case 0xED: valid = second < 0xA0
            case 0xF0: valid = second >= 0x90
            case 0xF4: valid = second < 0x90
            default: valid = true
            }
            if !valid { return bytes.count }
        }
        return start - 1
    }
}
