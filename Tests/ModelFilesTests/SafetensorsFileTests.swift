import Foundation
import Testing

@testable import ModelFiles

@Suite("SafetensorsFile")
struct SafetensorsFileTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// A small file with one tensor of each float dtype, an integer tensor and metadata.
    func sampleFile() throws -> SafetensorsFile {
        let bytes = SafetensorsFixture.file(
            [
                FixtureTensor(
                    name: "w32", dtype: "F32", shape: [2, 3],
                    data: SafetensorsFixture.f32([1, -2, 3.5, 0, 1e-8, -1e30])),
                FixtureTensor(
                    name: "w16", dtype: "F16", shape: [4], data: SafetensorsFixture.f16([1, -0.5, 65504, 0.099975586])),
                FixtureTensor(
                    name: "wbf", dtype: "BF16", shape: [1, 3], data: SafetensorsFixture.bf16([1, -3.140625, 1e20])),
                FixtureTensor(name: "ids", dtype: "I64", shape: [1, 2], data: SafetensorsFixture.i64([7, -1])),
            ],
            metadata: ["format": "pt", "note": "quote \" and backslash \\ and ü"]
        )
        return try SafetensorsFile(url: directory.write(bytes))
    }

    @Test("reads F32 values, shapes and metadata back exactly")
    func roundTripsF32() throws {
        let file = try sampleFile()
        #expect(file.metadata == ["format": "pt", "note": "quote \" and backslash \\ and ü"])
        #expect(Set(file.tensors.keys) == ["w32", "w16", "wbf", "ids"])
        let info = try file.info("w32")
        #expect(info.dtype == .f32)
        #expect(info.shape == [2, 3])
        #expect(info.elementCount == 6)
        #expect(try file.floats("w32") == [1, -2, 3.5, 0, 1e-8, -1e30])
        #expect(try file.floats("w32", shape: [2, 3]) == [1, -2, 3.5, 0, 1e-8, -1e30])
    }

    @Test("widens F16 and BF16 values to Float exactly")
    func widensHalfPrecision() throws {
        let file = try sampleFile()
        #expect(try file.floats("w16", shape: [4]) == [1, -0.5, 65504, 0.099975586])
        #expect(
            try file.floats("wbf", shape: [1, 3]) == [
                1, -3.140625, Float(bitPattern: (1e20 as Float).bitPattern & 0xFFFF_0000),
            ])
    }

    @Test("gives byte ranges that are absolute offsets in the file")
    func byteRangesAreAbsolute() throws {
        let file = try sampleFile()
        let contents = try [UInt8](Data(contentsOf: file.url))
        for info in file.tensors.values {
            let direct = Array(contents[info.byteRange])
            let mapped = try file.withRawBytes(info.name) { Array($0) }
            #expect(direct == mapped, "tensor \(info.name)")
            #expect(mapped.count == info.elementCount * info.dtype.byteSize)
        }
        #expect(try file.withRawBytes("ids") { $0.loadUnaligned(fromByteOffset: 8, as: Int64.self) } == -1)
    }

    @Test("reads tensors whose offsets are not aligned to their element size")
    func readsUnalignedTensors() throws {
        let bytes = SafetensorsFixture.file([
            FixtureTensor(name: "pad", dtype: "U8", shape: [3], data: [1, 2, 3]),
            FixtureTensor(name: "w32", dtype: "F32", shape: [2], data: SafetensorsFixture.f32([0.25, -8])),
            FixtureTensor(name: "w16", dtype: "F16", shape: [1], data: SafetensorsFixture.f16([2])),
        ])
        let file = try SafetensorsFile(url: directory.write(bytes))
        #expect(try file.info("w32").byteRange.lowerBound % 4 != 0)
        #expect(try file.floats("w32") == [0.25, -8])
        #expect(try file.floats("w16") == [2])
    }

    @Test("accepts zero-size tensors and scalars")
    func acceptsEmptyTensorsAndScalars() throws {
        let bytes = SafetensorsFixture.file([
            FixtureTensor(name: "empty", dtype: "F32", shape: [0], data: []),
            FixtureTensor(name: "empty2d", dtype: "BF16", shape: [3, 0], data: []),
            FixtureTensor(name: "scalar", dtype: "F32", shape: [], data: SafetensorsFixture.f32([42])),
            FixtureTensor(name: "empty-again", dtype: "F16", shape: [0, 5], data: []),
        ])
        let file = try SafetensorsFile(url: directory.write(bytes))
        #expect(try file.floats("empty", shape: [0]) == [])
        #expect(try file.floats("empty2d") == [])
        #expect(try file.info("empty2d").elementCount == 0)
        #expect(try file.floats("scalar", shape: []) == [42])
        #expect(try file.withRawBytes("empty") { $0.count } == 0)
    }

    @Test("opens a header with no tensors and no metadata")
    func opensEmptyHeader() throws {
        let file = try SafetensorsFile(url: directory.write(SafetensorsFixture.file(header: "{}")))
        #expect(file.tensors.isEmpty)
        #expect(file.metadata.isEmpty)
    }

    @Test("names the file and suggests a close match for an unknown tensor")
    func suggestsCloseMatch() throws {
        let file = try sampleFile()
        let error = #expect(throws: ModelFileError.self) { try file.info("w3") }
        #expect(error == .tensorNotFound(path: file.url.path, tensor: "w3", closeMatch: "w32"))
        #expect(error?.description.contains(file.url.path) == true)
        #expect(error?.description.contains("did you mean 'w32'?") == true)

        let prefixed = #expect(throws: ModelFileError.self) { try file.floats("bert.ids") }
        #expect(prefixed == .tensorNotFound(path: file.url.path, tensor: "bert.ids", closeMatch: "ids"))

        let unrelated = #expect(throws: ModelFileError.self) {
            try file.withRawBytes("encoder.layer.0.weight") { $0.count }
        }
        #expect(unrelated == .tensorNotFound(path: file.url.path, tensor: "encoder.layer.0.weight"))
    }

    @Test("refuses to read integer tensors as floats, naming the tensor and dtype")
    func refusesIntegerAsFloats() throws {
        let file = try sampleFile()
        let error = #expect(throws: ModelFileError.self) { try file.floats("ids") }
        #expect(error == .unsupportedDType(path: file.url.path, tensor: "ids", dtype: .i64))
        #expect(error?.description.contains("'ids'") == true)
        #expect(error?.description.contains("I64") == true)
    }

    @Test("reports the expected and found shape when they differ")
    func reportsShapeMismatch() throws {
        let file = try sampleFile()
        let error = #expect(throws: ModelFileError.self) { try file.floats("w32", shape: [3, 2]) }
        #expect(error == .shapeMismatch(path: file.url.path, tensor: "w32", expected: [3, 2], found: [2, 3]))
        #expect(error?.description == "tensor 'w32' in \(file.url.path): shape [2, 3], expected [3, 2]")
    }

    @Test("lets raw bytes and floats be read from many threads at once")
    func readsConcurrently() async throws {
        let file = try sampleFile()
        try await withThrowingTaskGroup(of: [Float].self) { group in
            for _ in 0..<16 { group.addTask { try file.floats("w32") } }
            for try await values in group { #expect(values == [1, -2, 3.5, 0, 1e-8, -1e30]) }
        }
    }

    @Test("reads the default embedder's model: 104 tensors and metadata, F32 embeddings, I64 position ids")
    func readsRealModel() throws {
        let url = modelsDirectory().appendingPathComponent("all-MiniLM-L6-v2/model.safetensors")
        try #require(
            FileManager.default.fileExists(atPath: url.path),
            "\(url.path) is missing: run `make models` to fetch the default models"
        )
        let file = try SafetensorsFile(url: url)
        // The header has 105 entries: 104 tensors and `__metadata__`.
        #expect(file.tensors.count == 104)
        #expect(file.metadata["format"] == "pt")

        let embeddings = try file.info("embeddings.word_embeddings.weight")
        #expect(embeddings.dtype == .f32)
        #expect(embeddings.shape == [30522, 384])
        let positions = try file.info("embeddings.position_ids")
        #expect(positions.dtype == .i64)

        let gamma = try file.floats("embeddings.LayerNorm.weight", shape: [384])
        #expect(gamma.count == 384)
        #expect(gamma.allSatisfy { $0.isFinite })

        var total = 0
        for info in file.tensors.values where info.dtype == .f32 {
            total += try file.floats(info.name).count
        }
        #expect(total > 22_000_000)
    }
}

/// The package root: this file is `Tests/ModelFilesTests/<name>.swift` under it.
func repositoryRoot(_ file: String = #filePath) -> URL {
    URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
