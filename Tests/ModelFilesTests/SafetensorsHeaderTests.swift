import Foundation
import Testing

@testable import ModelFiles

/// Every way a header can be malformed must end in the right `ModelFileError` case, whose message names the
/// file (and the tensor, where one is at fault) and says what was expected versus found.
@Suite("SafetensorsHeader validation")
struct SafetensorsHeaderTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// A header of one tensor entry `entry` (JSON text) named `name`, over `dataBytes` zero bytes.
    func oneTensor(_ name: String = "x", entry: String, dataBytes: Int = 16) -> [UInt8] {
        SafetensorsFixture.file(header: "{\"\(name)\": \(entry)}", data: Array(repeating: 0, count: dataBytes))
    }

    /// Expects `.invalidTensor` for `tensor` whose reason contains `reason`, and a message naming file and tensor.
    func expectInvalidTensor(
        _ bytes: [UInt8],
        tensor: String = "x",
        reason expectedReason: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        guard let (error, path) = try openingError(bytes, in: directory, sourceLocation: sourceLocation) else { return }
        guard case .invalidTensor(let errorPath, let errorTensor, let reason) = error else {
            Issue.record("expected .invalidTensor, found \(error)", sourceLocation: sourceLocation)
            return
        }
        #expect(errorPath == path, sourceLocation: sourceLocation)
        #expect(errorTensor == tensor, sourceLocation: sourceLocation)
        #expect(reason.contains(expectedReason), "reason: \(reason)", sourceLocation: sourceLocation)
        #expect(error.description.contains(path), sourceLocation: sourceLocation)
        #expect(error.description.contains("'\(tensor)'"), sourceLocation: sourceLocation)
    }

    /// Expects `.invalidHeader` whose reason contains `reason`, and a message naming the file.
    func expectInvalidHeader(
        _ bytes: [UInt8],
        reason expectedReason: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        guard let (error, path) = try openingError(bytes, in: directory, sourceLocation: sourceLocation) else { return }
        guard case .invalidHeader(let errorPath, let reason) = error else {
            Issue.record("expected .invalidHeader, found \(error)", sourceLocation: sourceLocation)
            return
        }
        #expect(errorPath == path, sourceLocation: sourceLocation)
        #expect(reason.contains(expectedReason), "reason: \(reason)", sourceLocation: sourceLocation)
        #expect(error.description.contains(path), sourceLocation: sourceLocation)
    }

    // MARK: - The file and the length prefix

    @Test("reports a missing file as fileNotFound with its path")
    func reportsMissingFile() {
        let url = directory.url.appendingPathComponent("absent.safetensors")
        let error = #expect(throws: ModelFileError.self) { try SafetensorsFile(url: url) }
        #expect(error == .fileNotFound(path: url.path))
        #expect(error?.description.contains(url.path) == true)
    }

    @Test("refuses a URL that is not a file URL")
    func refusesRemoteURL() throws {
        let url = try #require(URL(string: "https://example.com/model.safetensors"))
        let error = #expect(throws: ModelFileError.self) { try SafetensorsFile(url: url) }
        guard case .unreadable(let path, let reason) = error else {
            Issue.record("expected .unreadable, found \(String(describing: error))")
            return
        }
        #expect(path == url.absoluteString)
        #expect(reason == "expected a file URL, found https")
    }

    @Test("reports a directory as unreadable")
    func reportsDirectory() {
        let error = #expect(throws: ModelFileError.self) { try SafetensorsFile(url: directory.url) }
        guard case .unreadable(let path, let reason) = error else {
            Issue.record("expected .unreadable, found \(String(describing: error))")
            return
        }
        #expect(path == directory.url.path)
        #expect(reason.contains("directory"))
    }

    @Test("reports a file shorter than the length prefix as truncated", arguments: [0, 1, 7])
    func reportsShortFile(length: Int) throws {
        let error = try openingError(Array(repeating: 0, count: length), in: directory)
        #expect(error?.error == .truncated(path: error?.path ?? "", expectedBytes: 8, foundBytes: length))
    }

    @Test("reports a header length past the end of the file as truncated")
    func reportsHeaderPastEnd() throws {
        let bytes = SafetensorsFixture.littleEndian(UInt64(100)) + Array("{}".utf8)
        let error = try openingError(bytes, in: directory)
        #expect(error?.error == .truncated(path: error?.path ?? "", expectedBytes: 108, foundBytes: 10))
        #expect(error?.error.description.contains("expected at least 108 bytes, found 10") == true)
    }

    @Test("refuses an absurd header length", arguments: [UInt64.max, UInt64(Int.max), 100_000_001])
    func refusesAbsurdHeaderLength(length: UInt64) throws {
        try expectInvalidHeader(SafetensorsFixture.littleEndian(length) + Array("{}".utf8), reason: "absurd")
    }

    // MARK: - The JSON

    @Test(
        "refuses a header that is not valid JSON",
        arguments: [
            "", "{", "{\"a\":", "{\"x\": {}} extra", "{'x': 1}", "{\"x\": [1,]}", "{\"x\": tru}", "{\"x\": 01}",
        ]
    )
    func refusesInvalidJSON(header: String) throws {
        try expectInvalidHeader(SafetensorsFixture.file(header: header, pad: false), reason: "not valid JSON")
    }

    @Test("refuses a header string that is not UTF-8")
    func refusesInvalidUTF8() throws {
        let header = Array("{\"a".utf8) + [0xFF, 0xFE] + Array("\": {}}".utf8)
        try expectInvalidHeader(SafetensorsFixture.file(headerBytes: header), reason: "UTF-8")
    }

    @Test("refuses nesting deep enough to exhaust the stack")
    func refusesDeepNesting() throws {
        let header = "{\"x\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        try expectInvalidHeader(SafetensorsFixture.file(header: header), reason: "nesting deeper")
    }

    @Test("refuses a header that is not an object", arguments: ["[]", "42", "\"header\"", "null"])
    func refusesNonObject(header: String) throws {
        try expectInvalidHeader(SafetensorsFixture.file(header: header), reason: "expected a JSON object")
    }

    @Test("refuses metadata that is not an object of strings")
    func refusesBadMetadata() throws {
        try expectInvalidHeader(
            SafetensorsFixture.file(header: "{\"__metadata__\": [\"pt\"]}"),
            reason: "must be an object of strings, found an array"
        )
        try expectInvalidHeader(
            SafetensorsFixture.file(header: "{\"__metadata__\": {\"epochs\": 3}}"),
            reason: "entry 'epochs' must be a string, found the integer 3"
        )
        try expectInvalidHeader(
            SafetensorsFixture.file(header: "{\"__metadata__\": {}, \"__metadata__\": {}}"),
            reason: "appears twice"
        )
        try expectInvalidHeader(
            SafetensorsFixture.file(header: "{\"__metadata__\": {\"a\": \"1\", \"a\": \"2\"}}"),
            reason: "entry 'a' appears twice"
        )
    }

    // MARK: - Tensor entries

    @Test("refuses a tensor entry that is not an object")
    func refusesNonObjectEntry() throws {
        try expectInvalidTensor(oneTensor(entry: "[0, 16]"), reason: "found an array of 2")
    }

    @Test("names the missing field of a tensor entry", arguments: ["dtype", "shape", "data_offsets"])
    func refusesMissingField(field: String) throws {
        let fields = [
            "dtype": "\"F32\"", "shape": "[2, 2]", "data_offsets": "[0, 16]",
        ]
        let entry = fields.filter { $0.key != field }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ")
        try expectInvalidTensor(oneTensor(entry: "{\(entry)}"), reason: "missing field '\(field)'")
    }

    @Test(
        "refuses fields of the wrong type",
        arguments: [
            (
                "{\"dtype\": 32, \"shape\": [4], \"data_offsets\": [0, 16]}",
                "field 'dtype' must be a string, found the integer 32"
            ),
            (
                "{\"dtype\": \"F32\", \"shape\": \"4\", \"data_offsets\": [0, 16]}",
                "field 'shape' must be an array of integers"
            ),
            (
                "{\"dtype\": \"F32\", \"shape\": [4.0], \"data_offsets\": [0, 16]}",
                "must hold integers, found the number 4.0"
            ),
            (
                "{\"dtype\": \"F32\", \"shape\": [true], \"data_offsets\": [0, 16]}",
                "must hold integers, found the boolean true"
            ),
            (
                "{\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": {\"begin\": 0}}",
                "field 'data_offsets' must be an array"
            ),
            ("{\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [\"0\", \"16\"]}", "found the string \"0\""),
            ("{\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [16]}", "has 1 numbers, expected 2"),
            ("{\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 8, 16]}", "has 3 numbers, expected 2"),
        ]
    )
    func refusesWrongTypes(entry: String, reason: String) throws {
        try expectInvalidTensor(oneTensor(entry: entry), reason: reason)
    }

    @Test("refuses a dtype it does not know, listing the ones it does")
    func refusesUnknownDType() throws {
        let bytes = oneTensor("w", entry: "{\"dtype\": \"F33\", \"shape\": [4], \"data_offsets\": [0, 16]}")
        guard let (error, path) = try openingError(bytes, in: directory) else { return }
        #expect(error == .unknownDType(path: path, tensor: "w", dtype: "F33"))
        #expect(error.description.contains(path))
        #expect(error.description.contains("'w'"))
        #expect(error.description.contains("F8_E4M3"))
    }

    @Test("refuses negative and overflowing shapes")
    func refusesBadShapes() throws {
        try expectInvalidTensor(
            oneTensor(entry: "{\"dtype\": \"F32\", \"shape\": [4, -1], \"data_offsets\": [0, 16]}"),
            reason: "shape [4, -1] has the negative dimension -1"
        )
        try expectInvalidTensor(
            oneTensor(entry: "{\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296], \"data_offsets\": [0, 16]}"),
            reason: "overflows"
        )
        try expectInvalidTensor(
            oneTensor(entry: "{\"dtype\": \"U8\", \"shape\": [99999999999999999999], \"data_offsets\": [0, 16]}"),
            reason: "found the number 99999999999999999999"
        )
    }

    @Test("refuses data_offsets that end before they begin or are negative")
    func refusesBackwardOffsets() throws {
        try expectInvalidTensor(
            oneTensor(entry: "{\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [12, 8]}"),
            reason: "data_offsets [12, 8] end before they begin"
        )
        try expectInvalidTensor(
            oneTensor(entry: "{\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [-4, 0]}"),
            reason: "negative offset"
        )
    }

    @Test("says how many bytes the offsets hold and how many the dtype and shape need")
    func refusesLengthMismatch() throws {
        let bytes = oneTensor(entry: "{\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 12]}")
        guard let (error, path) = try openingError(bytes, in: directory) else { return }
        #expect(
            error.description
                == "tensor 'x' in \(path): data_offsets [0, 12] hold 12 bytes, expected 16 for F32 [2, 2]"
        )
    }

    @Test("refuses data_offsets past the end of the data section")
    func refusesOffsetsPastEnd() throws {
        try expectInvalidTensor(
            oneTensor(entry: "{\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}", dataBytes: 15),
            reason: "end past the data section, which holds 15 bytes"
        )
    }

    @Test("refuses tensors that share bytes, naming both")
    func refusesOverlap() throws {
        let header = """
            {"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},
             "e": {"dtype": "F32", "shape": [0], "data_offsets": [4, 4]},
             "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}
            """
        let bytes = SafetensorsFixture.file(header: header, data: Array(repeating: 0, count: 12))
        try expectInvalidTensor(bytes, tensor: "b", reason: "data_offsets [4, 12] overlap tensor 'a' at [0, 8]")

        let nested = """
            {"big": {"dtype": "U8", "shape": [12], "data_offsets": [0, 12]},
             "one": {"dtype": "U8", "shape": [2], "data_offsets": [2, 4]},
             "two": {"dtype": "U8", "shape": [2], "data_offsets": [8, 10]}}
            """
        let nestedBytes = SafetensorsFixture.file(header: nested, data: Array(repeating: 0, count: 12))
        try expectInvalidTensor(nestedBytes, tensor: "one", reason: "overlap tensor 'big'")
    }

    @Test("refuses a tensor name written twice")
    func refusesDuplicateNames() throws {
        let header = """
            {"x": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
             "x": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}
            """
        let bytes = SafetensorsFixture.file(header: header, data: Array(repeating: 0, count: 8))
        try expectInvalidTensor(bytes, reason: "appears twice in the header")
    }

    @Test("accepts unused bytes between tensors and space padding after the header")
    func acceptsGapsAndPadding() throws {
        let header = "{\"a\": {\"dtype\": \"I8\", \"shape\": [2], \"data_offsets\": [6, 8]}}      "
        let bytes = SafetensorsFixture.file(header: header, data: [0, 0, 0, 0, 0, 0, 0xFF, 5])
        let file = try SafetensorsFile(url: directory.write(bytes))
        #expect(try file.withRawBytes("a") { Array($0) } == [0xFF, 5])
    }
}
