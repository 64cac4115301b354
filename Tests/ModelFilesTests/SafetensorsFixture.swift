import Foundation
import Testing

@testable import ModelFiles

/// A folder of its own under the system temporary directory, removed when the test lets go of it.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ModelFilesTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `bytes` to `name` inside the folder, replacing any earlier file, and returns its URL.
    @discardableResult
    func write(_ bytes: [UInt8], name: String = "model.safetensors") throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file
    }
}

/// One tensor to serialise: `dtype` is a string so that tests can also write spellings the reader must refuse.
struct FixtureTensor {
    var name: String
    var dtype: String
    var shape: [Int]
    var data: [UInt8]
}

/// Serialises safetensors files the way the reference writer does: tensors back to back in the order given,
/// the header padded with spaces to a multiple of 8 bytes.
enum SafetensorsFixture {
    /// A file from tensors and metadata, with offsets computed from the data lengths.
    static func file(_ tensors: [FixtureTensor], metadata: [String: String]? = nil) -> [UInt8] {
        var members: [String] = []
        if let metadata {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(quoted($0.key)): \(quoted($0.value))" }
            members.append("\"__metadata__\": {\(pairs.joined(separator: ", "))}")
        }
        var offset = 0
        var data: [UInt8] = []
        for tensor in tensors {
            let end = offset + tensor.data.count
            members.append(
                "\(quoted(tensor.name)): {\"dtype\": \(quoted(tensor.dtype)), \"shape\": \(tensor.shape), "
                    + "\"data_offsets\": [\(offset), \(end)]}"
            )
            offset = end
            data += tensor.data
        }
        return file(header: "{" + members.joined(separator: ", ") + "}", data: data)
    }

    /// A file from a header written by hand (which may be malformed) and a data section.
    static func file(header: String, data: [UInt8] = [], pad: Bool = true) -> [UInt8] {
        var json = Array(header.utf8)
        if pad {
            while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }
        }
        return file(headerBytes: json, data: data)
    }

    /// A file from raw header bytes (which need not be UTF-8) and a data section.
    static func file(headerBytes: [UInt8], data: [UInt8] = []) -> [UInt8] {
        littleEndian(UInt64(headerBytes.count)) + headerBytes + data
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    // MARK: - Element encodings

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    static func f32(_ values: [Float]) -> [UInt8] {
        values.flatMap { littleEndian($0.bitPattern) }
    }

    static func f16(_ values: [Float]) -> [UInt8] {
        values.flatMap { littleEndian(Float16($0).bitPattern) }
    }

    /// Truncates to bfloat16; the test values are chosen to be exact in it.
    static func bf16(_ values: [Float]) -> [UInt8] {
        values.flatMap { littleEndian(UInt16($0.bitPattern >> 16)) }
    }

    static func i64(_ values: [Int64]) -> [UInt8] {
        values.flatMap { littleEndian($0) }
    }
}

/// Opens `bytes` as a file and returns the error it must throw, recording an issue when it opens instead.
func openingError(
    _ bytes: [UInt8],
    in directory: TemporaryDirectory,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> (error: ModelFileError, path: String)? {
    let url = try directory.write(bytes)
    let error = #expect(throws: ModelFileError.self, sourceLocation: sourceLocation) {
        _ = try SafetensorsFile(url: url)
    }
    return error.map { ($0, url.path) }
}
