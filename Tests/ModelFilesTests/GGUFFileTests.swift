import Foundation
import Testing

@testable import ModelFiles

@Suite("GGUFFile")
struct GGUFFileTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    func sampleFile() throws -> GGUFFile {
        try GGUFFile(url: directory.write(GGUFFixture.valid, name: "sample.gguf"))
    }

    @Test("reads back every metadata type, nested arrays included, in file order")
    func readsEveryValueType() throws {
        let file = try sampleFile()
        #expect(file.version == 3)
        #expect(file.metadataKeys == GGUFFixture.sampleMetadata.map(\.0))
        for (key, value) in GGUFFixture.sampleMetadata {
            #expect(file.metadata[key] == value, "\(key)")
        }
    }

    @Test("typed accessors widen integers and floats, and name the key when it is missing or mistyped")
    func typedAccessors() throws {
        let file = try sampleFile()
        #expect(try file.string("general.architecture") == "llama")
        #expect(try file.int("llama.block_count") == 30)
        #expect(try file.int("i8") == -5)
        #expect(try file.int("u64") == 1 << 40)
        #expect(try file.float("f32") == Double(Float(1e-5)))
        #expect(try file.float("f64") == 100_000.5)
        #expect(try file.bool("flag"))
        #expect(try file.stringArray("tokens") == ["<s>", "", "Ġthe"])
        #expect(try file.intArray("types") == [1, 3, -1])
        #expect(try file.floatArray("scores") == [0.5, -1])
        #expect(try file.intArray("empty") == [])
        #expect(try file.int("missing", default: 7) == 7)
        #expect(try file.bool("flag", default: false))

        let path = file.path
        #expect(throws: ModelFileError.metadataNotFound(path: path, key: "missing")) { try file.string("missing") }
        #expect(
            throws: ModelFileError.metadataTypeMismatch(
                path: path, key: "llama.block_count", expected: "string", found: "uint32")
        ) { try file.string("llama.block_count") }
        #expect(
            throws: ModelFileError.metadataTypeMismatch(
                path: path, key: "tokens", expected: "an array of integers", found: "array of string (3)")
        ) { try file.intArray("tokens") }
        #expect(
            throws: ModelFileError.metadataTypeMismatch(path: path, key: "flag", expected: "an integer", found: "bool")
        ) { try file.int("flag") }
        // A present key of the wrong type is an error even with a default.
        #expect(throws: ModelFileError.self) { try file.int("general.architecture", default: 0) }
        let error = #expect(throws: ModelFileError.self) { try file.float("u8") }
        #expect(error?.description == "metadata 'u8' in \(path): expected a float, found uint8")
    }

    @Test("gives tensors with ggml dimensions, types, absolute offsets and their exact bytes")
    func readsTensors() throws {
        let file = try sampleFile()
        #expect(file.tensorNames == ["a.weight", "exotic", "q.weight"])
        #expect(file.alignment == 32)
        let contents = try [UInt8](Data(contentsOf: file.url))
        #expect(file.dataOffset == contents.count - GGUFFixture.sampleData.count)

        let a = try file.info("a.weight")
        #expect(a.type == .f32 && a.dimensions == [2, 3] && a.elementCount == 6 && a.rowLength == 2)
        #expect(a.offset == file.dataOffset && a.byteCount == 24)
        let floats = try file.withRawBytes("a.weight") { raw in
            (0..<6).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self)) }
        }
        #expect(floats == [1, 2, 3, 4, 5, 6])

        let q = try file.info("q.weight")
        #expect(q.type == .q8Zero && q.byteCount == 68 && q.offset == file.dataOffset + 64)
        #expect(Array(try file.rawBytes("q.weight")) == Array(contents[q.byteRange!]))
        #expect(q.byteRange!.upperBound == contents.count)
    }

    @Test("keeps a tensor of unknown type, and refuses only its bytes, naming the type id")
    func unknownTensorType() throws {
        let file = try sampleFile()
        let exotic = try file.info("exotic")
        #expect(exotic.type == .unsupported(99) && exotic.byteCount == nil && exotic.byteRange == nil)
        #expect(exotic.type.name == "type 99")
        let error = #expect(throws: ModelFileError.self) { try file.rawBytes("exotic") }
        #expect(error == .unsupportedTensorType(path: file.path, tensor: "exotic", typeID: 99))
        #expect(error?.description.contains("Q4_1") == true)
    }

    @Test("suggests the closest tensor name when one is misspelt")
    func suggestsNames() throws {
        let file = try sampleFile()
        #expect(
            throws: ModelFileError.tensorNotFound(path: file.path, tensor: "a.weigth", closeMatch: "a.weight")
        ) { try file.info("a.weigth") }
    }

    @Test("opens version 2 files, which share version 3's layout")
    func opensVersion2() throws {
        let bytes = GGUFFixture.file(
            version: 2, entries: [GGUFFixture.entry("k", .uint32(1))], tensors: [], data: [])
        let file = try GGUFFile(url: directory.write(bytes, name: "v2.gguf"))
        #expect(file.version == 2 && file.tensors.isEmpty)
        #expect(try file.int("k") == 1)
    }

    @Test("honours general.alignment for the data section and the tensor offsets")
    func honoursAlignment() throws {
        let bytes = GGUFFixture.file(
            entries: [GGUFFixture.entry("general.alignment", .uint32(64))],
            tensors: [
                GGUFFixtureTensor(name: "x", dimensions: [4], typeID: 0, offset: 0),
                GGUFFixtureTensor(name: "y", dimensions: [2], typeID: 1, offset: 64),
            ],
            data: [UInt8](repeating: 1, count: 64) + [1, 0, 2, 0], alignment: 64)
        let file = try GGUFFile(url: directory.write(bytes, name: "aligned.gguf"))
        #expect(file.alignment == 64 && file.dataOffset % 64 == 0)
        #expect(try file.info("y").offset == file.dataOffset + 64)
    }

    @Test("a missing file and a file that is not GGUF are errors naming the path")
    func refusesNonGGUF() throws {
        let missing = directory.url.appendingPathComponent("nothing.gguf")
        #expect(throws: ModelFileError.fileNotFound(path: missing.path)) { try GGUFFile(url: missing) }
        let text = try directory.write(Array("{\"not\": \"gguf\"}".utf8), name: "text.gguf")
        let error = #expect(throws: ModelFileError.self) { try GGUFFile(url: text) }
        #expect(error?.description.contains(text.path) == true)
        #expect(error?.description.contains("not a GGUF file") == true)
    }
}
