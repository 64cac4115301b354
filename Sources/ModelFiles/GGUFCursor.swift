/// A read position in a GGUF file that never reads past the end.
///
/// Every read checks the bytes left first and throws `.truncated` (naming how far the file would have to
/// reach) instead of trapping; values are little-endian and unaligned, so they are loaded byte-wise.
struct GGUFCursor {
    let bytes: UnsafeRawBufferPointer
    let path: String
    private(set) var offset = 0

    init(bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    var remaining: Int { bytes.count - offset }

    /// Throws unless `count` more bytes are there.
    func require(_ count: Int) throws(ModelFileError) {
        guard count <= remaining else {
            let (end, overflow) = offset.addingReportingOverflow(count)
            throw .truncated(path: path, expectedBytes: overflow ? Int.max : end, foundBytes: bytes.count)
        }
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type) throws(ModelFileError) -> T {
        let size = MemoryLayout<T>.size
        try require(size)
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return value
    }

    mutating func readFloat32() throws(ModelFileError) -> Float {
        Float(bitPattern: try read(UInt32.self))
    }

    mutating func readFloat64() throws(ModelFileError) -> Double {
        Double(bitPattern: try read(UInt64.self))
    }

    /// A `uint64` that must fit in `Int`; `what` names it in the error.
    mutating func readCount(_ what: @autoclosure () -> String) throws(ModelFileError) -> Int {
        let raw = try read(UInt64.self)
        guard let count = Int(exactly: raw), count <= bytes.count else {
            throw .invalidHeader(
                path: path,
                reason: "\(what()) is \(raw), more than the \(bytes.count) bytes of the whole file")
        }
        return count
    }

    /// A string: a `uint64` byte length, then that many bytes of UTF-8 (not NUL-terminated).
    ///
    /// Returns nil when the bytes are not valid UTF-8, so that the caller can name the key or tensor.
    mutating func readString() throws(ModelFileError) -> String? {
        let length = try read(UInt64.self)
        guard let count = Int(exactly: length), count <= remaining else {
            throw .truncated(
                path: path,
                expectedBytes: Int(exactly: length).map { offset.addingReportingOverflow($0).partialValue }
                    ?? Int.max,
                foundBytes: bytes.count)
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return String(validating: slice, as: UTF8.self)
    }

    /// Moves forward to the next multiple of `alignment` (a power of two), which may lie past the end.
    mutating func align(to alignment: Int) -> Int {
        let (padded, overflow) = offset.addingReportingOverflow(alignment - 1)
        offset = overflow ? Int.max & ~(alignment - 1) : padded & ~(alignment - 1)
        return offset
    }
}
