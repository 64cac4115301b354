import Foundation

/// A GGUF file (version 2 or 3), memory-mapped and validated once at open.
///
/// Opening checks the whole header against the file (see `GGUFHeader`), so every later read is a slice of
/// the mapping with no failure left but a wrong name, a wrong metadata type or an unsupported tensor type.
/// Nothing is copied: `rawBytes(_:)` and `withRawBytes(_:_:)` hand out the mapped bytes themselves, which is
/// how a 100 MB quantised model opens in milliseconds and is paged in only as it is used.
///
/// `@unchecked Sendable` is safe because every stored property is immutable after `init` and the mapping is
/// read-only (`MappedFile`), so any number of threads may read at once.
public final class GGUFFile: @unchecked Sendable {
    public let url: URL
    /// 2 or 3; the two share one layout.
    public let version: UInt32
    /// Every metadata entry, by key.
    public let metadata: [String: GGUFValue]
    /// The metadata keys in file order.
    public let metadataKeys: [String]
    /// Every tensor, by its name as written in the file.
    public let tensors: [String: GGUFTensorInfo]
    /// The tensor names in file order.
    public let tensorNames: [String]
    /// `general.alignment`, or 32 when the file does not say.
    public let alignment: Int
    /// Absolute offset of the data section, to which the stored tensor offsets are relative.
    public let dataOffset: Int

    private let mapping: MappedFile

    /// The path as given, for messages.
    public var path: String { mapping.path }

    /// Maps the file at `url` and validates its header.
    public init(url: URL) throws(ModelFileError) {
        guard url.isFileURL else {
            throw .unreadable(
                path: url.absoluteString, reason: "expected a file URL, found \(url.scheme ?? "no scheme")")
        }
        self.url = url
        let mapping = try MappedFile(path: url.path)
        let header = try GGUFHeader(file: mapping.bytes, path: mapping.path)
        self.mapping = mapping
        version = header.version
        metadata = header.metadata
        metadataKeys = header.metadataKeys
        tensors = header.tensors
        tensorNames = header.tensorNames
        alignment = header.alignment
        dataOffset = header.dataOffset
    }

    /// What keeps the mapped bytes valid, without the parsed metadata: a reader that still reads the
    /// tensors but has taken what it needs from the metadata holds this instead of the file, so that
    /// the metadata's values (a vocabulary of 49,152 strings and as many merges: about 2 MB) can go.
    public var bytesOwner: AnyObject & Sendable { mapping }

    /// The tensor called `name`, or `.tensorNotFound` suggesting the nearest existing name.
    public func info(_ name: String) throws(ModelFileError) -> GGUFTensorInfo {
        guard let info = tensors[name] else {
            throw .tensorNotFound(
                path: path, tensor: name, closeMatch: NameSuggestion.closest(to: name, among: tensors.keys))
        }
        return info
    }

    /// The tensor's mapped bytes, valid for as long as this `GGUFFile` lives: keep a reference to the file,
    /// or to its `bytesOwner`, wherever the pointer is kept (a model holding its weights keeps the owner).
    ///
    /// The bytes are little-endian and aligned to `alignment` within the file; the mapping itself starts on
    /// a page boundary. Throws `.unsupportedTensorType` for a tensor whose type has no known size.
    public func rawBytes(_ name: String) throws(ModelFileError) -> UnsafeRawBufferPointer {
        let info = try info(name)
        guard let range = info.byteRange else {
            throw .unsupportedTensorType(path: path, tensor: name, typeID: info.type.id)
        }
        return UnsafeRawBufferPointer(rebasing: mapping.bytes[range])
    }

    /// Drops the tensor's pages from this process's resident memory, for a reader that has copied
    /// the tensor elsewhere (pages it shares with a neighbour go too; touched again, they are read
    /// back from the file). Pointers stay valid.
    public func evictPages(of name: String) {
        guard let range = tensors[name]?.byteRange else { return }
        mapping.evict(range)
    }

    /// Drops every page of the file from this process's resident memory (as `evictPages(of:)`), for
    /// a reader that has copied out all it needs: metadata and tensors alike.
    public func evictAllPages() {
        mapping.evict(0..<mapping.bytes.count)
    }

    /// Calls `body` with the tensor's mapped bytes; the pointer must not escape `body`.
    public func withRawBytes<R>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let bytes = try rawBytes(name)
        return try withExtendedLifetime(mapping) { try body(bytes) }
    }
}
