import Foundation
import Testing
import VectorIndex

#if canImport(Glibc)
    import Glibc
#endif

/// kill -9 during `rag ingest`, then reopen: nothing committed is lost, SQLite and FAISS agree,
/// and a re-run completes the ingest.
@Suite("Crash recovery")
struct CrashRecoveryTests {
    /// A corpus of many small files (copies of the sample manuals), so that an ingest runs for a
    /// few seconds and commits many times.
    static func makeCorpus(in folder: URL) throws {
        let source = CommandRunner.repositoryRoot.appendingPathComponent("corpora/aurora-x2")
        let manuals = ["troubleshooting.md", "maintenance.md", "warranty-and-returns.md"]
        for copy in 0..<4 {
            for manual in manuals {
                let text = try String(contentsOf: source.appendingPathComponent(manual), encoding: .utf8)
                let target = folder.appendingPathComponent("copy\(copy)-\(manual)")
                try Data("# Copy \(copy)\n\n\(text)".utf8).write(to: target)
            }
        }
    }

    @Test("ten ingests killed at random moments lose nothing, and a re-run completes")
    func killedIngests() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rag-crash-\(UUID().uuidString)")
        let corpus = root.appendingPathComponent("corpus")
        let data = root.appendingPathComponent("data")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try Self.makeCorpus(in: corpus)
        var generator = SystemRandomNumberGenerator()
        for trial in 0..<10 {
            let process = Process()
            process.executableURL = CommandRunner.executable
            process.arguments = ["ingest", corpus.path, "--data", data.path, "--json"]
            process.currentDirectoryURL = CommandRunner.repositoryRoot
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 300_000...2_500_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try checkConsistency(data, trial: trial)
        }
        let rerun = try CommandRunner.run(["ingest", corpus.path, "--data", data.path, "--json"])
        #expect(rerun.status == 0, "stderr: \(rerun.standardError)")
        try checkConsistency(data, trial: 10)
        let final = try CommandRunner.run(["ingest", corpus.path, "--data", data.path, "--json"])
        let summary = try JSONSerialization.jsonObject(with: Data(final.standardOutput.utf8)) as? [String: Any]
        #expect(summary?["unchanged"] as? Int == 12, "\(final.standardOutput)")
        #expect(summary?["embedded"] as? Int == 0)
    }

    /// Opening the collection brings FAISS up to date: it must then hold exactly SQLite's chunks,
    /// each found by its own vector.
    func checkConsistency(_ data: URL, trial: Int) throws {
        let directory = data.appendingPathComponent("collections/default")
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("meta.sqlite").path) else {
            return  // killed before the collection was created
        }
        let collection = try DocumentCollection(directory: directory, embedder: "all-MiniLM-L6-v2", dimension: 384)
        let stored = try collection.database.chunkCount()
        #expect(collection.indexedCount == stored, "trial \(trial): FAISS \(collection.indexedCount), SQLite \(stored)")
        let vectors = try collection.database.vectors(addedAfter: -1)
        // The corpus holds near-copies, so a chunk's own vector may tie with a copy's: it must be
        // among the best hits, with score 1.
        for (id, vector) in zip(vectors.ids, vectors.vectors).prefix(20) {
            let hits = try collection.denseSearch(vector, k: 10)
            let own = hits.first { $0.chunk.id == id }
            #expect(
                own != nil && abs((own?.score ?? 0) - 1) < 1e-4, "trial \(trial): chunk \(id) not found by its vector")
        }
    }
}
