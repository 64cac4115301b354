/// The validated header of a GGUF file: version, metadata, tensor infos and where the data section starts.
///
/// Layout (little-endian): magic `GGUF`, `uint32` version, `uint64` tensor count, `uint64` metadata count, the
/// metadata entries, the tensor infos (name, `uint32` dimension count, `uint64` per dimension, `uint32` type,
/// `uint64` offset), padding to `general.alignment` (default 32), then the data section, to which every
/// offset is relative. Checked here, once: counts against the bytes left, each tensor's size from its type
/// and dimensions, offsets aligned and inside the file, no two tensors sharing bytes, no name twice. After
/// that a `GGUFTensorInfo` can be sliced out of the mapping without further checks.
struct GGUFHeader {
    static let magic: [UInt8] = Array("GGUF".utf8)
    static let defaultAlignment = 32
    static let alignmentKey = "general.alignment"
    /// ggml's `GGML_MAX_DIMS`.
    static let maximumDimensions = 4

    let version: UInt32
    let metadata: [String: GGUFValue]
    let metadataKeys: [String]
    let tensors: [String: GGUFTensorInfo]
    let tensorNames: [String]
    let alignment: Int
    /// Absolute offset of the data section.
    let dataOffset: Int

    init(file: UnsafeRawBufferPointer, path: String) throws(ModelFileError) {
        var cursor = GGUFCursor(bytes: file, path: path)
        try cursor.require(4)
        let magic = Array(file[0..<4])
        guard magic == Self.magic else {
            let shown = magic.map { (32...126).contains($0) ? String(UnicodeScalar($0)) : "\\x\(hex($0))" }.joined()
            throw .invalidHeader(path: path, reason: "magic is '\(shown)', expected 'GGUF'; this is not a GGUF file")
        }
        _ = try cursor.read(UInt32.self)
        let version = try cursor.read(UInt32.self)
        guard version == 2 || version == 3 else {
            let hint =
                [2, 3].contains(version.byteSwapped) ? " (a big-endian file, which this reader does not support)" : ""
            throw .invalidHeader(path: path, reason: "version is \(version)\(hint), expected 2 or 3")
        }
        let tensorCount = try cursor.readCount("the tensor count")
        let metadataCount = try cursor.readCount("the metadata count")
        let (metadata, keys) = try GGUFMetadataReader.read(count: metadataCount, from: &cursor)
        let alignment = try Self.alignment(in: metadata, path: path)
        let infos = try Self.readTensorInfos(count: tensorCount, from: &cursor)

        let dataOffset = cursor.align(to: alignment)
        var tensors: [String: GGUFTensorInfo] = [:]
        tensors.reserveCapacity(infos.count)
        for raw in infos {
            guard tensors[raw.name] == nil else {
                throw .invalidTensor(path: path, tensor: raw.name, reason: "appears twice in the header, expected once")
            }
            tensors[raw.name] = try Self.validate(
                raw, dataOffset: dataOffset, alignment: alignment, fileSize: file.count, path: path)
        }
        try Self.checkDisjoint(tensors.values, dataOffset: dataOffset, path: path)

        self.version = version
        self.metadata = metadata
        self.metadataKeys = keys
        self.tensors = tensors
        self.tensorNames = infos.map(\.name)
        self.alignment = alignment
        self.dataOffset = dataOffset
    }

    /// `general.alignment` when present: a `uint32` power of two, as ggml requires.
    private static func alignment(in metadata: [String: GGUFValue], path: String) throws(ModelFileError) -> Int {
        guard let value = metadata[alignmentKey] else { return defaultAlignment }
        guard case .uint32(let raw) = value else {
            throw .metadataTypeMismatch(path: path, key: alignmentKey, expected: "uint32", found: value.typeDescription)
        }
        guard raw > 0, raw & (raw - 1) == 0 else {
            throw .invalidMetadata(path: path, key: alignmentKey, reason: "is \(raw), expected a power of two")
        }
        return Int(raw)
    }

    // MARK: - Tensor infos

    /// A tensor info as read, before its offset and size are checked against the file.
    private struct RawTensorInfo {
        var name: String
        var dimensions: [Int]
        var typeID: UInt32
        var offset: UInt64
    }

    private static func readTensorInfos(
        count: Int, from cursor: inout GGUFCursor
    ) throws(ModelFileError) -> [RawTensorInfo] {
        // An info is at least an 8-byte name length, a 4-byte dimension count, a 4-byte type, an 8-byte offset.
        guard count <= cursor.remaining / 24 else {
            throw .invalidHeader(
                path: cursor.path,
                reason: "the header declares \(count) tensors, but the \(cursor.remaining) bytes left hold at most "
                    + "\(cursor.remaining / 24) tensor infos")
        }
        var infos: [RawTensorInfo] = []
        infos.reserveCapacity(count)
        for index in 0..<count {
            guard let name = try cursor.readString() else {
                throw .invalidHeader(path: cursor.path, reason: "the name of tensor \(index) is not valid UTF-8")
            }
            let dimensionCount = try cursor.read(UInt32.self)
            guard dimensionCount <= maximumDimensions else {
                throw .invalidTensor(
                    path: cursor.path, tensor: name,
                    reason: "has \(dimensionCount) dimensions, expected at most \(maximumDimensions)")
            }
            var dimensions: [Int] = []
            for _ in 0..<dimensionCount {
                let raw = try cursor.read(UInt64.self)
                guard let dimension = Int(exactly: raw) else {
                    throw .invalidTensor(
                        path: cursor.path, tensor: name, reason: "dimension \(raw) does not fit in a signed 64-bit size"
                    )
                }
                dimensions.append(dimension)
            }
            let typeID = try cursor.read(UInt32.self)
            let offset = try cursor.read(UInt64.self)
            infos.append(RawTensorInfo(name: name, dimensions: dimensions, typeID: typeID, offset: offset))
        }
        return infos
    }

    /// Checks one tensor's size, alignment and extent, and makes its offset absolute.
    private static func validate(
        _ raw: RawTensorInfo, dataOffset: Int, alignment: Int, fileSize: Int, path: String
    ) throws(ModelFileError) -> GGUFTensorInfo {
        func invalid(_ reason: String) -> ModelFileError {
            .invalidTensor(path: path, tensor: raw.name, reason: reason)
        }
        let type = GGUFTensorType(id: raw.typeID)
        var elements = 1
        for dimension in raw.dimensions {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw invalid("dimensions \(raw.dimensions) overflow the size of a buffer") }
            elements = product
        }
        guard raw.offset % UInt64(alignment) == 0 else {
            throw invalid("offset \(raw.offset) is not a multiple of the alignment \(alignment)")
        }
        let relative = Int(exactly: raw.offset) ?? Int.max
        let (offset, offsetOverflow) = dataOffset.addingReportingOverflow(relative)
        guard !offsetOverflow, offset <= fileSize else {
            throw invalid(
                "offset \(raw.offset) starts past the end of the file (data section at \(dataOffset), file size "
                    + "\(fileSize); truncated download?)")
        }

        var byteCount: Int?
        if let blockSize = type.blockSize, let bytesPerBlock = type.bytesPerBlock {
            let rowLength = raw.dimensions.first ?? 1
            guard rowLength % blockSize == 0 else {
                throw invalid("rows of \(rowLength) elements are not a whole number of \(type) blocks of \(blockSize)")
            }
            let (bytes, overflow) = (elements / blockSize).multipliedReportingOverflow(by: bytesPerBlock)
            guard !overflow else {
                throw invalid("dimensions \(raw.dimensions) of \(type) overflow the size of a buffer")
            }
            guard bytes <= fileSize - offset else {
                throw invalid(
                    "\(type) \(raw.dimensions) needs \(bytes) bytes from offset \(offset), but the file ends at "
                        + "\(fileSize) (truncated download?)")
            }
            byteCount = bytes
        }
        return GGUFTensorInfo(
            name: raw.name, dimensions: raw.dimensions, type: type, offset: offset, byteCount: byteCount)
    }

    /// Refuses two tensors that share bytes. A tensor of unknown size is checked as the point where it starts.
    /// - Complexity: O(n log n) for n tensors.
    private static func checkDisjoint(
        _ tensors: some Collection<GGUFTensorInfo>, dataOffset: Int, path: String
    ) throws(ModelFileError) {
        let sorted = tensors.filter { $0.byteCount != 0 }.sorted { ($0.offset, $0.name) < ($1.offset, $1.name) }
        var furthest: GGUFTensorInfo?
        for tensor in sorted {
            if let previous = furthest, tensor.offset < previous.offset + (previous.byteCount ?? 0) {
                throw .invalidTensor(
                    path: path, tensor: tensor.name,
                    reason: "offset \(tensor.offset - dataOffset) lies inside tensor '\(previous.name)' at "
                        + "\(previous.offset - dataOffset) (\(previous.byteCount ?? 0) bytes), expected tensors "
                        + "to be disjoint")
            }
            if tensor.offset + (tensor.byteCount ?? 0) > (furthest.map { $0.offset + ($0.byteCount ?? 0) } ?? Int.min) {
                furthest = tensor
            }
        }
    }
}

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
}
