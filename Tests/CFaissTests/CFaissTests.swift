import CFaiss
import Foundation
import Testing

/// The C API over FAISS, exercised directly with the real library.
@Suite("FAISS through its C shim")
struct CFaissTests {
    static let dimension = 16

    /// Deterministic unit vectors.
    func unitVectors(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed
        var values: [Float] = []
        for _ in 0..<count {
            var row: [Float] = (0..<Self.dimension).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Float(Int64(bitPattern: state >> 11) % 2000) / 1000 - 1
            }
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            row = row.map { $0 / norm }
            values += row
        }
        return values
    }

    final class Index {
        let pointer: OpaquePointer
        init(_ factory: String) throws {
            var index: OpaquePointer?
            var error = [CChar](repeating: 0, count: 512)
            let status = rag_faiss_create(factory, Int32(CFaissTests.dimension), &index, &error, error.count)
            guard status == 0, let index else { throw ShimError(message: CFaissTests.message(error)) }
            pointer = index
        }
        deinit { rag_faiss_free(pointer) }
    }

    struct ShimError: Error { let message: String }

    /// The NUL-terminated message the shim wrote into `buffer`.
    static func message(_ buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    func message(_ buffer: [CChar]) -> String { Self.message(buffer) }

    func search(_ index: OpaquePointer, _ query: [Float], k: Int) -> (scores: [Float], ids: [Int64]) {
        var scores = [Float](repeating: 0, count: k)
        var ids = [Int64](repeating: 0, count: k)
        var error = [CChar](repeating: 0, count: 512)
        let status = rag_faiss_search(index, 1, query, Int64(k), &scores, &ids, &error, error.count)
        #expect(status == 0, "\(message(error))")
        return (scores, ids)
    }

    @Test(
        "a flat index finds each vector as its own best match, by inner product",
        arguments: ["IDMap2,Flat", "IDMap2,HNSW32"])
    func findsItself(factory: String) throws {
        let index = try Index(factory)
        let vectors = unitVectors(200, seed: 1)
        let ids = (0..<200).map { Int64(1000 + $0) }
        var error = [CChar](repeating: 0, count: 512)
        #expect(rag_faiss_add(index.pointer, 200, vectors, ids, &error, error.count) == 0)
        #expect(rag_faiss_count(index.pointer) == 200)
        #expect(rag_faiss_dimension(index.pointer) == Int32(Self.dimension))
        for row in [0, 57, 199] {
            let query = Array(vectors[(row * Self.dimension)..<((row + 1) * Self.dimension)])
            let result = search(index.pointer, query, k: 3)
            #expect(result.ids[0] == 1000 + Int64(row))
            #expect(abs(result.scores[0] - 1) < 1e-4)
            #expect(result.scores[0] >= result.scores[1])
        }
    }

    @Test("a flat index removes ids; HNSW refuses with FAISS's message instead of crashing")
    func removal() throws {
        let vectors = unitVectors(10, seed: 2)
        let ids = (0..<10).map { Int64($0) }
        var error = [CChar](repeating: 0, count: 512)
        var removed: Int64 = 0

        let flat = try Index("IDMap2,Flat")
        #expect(rag_faiss_add(flat.pointer, 10, vectors, ids, &error, error.count) == 0)
        #expect(rag_faiss_remove(flat.pointer, 3, [2, 3, 99], &removed, &error, error.count) == 0)
        #expect(removed == 2)
        #expect(rag_faiss_count(flat.pointer) == 8)
        let result = search(flat.pointer, Array(vectors[(2 * Self.dimension)..<(3 * Self.dimension)]), k: 10)
        #expect(!result.ids.contains(2) && !result.ids.contains(3))
        #expect(result.ids.suffix(2) == [-1, -1])

        let hnsw = try Index("IDMap2,HNSW32")
        #expect(rag_faiss_add(hnsw.pointer, 10, vectors, ids, &error, error.count) == 0)
        let status = rag_faiss_remove(hnsw.pointer, 1, [2], &removed, &error, error.count)
        #expect(status == 1)
        #expect(message(error).contains("not implemented"))
    }

    @Test("a bad factory string is an error with FAISS's message")
    func badFactory() {
        #expect(throws: ShimError.self) { _ = try Index("NoSuchIndex,Flat") }
        do {
            _ = try Index("NoSuchIndex,Flat")
        } catch let error as ShimError {
            #expect(!error.message.isEmpty)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("an index written to a file reads back with the same vectors and ids, and garbage is an error")
    func writeAndRead() throws {
        let index = try Index("IDMap2,Flat")
        let vectors = unitVectors(20, seed: 3)
        var error = [CChar](repeating: 0, count: 512)
        #expect(rag_faiss_add(index.pointer, 20, vectors, (0..<20).map { Int64($0 * 7) }, &error, error.count) == 0)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cfaiss-\(UUID().uuidString).faiss")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(rag_faiss_write(index.pointer, path, &error, error.count) == 0)

        var loaded: OpaquePointer?
        #expect(rag_faiss_read(path, &loaded, &error, error.count) == 0)
        let reloaded = try #require(loaded)
        defer { rag_faiss_free(reloaded) }
        #expect(rag_faiss_count(reloaded) == 20)
        #expect(search(reloaded, Array(vectors[(5 * Self.dimension)..<(6 * Self.dimension)]), k: 1).ids == [35])

        try Data("not a faiss index".utf8).write(to: URL(fileURLWithPath: path))
        var garbage: OpaquePointer?
        #expect(rag_faiss_read(path, &garbage, &error, error.count) != 0)
        #expect(garbage == nil)
        #expect(!message(error).isEmpty)
        #expect(rag_faiss_read("/nonexistent/dir/x.faiss", &garbage, &error, error.count) != 0)
    }

    @Test("HNSW takes efSearch through the IDMap wrapper; an unknown parameter is an error")
    func parameters() throws {
        let index = try Index("IDMap2,HNSW32")
        var error = [CChar](repeating: 0, count: 512)
        #expect(rag_faiss_set_parameter(index.pointer, "efSearch", 64, &error, error.count) == 0)
        #expect(rag_faiss_set_parameter(index.pointer, "noSuchParameter", 1, &error, error.count) != 0)
    }

    @Test("invalid arguments are refused before FAISS sees them")
    func invalidArguments() {
        var index: OpaquePointer?
        var error = [CChar](repeating: 0, count: 64)
        #expect(rag_faiss_create("Flat", 0, &index, &error, error.count) == 3)
        #expect(index == nil)
        #expect(rag_faiss_count(nil) == 0)
        rag_faiss_free(nil)
    }
}
