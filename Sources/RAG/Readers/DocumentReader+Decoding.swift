extension DocumentReader {
    /// How far the binary check looks: the heuristic of git and grep, which catches images, archives and
    /// office files at once without reading a whole large file twice.
    static let binaryCheckLength = 8_192

    /// The text of a file's bytes: UTF-8 with or without a byte-order mark, or UTF-16 with one.
    ///
    /// UTF-16 needs its byte-order mark because without one it cannot be told from binary (it is full of NUL
    /// bytes); Windows tools that write UTF-16 always put one. Nothing else is guessed: see
    /// ``ReaderError/invalidEncoding(path:)``.
    static func decodeText(_ bytes: some Collection<UInt8>, path: String) throws(ReaderError) -> String {
        let bytes = Array(bytes)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let text = try decodeUTF16(bytes.dropFirst(2), bigEndian: bytes[0] == 0xFE, path: path)
            if text.unicodeScalars.prefix(binaryCheckLength / 2).contains("\0") { throw .binaryContent(path: path) }
            return text
        }
        if bytes.prefix(binaryCheckLength).contains(0) { throw .binaryContent(path: path) }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        guard let text = String(validating: body, as: UTF8.self) else { throw .invalidEncoding(path: path) }
        return text
    }

    private static func decodeUTF16(
        _ bytes: ArraySlice<UInt8>,
        bigEndian: Bool,
        path: String
    ) throws(ReaderError) -> String {
        guard bytes.count.isMultiple(of: 2) else { throw .invalidEncoding(path: path) }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let first = UInt16(bytes[index])
            let second = UInt16(bytes[index + 1])
            units.append(bigEndian ? first << 8 | second : second << 8 | first)
            index += 2
        }
        guard let text = String(validating: units, as: UTF16.self) else { throw .invalidEncoding(path: path) }
        return text
    }
}
