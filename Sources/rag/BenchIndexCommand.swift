import ArgumentParser
import Dispatch
import Foundation
import VectorIndex

/// `rag bench index`: FAISS add and search speed, and HNSW's recall against exact search.
struct BenchIndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Add throughput, search latency (k=10) and HNSW/IVF recall@10 on random unit vectors.",
        discussion: """
            Builds a Flat (exact), an HNSW32 and an IVF index (the layouts `--index` offers) over the same --n
            vectors and times --queries searches. IVF's add time includes training its cells.
            """)

    @Option(help: "Vectors to index, 1,000 or more.")
    var n = 100_000

    @Option(help: "Vector length.")
    var dimension = 384

    @Option(help: "Searches to time.")
    var queries = 1000

    @Option(help: "HNSW efSearch.")
    var efSearch = 64

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        if n < 1000 { throw ValidationError("--n must be at least 1000, got \(n).") }
        if !(2...4096).contains(dimension) { throw ValidationError("--dimension must be between 2 and 4096.") }
        if queries < 10 { throw ValidationError("--queries must be at least 10.") }
    }

    struct Report: Encodable {
        var n: Int
        var dimension: Int
        var queries: Int
        var flatAddVectorsPerSecond: Double
        var hnswAddVectorsPerSecond: Double
        var flatSearchP50Milliseconds: Double
        var flatSearchP99Milliseconds: Double
        var hnswSearchP50Milliseconds: Double
        var hnswSearchP99Milliseconds: Double
        var hnswEfSearch: Int
        var hnswRecallAt10: Double
        var ivfAddVectorsPerSecond: Double
        var ivfSearchP50Milliseconds: Double
        var ivfSearchP99Milliseconds: Double
        var ivfCells: Int
        var ivfProbes: Int
        var ivfRecallAt10: Double
    }

    func run() async throws {
        var random = SplitMix(seed: 7)
        let vectors = (0..<n).map { _ in random.unitVector(dimension) }
        let ids = (0..<n).map { Int64($0) }
        let queryVectors = (0..<queries).map { _ in random.unitVector(dimension) }

        let flat = try FaissIndex(factory: "IDMap2,Flat", dimension: dimension)
        let flatAdd = try Self.seconds { try flat.add(vectors, ids: ids) }
        let hnsw = try FaissIndex(factory: "IDMap2,HNSW32", dimension: dimension)
        let hnswAdd = try Self.seconds { try hnsw.add(vectors, ids: ids) }
        try hnsw.setParameter("efSearch", Double(efSearch))
        let cells = IndexPolicy.cellCount(forCount: n)
        let probes = IndexPolicy.probeCount(cells: cells)
        let ivf = try FaissIndex(factory: IndexPolicy.factory(.ivf, count: n), dimension: dimension)
        let ivfAdd = try Self.seconds {
            try ivf.train(vectors)
            try ivf.add(vectors, ids: ids)
        }
        try ivf.setParameter("nprobe", Double(probes))

        var flatTimes: [Double] = []
        var hnswTimes: [Double] = []
        var ivfTimes: [Double] = []
        var found = 0
        var ivfFound = 0
        for probe in queryVectors {
            var exact: [FaissIndex.Match] = []
            flatTimes.append(try Self.seconds { exact = try flat.search(probe, k: 10) } * 1000)
            var approximate: [FaissIndex.Match] = []
            hnswTimes.append(try Self.seconds { approximate = try hnsw.search(probe, k: 10) } * 1000)
            found += Set(exact.map(\.id)).intersection(approximate.map(\.id)).count
            var cellHits: [FaissIndex.Match] = []
            ivfTimes.append(try Self.seconds { cellHits = try ivf.search(probe, k: 10) } * 1000)
            ivfFound += Set(exact.map(\.id)).intersection(cellHits.map(\.id)).count
        }
        flatTimes.sort()
        hnswTimes.sort()
        ivfTimes.sort()
        let report = Report(
            n: n, dimension: dimension, queries: queries, flatAddVectorsPerSecond: Double(n) / flatAdd,
            hnswAddVectorsPerSecond: Double(n) / hnswAdd, flatSearchP50Milliseconds: Self.percentile(flatTimes, 0.5),
            flatSearchP99Milliseconds: Self.percentile(flatTimes, 0.99),
            hnswSearchP50Milliseconds: Self.percentile(hnswTimes, 0.5),
            hnswSearchP99Milliseconds: Self.percentile(hnswTimes, 0.99), hnswEfSearch: efSearch,
            hnswRecallAt10: Double(found) / Double(queries * 10), ivfAddVectorsPerSecond: Double(n) / ivfAdd,
            ivfSearchP50Milliseconds: Self.percentile(ivfTimes, 0.5),
            ivfSearchP99Milliseconds: Self.percentile(ivfTimes, 0.99), ivfCells: cells, ivfProbes: probes,
            ivfRecallAt10: Double(ivfFound) / Double(queries * 10))
        if json { return try JSONOutput.print(report) }
        print("\(n) vectors of \(dimension), \(queries) queries, k=10")
        print(
            String(
                format: "Flat:  add %.0f vectors/s, search p50 %.3f ms, p99 %.3f ms", report.flatAddVectorsPerSecond,
                report.flatSearchP50Milliseconds, report.flatSearchP99Milliseconds))
        print(
            String(
                format: "HNSW:  add %.0f vectors/s, search p50 %.3f ms, p99 %.3f ms, recall@10 %.3f (efSearch %d)",
                report.hnswAddVectorsPerSecond, report.hnswSearchP50Milliseconds, report.hnswSearchP99Milliseconds,
                report.hnswRecallAt10, efSearch))
        print(
            String(
                format: "IVF:   add %.0f vectors/s (training included), search p50 %.3f ms, p99 %.3f ms, "
                    + "recall@10 %.3f (%d of %d cells probed)", report.ivfAddVectorsPerSecond,
                report.ivfSearchP50Milliseconds, report.ivfSearchP99Milliseconds, report.ivfRecallAt10, probes, cells))
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}

/// A small deterministic generator for benchmark data (SplitMix64): the same numbers on every
/// platform, so that `rag` and a peer library can be given identical inputs.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A random direction: Gaussian components (Box-Muller), normalised.
    mutating func unitVector(_ dimension: Int) -> [Float] {
        var values = [Float](repeating: 0, count: dimension)
        var norm: Float = 0
        for index in 0..<dimension {
            let u1 = max(Double(next() >> 11) / Double(1 << 53), 1e-300)
            let u2 = Double(next() >> 11) / Double(1 << 53)
            let value = Float((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
            values[index] = value
            norm += value * value
        }
        let scale = 1 / max(norm.squareRoot(), 1e-12)
        return values.map { $0 * scale }
    }
}
