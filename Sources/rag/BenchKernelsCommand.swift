import ArgumentParser
import Dispatch
import Foundation
import Kernels

/// `rag bench kernels`: the speed of the quantised matrix products the language model runs on.
struct BenchKernelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Matrix–vector GB/s per weight format and batched-product GFLOP/s, on 1 thread and on all cores.",
        discussion: """
            Decoding one token reads every weight once, so a matrix–vector product is measured in
            gigabytes of weights read per second: over --megabytes of one format (more than the L3
            cache, as a whole model is), over one 1536×576 matrix that stays in cache, and as one
            decoding step of SmolLM2-135M's shapes (30 layers of Q4_1 and a Q8_0 output, 98 MB).
            The batched product (the prompt) is measured in GFLOP/s for --batch-sizes vectors.
            Weights are random; each figure is the best and the median of --repeats runs.
            """
    )

    @Option(help: "Megabytes of weights per streaming measurement, 64 or more (the L3 cache is 32 MB).")
    var megabytes = 128

    @Option(help: "Vectors in the batched products, comma separated, each 1 to 4096.")
    var batchSizes = "1,8,32,128,512"

    @Option(help: "Runs per figure, 1 or more.")
    var repeats = 7

    @Flag(help: "Print one JSON object instead of lines for people.")
    var json = false

    func validate() throws {
        if megabytes < 64 { throw ValidationError("--megabytes must be 64 or more, got \(megabytes).") }
        if repeats < 1 { throw ValidationError("--repeats must be 1 or more, got \(repeats).") }
        guard let sizes = parsedBatchSizes, !sizes.isEmpty, sizes.allSatisfy({ (1...4096).contains($0) }) else {
            throw ValidationError(
                "--batch-sizes must be numbers from 1 to 4096 separated by commas, got \(batchSizes).")
        }
    }

    private var parsedBatchSizes: [Int]? {
        let parts = batchSizes.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        return parts.contains(nil) ? nil : parts.compactMap { $0 }
    }

    func run() async throws {
        BLASThreads.set(1)
        let threadCounts = Array(Set([1, Parallel.coreCount])).sorted()
        let pools = threadCounts.map {
            $0 == WorkerPool.shared.threadCount ? WorkerPool.shared : WorkerPool(threads: $0)
        }
        var report = KernelBenchReport(threads: threadCounts, streamingMegabytes: megabytes)
        var random = SplitMix(seed: 42)

        for format in QuantizationFormat.allCases {
            let columns = 576
            let bytesPerRow = try format.bytesPerRow(columns: columns)
            let streaming = try RandomMatrix(
                format, rows: megabytes * 1_048_576 / bytesPerRow, columns: columns, random: &random)
            let cached = try RandomMatrix(format, rows: 1536, columns: columns, random: &random)
            for precision in ActivationPrecision.allCases where precision == .float32 || format.isBlockQuantized {
                for pool in pools {
                    for (matrix, inCache) in [(streaming, false), (cached, true)] {
                        let seconds = matrix.timeMatrixVector(
                            precision: precision, pool: pool, repeats: repeats, calls: inCache ? 200 : 1)
                        report.matrixVector.append(
                            .init(
                                format: format.rawValue, precision: "\(precision)", threads: pool.threadCount,
                                rows: matrix.matrix.rows, columns: columns, cached: inCache,
                                bytes: matrix.matrix.byteCount, seconds: seconds))
                    }
                }
            }
        }

        let model = try DecodeStep(random: &random)
        for precision in ActivationPrecision.allCases {
            for pool in pools {
                let seconds = model.time(precision: precision, pool: pool, repeats: repeats)
                report.decodeStep.append(
                    .init(
                        precision: "\(precision)", threads: pool.threadCount, bytes: model.byteCount, seconds: seconds))
            }
        }

        for (rows, columns) in [(1536, 576), (576, 1536)] {
            let matrix = try RandomMatrix(.q41, rows: rows, columns: columns, random: &random)
            for batch in parsedBatchSizes ?? [] {
                for precision in ActivationPrecision.allCases {
                    for pool in pools {
                        let seconds = matrix.timeBatch(batch, precision: precision, pool: pool, repeats: repeats)
                        report.batched.append(
                            .init(
                                format: "Q4_1", precision: "\(precision)", threads: pool.threadCount, m: batch, n: rows,
                                k: columns, seconds: seconds))
                    }
                }
                let dense = try RandomMatrix(.f32, rows: rows, columns: columns, random: &random)
                let seconds = dense.timeDirectSgemm(batch, repeats: repeats)
                report.batched.append(
                    .init(
                        format: "F32", precision: "sgemm", threads: 1, m: batch, n: rows, k: columns, seconds: seconds))
            }
        }

        if json {
            try JSONOutput.print(report)
        } else {
            report.printForPeople()
        }
    }
}

/// A matrix of random weights in one format, with valid scales (no NaN, no subnormal slow paths).
struct RandomMatrix {
    let matrix: QuantizedMatrix
    private let storage: UnsafeMutableRawBufferPointer
    /// Activation rows for the products: up to 4096 rows of up to 1536 floats, shared by all matrices.
    private static let input: [Float] = {
        var random = SplitMix(seed: 7)
        return (0..<(4096 * 1536)).map { _ in Float(Int(random.next() % 2001) - 1000) / 1000 }
    }()

    init(_ format: QuantizationFormat, rows: Int, columns: Int, random: inout SplitMix) throws {
        let bytesPerRow = try format.bytesPerRow(columns: columns)
        storage = .allocate(byteCount: rows * bytesPerRow, alignment: 64)
        Self.fill(storage, format: format, random: &random)
        matrix = try QuantizedMatrix(
            bytes: UnsafeRawBufferPointer(storage), rows: rows, columns: columns, format: format)
    }

    /// Random bytes, then every scale (or every value, for F32 and F16) replaced by a valid one.
    static func fill(_ bytes: UnsafeMutableRawBufferPointer, format: QuantizationFormat, random: inout SplitMix) {
        for offset in stride(from: 0, to: bytes.count - 7, by: 8) {
            bytes.storeBytes(of: random.next(), toByteOffset: offset, as: UInt64.self)
        }
        func value() -> Float { Float(Int(random.next() % 2001) - 1000) / 20_000 }
        switch format {
        case .f32:
            for offset in stride(from: 0, to: bytes.count, by: 4) {
                bytes.storeBytes(of: value(), toByteOffset: offset, as: Float.self)
            }
        case .f16:
            for offset in stride(from: 0, to: bytes.count, by: 2) {
                bytes.storeBytes(of: floatToHalf(value()), toByteOffset: offset, as: UInt16.self)
            }
        case .q40, .q41, .q80:
            for offset in stride(from: 0, to: bytes.count, by: format.bytesPerBlock) {
                bytes.storeBytes(of: floatToHalf(value() / 4), toByteOffset: offset, as: UInt16.self)
                if format == .q41 {
                    bytes.storeBytes(of: floatToHalf(value()), toByteOffset: offset + 2, as: UInt16.self)
                }
            }
        }
    }

    /// Seconds per matrix–vector product: `calls` products back to back per run.
    func timeMatrixVector(precision: ActivationPrecision, pool: WorkerPool, repeats: Int, calls: Int) -> [Double] {
        let y = UnsafeMutablePointer<Float>.allocate(capacity: matrix.rows)
        defer { y.deallocate() }
        return Self.input.withUnsafeBufferPointer { input in
            let x = input.baseAddress!
            let activations = try? QuantizedActivations(columns: matrix.columns)
            func once() {
                if precision == .int8, let activations, matrix.format.isBlockQuantized {
                    activations.quantize(x)
                    matrix.multiply(activations, into: y, pool: pool)
                } else {
                    matrix.multiply(x, into: y, precision: precision, pool: pool)
                }
            }
            once()
            return (0..<repeats).map { _ in
                measure { for _ in 0..<calls { once() } } / Double(calls)
            }
        }
    }

    /// Seconds per batched product of `batch` vectors.
    func timeBatch(_ batch: Int, precision: ActivationPrecision, pool: WorkerPool, repeats: Int) -> [Double] {
        let y = UnsafeMutablePointer<Float>.allocate(capacity: batch * matrix.rows)
        defer { y.deallocate() }
        return Self.input.withUnsafeBufferPointer { input in
            let x = input.baseAddress!
            let activations = try! QuantizedActivations(columns: matrix.columns, capacity: batch)
            func once() {
                if precision == .int8 {
                    activations.quantize(x, rows: batch)
                    matrix.multiply(batch: activations, into: y, pool: pool)
                } else {
                    matrix.multiply(batch: x, count: batch, into: y, pool: pool)
                }
            }
            once()
            let calls = max(1, 64 / batch)
            return (0..<repeats).map { _ in measure { for _ in 0..<calls { once() } } / Double(calls) }
        }
    }

    /// Seconds per single-threaded `sgemm` on the float32 matrix itself: the ceiling for the
    /// dequantise-then-sgemm path.
    func timeDirectSgemm(_ batch: Int, repeats: Int) -> [Double] {
        let y = UnsafeMutablePointer<Float>.allocate(capacity: batch * matrix.rows)
        defer { y.deallocate() }
        let weights = matrix.base.assumingMemoryBound(to: Float.self)
        return Self.input.withUnsafeBufferPointer { input in
            let run = {
                matmulTransposed(
                    input.baseAddress!, rows: batch, inner: matrix.columns, weights: weights, outputs: matrix.rows,
                    into: y)
            }
            run()
            let calls = max(1, 64 / batch)
            return (0..<repeats).map { _ in measure { for _ in 0..<calls { run() } } / Double(calls) }
        }
    }
}

/// The matrix–vector products of one decoded token of SmolLM2-135M (30 layers of Q4_1 attention
/// and MLP, then the 49152×576 Q8_0 output), over distinct memory like a mapped model file.
struct DecodeStep {
    private var layers: [[RandomMatrix]] = []
    private let output: RandomMatrix

    init(random: inout SplitMix) throws {
        let shapes = [(576, 576), (192, 576), (192, 576), (576, 576), (1536, 576), (1536, 576), (576, 1536)]
        for _ in 0..<30 {
            layers.append(try shapes.map { try RandomMatrix(.q41, rows: $0.0, columns: $0.1, random: &random) })
        }
        output = try RandomMatrix(.q80, rows: 49_152, columns: 576, random: &random)
    }

    var byteCount: Int { layers.joined().reduce(output.matrix.byteCount) { $0 + $1.matrix.byteCount } }

    /// Seconds per token. As a runtime would, q, k and v go as one job on one input (quantised
    /// once with `.int8`), and so do gate and up.
    func time(precision: ActivationPrecision, pool: WorkerPool, repeats: Int) -> [Double] {
        let x = UnsafeMutablePointer<Float>.allocate(capacity: 1536)
        let y = UnsafeMutablePointer<Float>.allocate(capacity: 49_152)
        defer {
            x.deallocate()
            y.deallocate()
        }
        for index in 0..<1536 { x[index] = Float(index % 17) / 17 - 0.5 }
        let narrow = try! QuantizedActivations(columns: 576)
        let wide = try! QuantizedActivations(columns: 1536)
        // One layer: q, k and v share their input, so do gate and up (one parallel job each).
        func token() {
            for layer in layers {
                let matrices = layer.map(\.matrix)
                let groups = [[0, 1, 2], [3], [4, 5], [6]]
                for group in groups {
                    let outputs = group.indices.map { y + 2048 * $0 }
                    let members = group.map { matrices[$0] }
                    if precision == .float32 {
                        QuantizedMatrix.multiply(members, x, into: outputs, pool: pool)
                    } else {
                        let activations = members[0].columns == 576 ? narrow : wide
                        activations.quantize(x)
                        QuantizedMatrix.multiply(members, activations, into: outputs, pool: pool)
                    }
                }
            }
            if precision == .float32 {
                output.matrix.multiply(x, into: y, pool: pool)
            } else {
                narrow.quantize(x)
                output.matrix.multiply(narrow, into: y, pool: pool)
            }
        }
        token()
        return (0..<repeats).map { _ in measure(token) }
    }
}

private func measure(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// What `rag bench kernels --json` prints. Rates are best (fastest run) and median.
struct KernelBenchReport: Encodable {
    var threads: [Int]
    var streamingMegabytes: Int
    var matrixVector: [MatrixVector] = []
    var decodeStep: [Decode] = []
    var batched: [Batched] = []

    struct MatrixVector: Encodable {
        var format: String
        var precision: String
        var threads: Int
        var rows: Int
        var columns: Int
        var cached: Bool
        var microsecondsMedian: Double
        var gigabytesPerSecondBest: Double
        var gigabytesPerSecondMedian: Double

        init(
            format: String, precision: String, threads: Int, rows: Int, columns: Int, cached: Bool, bytes: Int,
            seconds: [Double]
        ) {
            let sorted = seconds.sorted()
            self.format = format
            self.precision = precision
            self.threads = threads
            self.rows = rows
            self.columns = columns
            self.cached = cached
            microsecondsMedian = sorted[sorted.count / 2] * 1e6
            gigabytesPerSecondBest = Double(bytes) / sorted[0] / 1e9
            gigabytesPerSecondMedian = Double(bytes) / sorted[sorted.count / 2] / 1e9
        }
    }

    struct Decode: Encodable {
        var precision: String
        var threads: Int
        var megabytes: Double
        var millisecondsBest: Double
        var millisecondsMedian: Double
        var gigabytesPerSecondBest: Double

        init(precision: String, threads: Int, bytes: Int, seconds: [Double]) {
            let sorted = seconds.sorted()
            self.precision = precision
            self.threads = threads
            megabytes = Double(bytes) / 1e6
            millisecondsBest = sorted[0] * 1e3
            millisecondsMedian = sorted[sorted.count / 2] * 1e3
            gigabytesPerSecondBest = Double(bytes) / sorted[0] / 1e9
        }
    }

    struct Batched: Encodable {
        var format: String
        var precision: String
        var threads: Int
        var m: Int
        var n: Int
        var k: Int
        var gflopsBest: Double
        var gflopsMedian: Double

        init(format: String, precision: String, threads: Int, m: Int, n: Int, k: Int, seconds: [Double]) {
            let sorted = seconds.sorted()
            let flops = 2 * Double(m) * Double(n) * Double(k)
            self.format = format
            self.precision = precision
            self.threads = threads
            self.m = m
            self.n = n
            self.k = k
            gflopsBest = flops / sorted[0] / 1e9
            gflopsMedian = flops / sorted[sorted.count / 2] / 1e9
        }
    }

    func printForPeople() {
        print("matrix–vector, GB/s of weights read (best / median):")
        for entry in matrixVector {
            let place = entry.cached ? "in cache " : "streaming"
            print(
                String(
                    format: "  %-4@ %-7@ %d thread(s) %@ %6d×%d  %6.1f / %6.1f GB/s  (%.0f µs)", entry.format,
                    entry.precision, entry.threads, place, entry.rows, entry.columns, entry.gigabytesPerSecondBest,
                    entry.gigabytesPerSecondMedian, entry.microsecondsMedian))
        }
        print("one decoding step of SmolLM2-135M (matrix–vector products only):")
        for entry in decodeStep {
            print(
                String(
                    format: "  %-7@ %d thread(s)  %.2f / %.2f ms per token, %.1f GB/s", entry.precision, entry.threads,
                    entry.millisecondsBest, entry.millisecondsMedian, entry.gigabytesPerSecondBest))
        }
        print("batched product Y[M×N] = X[M×K]·Wᵀ, GFLOP/s (best / median):")
        for entry in batched {
            print(
                String(
                    format: "  %-4@ %-7@ %d thread(s) M=%4d N=%4d K=%4d  %6.1f / %6.1f", entry.format, entry.precision,
                    entry.threads, entry.m, entry.n, entry.k, entry.gflopsBest, entry.gflopsMedian))
        }
    }
}
