/// The strings of a byte-level BPE vocabulary in one UTF-8 buffer, looked up by id and by string.
///
/// An array of 49,152 Swift strings and a `[String: Int32]` from string to id took about 2 MB for
/// SmolLM2 (16 bytes per string, a heap object for each longer than 15 bytes, 20 bytes per dictionary
/// bucket), and the array kept the strings of the file's parsed metadata alive for as long as the
/// model; one buffer of bytes with 32-bit offsets and an open-addressing table of 32-bit ids take
/// 0.8 MB and share nothing with the metadata. The table hashes with the standard library's seeded
/// hasher, so a hostile file cannot make its tokens collide.
struct TokenVocabulary: Sendable {
    /// Every token's UTF-8, one after another.
    private let bytes: [UInt8]
    /// Where token i starts in `bytes`; it ends where token i + 1 starts (one more entry than tokens).
    private let starts: [UInt32]
    /// Linear probing over a power of two of slots, at most three quarters full: an id, or -1 when empty.
    private let slots: [Int32]

    /// Throws `.invalidVocabulary` (through `invalid`) when a string appears twice or the strings
    /// hold 4 GB or more. Empty strings have ids but are never found by `id(of:)`.
    init(_ tokens: [String], invalid: (String) -> TokenizerError) throws(TokenizerError) {
        let total = tokens.reduce(0) { $0 + $1.utf8.count }
        guard total < Int(UInt32.max) else { throw invalid("its token strings hold 4 GB or more") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        var starts: [UInt32] = []
        starts.reserveCapacity(tokens.count + 1)
        for token in tokens {
            starts.append(UInt32(bytes.count))
            bytes.append(contentsOf: token.utf8)
        }
        starts.append(UInt32(bytes.count))
        var size = 1
        while 3 * size < 4 * tokens.count { size *= 2 }
        var slots = [Int32](repeating: -1, count: size)
        for id in tokens.indices where starts[id] < starts[id + 1] {
            let token = bytes[Int(starts[id])..<Int(starts[id + 1])]
            var slot = Self.hash(token) & (size - 1)
            while slots[slot] >= 0 {
                let other = Int(slots[slot])
                if bytes[Int(starts[other])..<Int(starts[other + 1])].elementsEqual(token) {
                    throw invalid("token '\(tokens[id])' appears twice, as ids \(other) and \(id)")
                }
                slot = (slot + 1) & (size - 1)
            }
            slots[slot] = Int32(id)
        }
        self.bytes = bytes
        self.starts = starts
        self.slots = slots
    }

    var count: Int { starts.count - 1 }

    private static func hash(_ utf8: some Sequence<UInt8>) -> Int {
        var hasher = Hasher()
        for byte in utf8 { hasher.combine(byte) }
        return hasher.finalize()
    }

    /// The UTF-8 of token `id`.
    /// - Precondition: `id` is in `0..<count`.
    func utf8(_ id: Int) -> ArraySlice<UInt8> {
        bytes[Int(starts[id])..<Int(starts[id + 1])]
    }

    /// The string of token `id`.
    /// - Precondition: `id` is in `0..<count`.
    func string(_ id: Int) -> String {
        String(decoding: utf8(id), as: UTF8.self)
    }

    /// The id whose string is exactly `token`, or nil.
    func id(of token: String) -> Int32? {
        let utf8 = token.utf8
        guard !utf8.isEmpty else { return nil }
        var slot = Self.hash(utf8) & (slots.count - 1)
        while slots[slot] >= 0 {
            let id = slots[slot]
            if utf8.elementsEqual(self.utf8(Int(id))) { return id }
            slot = (slot + 1) & (slots.count - 1)
        }
        return nil
    }
}
