/// GPT-2's byte-to-unicode mapping: each of the 256 byte values as one printable character.
///
/// Byte-level BPE vocabularies are written in this alphabet so that every byte string is a string of visible
/// characters: the 188 bytes that are printable Latin-1 (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) stand for themselves,
/// and the other 68 (controls, space, soft hyphen…) are numbered from U+0100 in byte order, so a space is
/// `Ġ` (U+0120) and a newline `Ċ` (U+010A).
enum ByteLevelAlphabet {
    /// The character of each byte value.
    static let scalars: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The byte a character stands for, or nil for a character outside the alphabet.
    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        if value < 256 {
            let byte = UInt8(value)
            return scalars[Int(byte)] == scalar ? byte : nil
        }
        guard value < 256 + 68 else { return nil }
        return inverseHigh[Int(value - 256)]
    }

    /// The bytes of U+0100…U+0143, in order.
    private static let inverseHigh: [UInt8] = (0..<256).compactMap { byte in
        scalars[byte].value >= 256 ? UInt8(byte) : nil
    }
}
