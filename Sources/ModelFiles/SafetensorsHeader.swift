import StrictJSON

/// The validated header of a safetensors file: its metadata and where each tensor lies.
///
/// Layout: an 8-byte little-endian length N, N bytes of UTF-8 JSON, then the data section, to which every
/// `data_offsets` pair is relative. Every number in the header is checked against the file before any tensor
/// can be read, so that a reader holding a `TensorInfo` can slice the mapping without further checks:
/// lengths agree with dtype × shape, ranges lie inside the data section, and no two tensors share bytes.
/// Unlike the reference reader, unused bytes between tensors are tolerated: they cannot mislead a reader,
/// whereas an overlap can. Errors name the file and the tensor and say what was expected versus found.
struct SafetensorsHeader {
    /// Bytes taken by the length prefix.
    static let prefixBytes = 8
    /// The reference implementation's own limit; a larger length is garbage, not a header.
    static let maxHeaderBytes = 100_000_000
    /// The reserved member that holds string metadata rather than a tensor.
    static let metadataKey = "__metadata__"

    let metadata: [String: String]
    let tensors: [String: TensorInfo]
    /// Absolute offset of the data section in the file.
    let dataStart: Int

    /// Parses and validates the header of `file`, the whole file's bytes; `path` is for messages only.
    init(file: UnsafeRawBufferPointer, path: String) throws(ModelFileError) {
        guard file.count >= Self.prefixBytes else {
            throw .truncated(path: path, expectedBytes: Self.prefixBytes, foundBytes: file.count)
        }
        let declared = UInt64(littleEndian: file.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(Self.maxHeaderBytes) else {
            throw .invalidHeader(
                path: path,
                reason: "header length \(declared) is absurd, expected at most \(Self.maxHeaderBytes) bytes"
            )
        }
        let headerEnd = Self.prefixBytes + Int(declared)
        guard headerEnd <= file.count else {
            throw .truncated(path: path, expectedBytes: headerEnd, foundBytes: file.count)
        }

        let json: JSONValue
        do {
            json = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: file[Self.prefixBytes..<headerEnd]))
        } catch {
            throw .invalidHeader(
                path: path,
                reason: "not valid JSON at header byte \(error.offset): \(error.message)"
            )
        }
        guard case .object(let members) = json else {
            throw .invalidHeader(path: path, reason: "expected a JSON object, found \(json.summary)")
        }

        let dataSize = file.count - headerEnd
        var metadata: [String: String]?
        var tensors: [String: TensorInfo] = [:]
        tensors.reserveCapacity(members.count)
        for member in members {
            let (name, value) = (member.key, member.value)
            if name == Self.metadataKey {
                guard metadata == nil else {
                    throw .invalidHeader(path: path, reason: "'\(Self.metadataKey)' appears twice, expected once")
                }
                metadata = try Self.parseMetadata(value, path: path)
                continue
            }
            guard tensors[name] == nil else {
                throw .invalidTensor(path: path, tensor: name, reason: "appears twice in the header, expected once")
            }
            tensors[name] = try Self.parseTensor(
                name: name,
                value,
                dataStart: headerEnd,
                dataSize: dataSize,
                path: path
            )
        }
        try Self.checkDisjoint(tensors.values, dataStart: headerEnd, path: path)

        self.metadata = metadata ?? [:]
        self.tensors = tensors
        self.dataStart = headerEnd
    }

    // MARK: - Members

    private static func parseMetadata(_ value: JSONValue, path: String) throws(ModelFileError) -> [String: String] {
        guard case .object(let members) = value else {
            throw .invalidHeader(
                path: path,
                reason: "'\(metadataKey)' must be an object of strings, found \(value.summary)"
            )
        }
        var metadata: [String: String] = [:]
        for member in members {
            let (key, entry) = (member.key, member.value)
            guard case .string(let text) = entry else {
                throw .invalidHeader(
                    path: path,
                    reason: "'\(metadataKey)' entry '\(key)' must be a string, found \(entry.summary)"
                )
            }
            guard metadata[key] == nil else {
                throw .invalidHeader(path: path, reason: "'\(metadataKey)' entry '\(key)' appears twice, expected once")
            }
            metadata[key] = text
        }
        return metadata
    }

    private static func parseTensor(
        name: String,
        _ value: JSONValue,
        dataStart: Int,
        dataSize: Int,
        path: String
    ) throws(ModelFileError) -> TensorInfo {
        func invalid(_ reason: String) -> ModelFileError {
            .invalidTensor(path: path, tensor: name, reason: reason)
        }
        guard case .object(let members) = value else {
            throw invalid("expected an object with dtype, shape and data_offsets, found \(value.summary)")
        }
        func field(_ key: String) throws(ModelFileError) -> JSONValue {
            guard let member = members.first(where: { $0.key == key }) else {
                throw invalid("missing field '\(key)'")
            }
            return member.value
        }

        let dtypeValue = try field("dtype")
        guard case .string(let dtypeName) = dtypeValue else {
            throw invalid("field 'dtype' must be a string, found \(dtypeValue.summary)")
        }
        guard let dtype = TensorDType(rawValue: dtypeName) else {
            throw .unknownDType(path: path, tensor: name, dtype: dtypeName)
        }

        let shapeValue = try field("shape")
        let shape = try integers(shapeValue, field: "shape", invalid: invalid)
        if let negative = shape.first(where: { $0 < 0 }) {
            throw invalid("shape \(shape) has the negative dimension \(negative), expected every dimension >= 0")
        }
        var byteCount = dtype.byteSize
        for dimension in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw invalid("shape \(shape) of \(dtype.rawValue) overflows the size of a buffer") }
            byteCount = product
        }

        let offsetsValue = try field("data_offsets")
        let offsets = try integers(offsetsValue, field: "data_offsets", invalid: invalid)
        guard offsets.count == 2 else {
            throw invalid("data_offsets \(offsets) has \(offsets.count) numbers, expected 2 (begin, end)")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, end >= 0 else {
            throw invalid("data_offsets \(offsets) has a negative offset, expected offsets >= 0")
        }
        guard end >= begin else {
            throw invalid("data_offsets \(offsets) end before they begin, expected begin <= end")
        }
        guard end - begin == byteCount else {
            throw invalid(
                "data_offsets \(offsets) hold \(end - begin) bytes, expected \(byteCount) for \(dtype.rawValue) \(shape)"
            )
        }
        guard end <= dataSize else {
            throw invalid(
                "data_offsets \(offsets) end past the data section, which holds \(dataSize) bytes (truncated file?)"
            )
        }
        let byteRange = (dataStart + begin)..<(dataStart + end)
        return TensorInfo(name: name, dtype: dtype, shape: shape, byteRange: byteRange)
    }

    /// Reads an array of integers, such as a shape or a pair of offsets.
    private static func integers(
        _ value: JSONValue,
        field: String,
        invalid: (String) -> ModelFileError
    ) throws(ModelFileError) -> [Int] {
        guard case .array(let items) = value else {
            throw invalid("field '\(field)' must be an array of integers, found \(value.summary)")
        }
        var numbers: [Int] = []
        numbers.reserveCapacity(items.count)
        for item in items {
            guard case .integer(let number) = item else {
                throw invalid("field '\(field)' must hold integers, found \(item.summary)")
            }
            numbers.append(number)
        }
        return numbers
    }

    // MARK: - Whole-file checks

    /// Refuses two tensors that share bytes: writing one would silently change the other.
    ///
    /// Sorted by begin, each non-empty range must start at or after the furthest end seen so far.
    /// - Complexity: O(n log n) for n tensors.
    private static func checkDisjoint(
        _ tensors: some Collection<TensorInfo>,
        dataStart: Int,
        path: String
    ) throws(ModelFileError) {
        let sorted = tensors.filter { !$0.byteRange.isEmpty }.sorted {
            ($0.byteRange.lowerBound, $0.name) < ($1.byteRange.lowerBound, $1.name)
        }
        var furthest: TensorInfo?
        for tensor in sorted {
            if let previous = furthest, tensor.byteRange.lowerBound < previous.byteRange.upperBound {
                func relative(_ info: TensorInfo) -> String {
                    "[\(info.byteRange.lowerBound - dataStart), \(info.byteRange.upperBound - dataStart)]"
                }
                throw .invalidTensor(
                    path: path,
                    tensor: tensor.name,
                    reason:
                        "data_offsets \(relative(tensor)) overlap tensor '\(previous.name)' at \(relative(previous)), "
                        + "expected tensors to be disjoint"
                )
            }
            if tensor.byteRange.upperBound > furthest?.byteRange.upperBound ?? Int.min {
                furthest = tensor
            }
        }
    }
}
