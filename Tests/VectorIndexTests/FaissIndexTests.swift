import Foundation
import Testing
import VectorIndex

@Suite("FAISS index")
struct FaissIndexTests {
    static let dimension = 8

    func unitVectors(_ count: Int, seed: UInt64) -> [[Float]] {
        var state = seed
        return (0..<count).map { _ in
            let row: [Float] = (0..<Self.dimension).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return Float(Int64(bitPattern: state >> 11) % 2000) / 1000 - 1
            }
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return row.map { $0 / norm }
        }
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rag-faiss-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("adds, finds each vector first with score 1, and removes from a flat index")
    func flatRoundTrip() throws {
        let index = try FaissIndex(factory: "IDMap2,Flat", dimension: Self.dimension)
        let vectors = unitVectors(50, seed: 1)
        try index.add(vectors, ids: (0..<50).map { Int64($0 * 10) })
        #expect(index.count == 50)
        let best = try index.search(vectors[7], k: 2)
        #expect(best.first?.id == 70)
        #expect(abs((best.first?.score ?? 0) - 1) < 1e-5)
        #expect(try index.remove(ids: [70, 12345]) == 1)
        #expect(try index.search(vectors[7], k: 50).allSatisfy { $0.id != 70 })
        #expect(try index.search(vectors[7], k: 100).count == 49)
    }

    @Test("HNSW cannot remove: a typed error carrying FAISS's message")
    func hnswRefusesRemoval() throws {
        let index = try FaissIndex(factory: "IDMap2,HNSW32", dimension: Self.dimension)
        try index.add(unitVectors(5, seed: 2), ids: [1, 2, 3, 4, 5])
        try index.setParameter("efSearch", 32)
        #expect {
            try index.remove(ids: [1])
        } throws: { error in
            guard case .faiss(_, let message) = error as? VectorIndexError else { return false }
            return message.contains("not implemented")
        }
    }

    @Test("vectors of the wrong length and bad factory strings are errors that say so")
    func badInput() throws {
        let index = try FaissIndex(factory: "IDMap2,Flat", dimension: Self.dimension)
        #expect(throws: VectorIndexError.dimensionMismatch(expected: 8, found: 3)) {
            try index.add([[1, 2, 3]], ids: [1])
        }
        #expect(throws: VectorIndexError.dimensionMismatch(expected: 8, found: 2)) {
            _ = try index.search([1, 0], k: 1)
        }
        #expect(throws: VectorIndexError.self) { _ = try FaissIndex(factory: "Bogus,Flat", dimension: 8) }
        #expect(index.count == 0)
    }

    @Test("write replaces the file atomically, leaves no temporary behind, and reads back")
    func atomicWrite() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("vectors.faiss").path
        let index = try FaissIndex(factory: "IDMap2,Flat", dimension: Self.dimension)
        let vectors = unitVectors(10, seed: 3)
        try index.add(vectors, ids: (0..<10).map { Int64($0) })
        try index.write(to: path)
        try index.add(unitVectors(5, seed: 4), ids: (10..<15).map { Int64($0) })
        try index.write(to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["vectors.faiss"])
        let loaded = try FaissIndex(contentsOf: path)
        #expect(loaded.count == 15)
        #expect(loaded.dimension == Self.dimension)
        #expect(try loaded.search(vectors[3], k: 1).first?.id == 3)
    }

    @Test("an unreadable or corrupt file is an error, not a crash")
    func corruptFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("vectors.faiss").path
        try Data(repeating: 7, count: 100).write(to: URL(fileURLWithPath: path))
        #expect(throws: VectorIndexError.self) { _ = try FaissIndex(contentsOf: path) }
        #expect(throws: VectorIndexError.self) {
            _ = try FaissIndex(contentsOf: directory.appendingPathComponent("missing").path)
        }
        let index = try FaissIndex(factory: "IDMap2,Flat", dimension: Self.dimension)
        #expect(throws: VectorIndexError.self) { try index.write(to: "/nonexistent-dir/vectors.faiss") }
    }

    @Test("searches run while another thread adds, without errors")
    func concurrentReadersAndWriter() async throws {
        let index = try FaissIndex(factory: "IDMap2,Flat", dimension: Self.dimension)
        let vectors = unitVectors(400, seed: 5)
        try index.add(Array(vectors[0..<100]), ids: (0..<100).map { Int64($0) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for start in stride(from: 100, to: 400, by: 50) {
                    try index.add(Array(vectors[start..<(start + 50)]), ids: (start..<(start + 50)).map { Int64($0) })
                }
            }
            for reader in 0..<3 {
                group.addTask {
                    for round in 0..<200 {
                        let matches = try index.search(vectors[(reader * 31 + round) % 100], k: 5)
                        #expect(matches.count == 5)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(index.count == 400)
    }
}
