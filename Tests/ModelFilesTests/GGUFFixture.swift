import Foundation
import Testing

@testable import ModelFiles

/// One tensor info to serialise; the fields are raw so that tests can also write what the reader must refuse.
struct GGUFFixtureTensor {
    var name: String
    var dimensions: [UInt64]
    var typeID: UInt32
    /// Relative to the data section.
    var offset: UInt64
}

/// Serialises small GGUF files byte by byte, as gguf-py's writer lays them out: header, metadata, tensor
/// infos, zero padding to the alignment, data section.
enum GGUFFixture {
    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    /// A string: `uint64` length, then the bytes (which need not be UTF-8).
    static func string(_ bytes: [UInt8]) -> [UInt8] {
        littleEndian(UInt64(bytes.count)) + bytes
    }

    static func string(_ text: String) -> [UInt8] {
        string(Array(text.utf8))
    }

    /// The payload of a value, without its type id.
    static func payload(_ value: GGUFValue) -> [UInt8] {
        switch value {
        case .uint8(let number): return [number]
        case .int8(let number): return littleEndian(number)
        case .uint16(let number): return littleEndian(number)
        case .int16(let number): return littleEndian(number)
        case .uint32(let number): return littleEndian(number)
        case .int32(let number): return littleEndian(number)
        case .uint64(let number): return littleEndian(number)
        case .int64(let number): return littleEndian(number)
        case .float32(let number): return littleEndian(number.bitPattern)
        case .float64(let number): return littleEndian(number.bitPattern)
        case .bool(let flag): return [flag ? 1 : 0]
        case .string(let text): return string(text)
        case .array(let array): return arrayPayload(array)
        }
    }

    static func arrayPayload(_ array: GGUFArray) -> [UInt8] {
        var bytes = littleEndian(array.elementType.rawValue) + littleEndian(UInt64(array.count))
        switch array {
        case .uint8(let values): bytes += values
        case .int8(let values): bytes += values.flatMap { littleEndian($0) }
        case .uint16(let values): bytes += values.flatMap { littleEndian($0) }
        case .int16(let values): bytes += values.flatMap { littleEndian($0) }
        case .uint32(let values): bytes += values.flatMap { littleEndian($0) }
        case .int32(let values): bytes += values.flatMap { littleEndian($0) }
        case .uint64(let values): bytes += values.flatMap { littleEndian($0) }
        case .int64(let values): bytes += values.flatMap { littleEndian($0) }
        case .float32(let values): bytes += values.flatMap { littleEndian($0.bitPattern) }
        case .float64(let values): bytes += values.flatMap { littleEndian($0.bitPattern) }
        case .bool(let values): bytes += values.map { $0 ? 1 : 0 }
        case .string(let values): bytes += values.flatMap { string($0) }
        case .array(let values): bytes += values.flatMap { arrayPayload($0) }
        }
        return bytes
    }

    /// One metadata entry: key, type id, payload.
    static func entry(_ key: String, _ value: GGUFValue) -> [UInt8] {
        string(key) + littleEndian(value.type.rawValue) + payload(value)
    }

    static func tensorInfo(_ tensor: GGUFFixtureTensor) -> [UInt8] {
        string(tensor.name) + littleEndian(UInt32(tensor.dimensions.count))
            + tensor.dimensions.flatMap { littleEndian($0) } + littleEndian(tensor.typeID) + littleEndian(tensor.offset)
    }

    /// A whole file from encoded entries and infos; counts default to the number given.
    static func file(
        version: UInt32 = 3,
        entries: [[UInt8]],
        tensors: [GGUFFixtureTensor],
        data: [UInt8],
        alignment: Int = 32,
        tensorCount: UInt64? = nil,
        entryCount: UInt64? = nil
    ) -> [UInt8] {
        var bytes = Array("GGUF".utf8) + littleEndian(version)
        bytes += littleEndian(tensorCount ?? UInt64(tensors.count))
        bytes += littleEndian(entryCount ?? UInt64(entries.count))
        bytes += entries.joined()
        bytes += tensors.flatMap(tensorInfo)
        while bytes.count % alignment != 0 { bytes.append(0) }
        return bytes + data
    }

    /// Every metadata type, nested arrays and an empty array, as `valid` writes them.
    static let sampleMetadata: [(String, GGUFValue)] = [
        ("general.architecture", .string("llama")),
        ("u8", .uint8(200)),
        ("i8", .int8(-5)),
        ("u16", .uint16(60_000)),
        ("i16", .int16(-30_000)),
        ("llama.block_count", .uint32(30)),
        ("i32", .int32(-7)),
        ("f32", .float32(1e-5)),
        ("flag", .bool(true)),
        ("u64", .uint64(1 << 40)),
        ("i64", .int64(-(1 << 40))),
        ("f64", .float64(100_000.5)),
        ("name ü", .string("ünïcode ✓")),
        ("tokens", .array(.string(["<s>", "", "Ġthe"]))),
        ("types", .array(.int32([1, 3, -1]))),
        ("scores", .array(.float32([0.5, -1]))),
        ("empty", .array(.uint64([]))),
        ("nested", .array(.array([.uint8([1, 2]), .string(["x"]), .array([.bool([true, false])])]))),
    ]

    /// Three tensors: F32 [2, 3] at 0, an unknown type 99 at 32, Q8_0 [32, 2] last, ending the file.
    static let sampleTensors = [
        GGUFFixtureTensor(name: "a.weight", dimensions: [2, 3], typeID: 0, offset: 0),
        GGUFFixtureTensor(name: "exotic", dimensions: [8], typeID: 99, offset: 32),
        GGUFFixtureTensor(name: "q.weight", dimensions: [32, 2], typeID: 8, offset: 64),
    ]

    /// The data section of `sampleTensors`: floats 1…6, 32 bytes for the unknown tensor, two Q8_0 blocks.
    static var sampleData: [UInt8] {
        var data = (1...6).map { Float($0) }.flatMap { littleEndian($0.bitPattern) }
        while data.count < 32 { data.append(0) }
        data += [UInt8](repeating: 0xEE, count: 32)
        data += (0..<68).map { UInt8($0) }
        return data
    }

    static var valid: [UInt8] {
        file(entries: sampleMetadata.map { entry($0.0, $0.1) }, tensors: sampleTensors, data: sampleData)
    }
}

/// Parses `bytes` in memory as a GGUF header; returns the error, recording an issue when it parses instead.
func ggufError(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> ModelFileError? {
    bytes.withUnsafeBytes { raw in
        do throws(ModelFileError) {
            _ = try GGUFHeader(file: raw, path: "/fixture/model.gguf")
            Issue.record("a damaged GGUF parsed without error", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }
}

/// Where the tests find the real models: `$RAG_MODELS`, else `models/` in the checkout.
func modelsDirectory() -> URL {
    if let configured = ProcessInfo.processInfo.environment["RAG_MODELS"], !configured.isEmpty {
        return URL(fileURLWithPath: configured)
    }
    return repositoryRoot().appendingPathComponent("models")
}

/// Where the reference fixtures are: `$RAG_FIXTURES`, else `../shared/fixtures` beside the checkout.
func fixturesDirectory() -> URL {
    if let configured = ProcessInfo.processInfo.environment["RAG_FIXTURES"], !configured.isEmpty {
        return URL(fileURLWithPath: configured)
    }
    return repositoryRoot().deletingLastPathComponent().appendingPathComponent("shared/fixtures")
}
