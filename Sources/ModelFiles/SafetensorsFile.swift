import Foundation

/// A safetensors file, memory-mapped and validated once at open.
///
/// Opening checks the whole header against the file (see `SafetensorsHeader`), so every later read is a
/// slice of the mapping with no failure left but a wrong name, shape or dtype. Nothing is copied until a
/// caller asks for `floats`; `withRawBytes` hands out the mapped bytes themselves.
///
/// `@unchecked Sendable` is safe because every stored property is immutable after `init` and the mapping is
/// read-only (`MappedFile`), so any number of threads may read tensors at once.
public final class SafetensorsFile: @unchecked Sendable {
    public let url: URL
    /// The `__metadata__` strings (e.g. `format: pt`); empty when the file has none.
    public let metadata: [String: String]
    /// Every tensor, by its name as written in the file.
    public let tensors: [String: TensorInfo]

    private let mapping: MappedFile
    private var path: String { mapping.path }

    /// Maps the file at `url` and validates its header.
    public init(url: URL) throws(ModelFileError) {
        guard url.isFileURL else {
            throw .unreadable(
                path: url.absoluteString, reason: "expected a file URL, found \(url.scheme ?? "no scheme")")
        }
        self.url = url
        let mapping = try MappedFile(path: url.path)
        let header = try SafetensorsHeader(file: mapping.bytes, path: mapping.path)
        self.mapping = mapping
        self.metadata = header.metadata
        self.tensors = header.tensors
    }

    /// The tensor called `name`, or `.tensorNotFound` suggesting the nearest existing name.
    public func info(_ name: String) throws(ModelFileError) -> TensorInfo {
        guard let info = tensors[name] else {
            throw .tensorNotFound(
                path: path,
                tensor: name,
                closeMatch: NameSuggestion.closest(to: name, among: tensors.keys)
            )
        }
        return info
    }

    /// Raw bytes of the tensor, valid while the file object lives.
    ///
    /// The bytes are little-endian and need not be aligned for the dtype: read them with `loadUnaligned` or
    /// copy them. Do not let the pointer escape `body`.
    public func withRawBytes<R>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let info = try info(name)
        return try withExtendedLifetime(mapping) {
            try body(UnsafeRawBufferPointer(rebasing: mapping.bytes[info.byteRange]))
        }
    }

    /// Elements converted to Float32 (F32 copied, F16 and BF16 widened); other dtypes throw
    /// `.unsupportedDType` naming the tensor.
    public func floats(_ name: String) throws(ModelFileError) -> [Float] {
        try floats(of: info(name))
    }

    /// Same, also checking the shape: throws `.shapeMismatch` when it differs, before converting anything.
    public func floats(_ name: String, shape: [Int]) throws(ModelFileError) -> [Float] {
        let info = try info(name)
        guard info.shape == shape else {
            throw .shapeMismatch(path: path, tensor: name, expected: shape, found: info.shape)
        }
        return try floats(of: info)
    }

    private func floats(of info: TensorInfo) throws(ModelFileError) -> [Float] {
        let convert: (UnsafeRawBufferPointer, Int) -> [Float]
        switch info.dtype {
        case .f32: convert = FloatConversion.fromF32
        case .f16: convert = FloatConversion.fromF16
        case .bf16: convert = FloatConversion.fromBF16
        default: throw .unsupportedDType(path: path, tensor: info.name, dtype: info.dtype)
        }
        return withExtendedLifetime(mapping) {
            convert(UnsafeRawBufferPointer(rebasing: mapping.bytes[info.byteRange]), info.elementCount)
        }
    }
}
