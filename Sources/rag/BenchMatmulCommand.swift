import ArgumentParser
import Dispatch
import Foundation
import Kernels

/// `rag bench matmul`: the encoder's matrix products on one thread, float32 panels against int8.
struct BenchMatmulCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matmul",
        abstract: "GOPS of the float32 and int8 linear-layer products on the shapes of a 384-wide BERT encoder.",
        discussion: """
            Times y = x·Wᵀ + b on one thread for the four linear layers of all-MiniLM-L6-v2 (q/k/v together
            384→1152, attention output 384→384, feed-forward 384→1536 and 1536→384), for a batch of --rows
            tokens and for a single 20-token query: PackedWeights (float32), Int8PackedWeights with 7-bit and
            with 8-bit activations (quantising the activations included). Random weights; inputs normally
            distributed with two features twenty times larger, as a BERT hidden state has; one multiply-add
            counts as two operations.
            """)

    @Option(help: "Tokens in the batch case.")
    var rows = 512

    @Option(help: "Seconds to spend on each measurement.")
    var seconds = 0.3

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        if rows < 1 { throw ValidationError("--rows must be 1 or more, got \(rows).") }
        if !(seconds > 0) { throw ValidationError("--seconds must be positive, got \(seconds).") }
    }

    struct Measurement: Encodable {
        var rows: Int
        var inputs: Int
        var outputs: Int
        var float32Gops: Double
        var int8Unsigned7Gops: Double
        var int8Signed8Gops: Double
        var quantizeMicroseconds: Double
    }

    func run() async throws {
        var generator = SystemRandomNumberGenerator()
        var results: [Measurement] = []
        for (k, n) in [(384, 1152), (384, 384), (384, 1536), (1536, 384)] {
            let w = (0..<(n * k)).map { _ in Float.random(in: -0.1...0.1, using: &generator) }
            let bias = (0..<n).map { _ in Float.random(in: -0.1...0.1, using: &generator) }
            let float32 = w.withUnsafeBufferPointer { PackedWeights(rowMajor: $0.baseAddress!, outputs: n, inputs: k) }
            let unsigned7 = w.withUnsafeBufferPointer {
                Int8PackedWeights(rowMajor: $0.baseAddress!, outputs: n, inputs: k, encoding: .unsigned7)
            }
            let signed8 = w.withUnsafeBufferPointer {
                Int8PackedWeights(rowMajor: $0.baseAddress!, outputs: n, inputs: k, encoding: .signed8)
            }
            for m in [rows, 20] {
                var x = (0..<(m * k)).map { _ in normal(&generator) }
                for row in 0..<m {
                    x[row * k + 7] *= 20
                    x[row * k + 99] *= 20
                }
                var out = [Float](repeating: 0, count: m * n)
                let operations = 2 * Double(m) * Double(n) * Double(k)
                let activations = Int8Activations(inputs: k)
                let floatTime = time {
                    out.withUnsafeMutableBufferPointer {
                        float32.multiply(x, rows: m, bias: bias, into: $0.baseAddress!)
                    }
                }
                func int8Time(_ weights: Int8PackedWeights) -> Double {
                    time {
                        activations.quantize(x, rows: m, for: weights)
                        out.withUnsafeMutableBufferPointer {
                            weights.multiply(activations, bias: bias, into: $0.baseAddress!)
                        }
                    }
                }
                let quantizeTime = time { activations.quantize(x, rows: m, for: unsigned7) }
                results.append(
                    Measurement(
                        rows: m, inputs: k, outputs: n, float32Gops: operations / floatTime / 1e9,
                        int8Unsigned7Gops: operations / int8Time(unsigned7) / 1e9,
                        int8Signed8Gops: operations / int8Time(signed8) / 1e9, quantizeMicroseconds: quantizeTime * 1e6)
                )
            }
        }
        if json {
            try JSONOutput.print(results)
        } else {
            print("rows  K→N         float32   int8 7-bit  int8 8-bit  (GOPS, one thread)  quantise")
            for r in results {
                print(
                    String(
                        format: "%4d  %4d→%-5d  %7.1f   %9.1f  %10.1f  %27.1f µs", r.rows, r.inputs, r.outputs,
                        r.float32Gops, r.int8Unsigned7Gops, r.int8Signed8Gops, r.quantizeMicroseconds))
            }
        }
    }

    /// A standard normal sample (Box-Muller).
    private func normal(_ generator: inout SystemRandomNumberGenerator) -> Float {
        let u = Float.random(in: Float.ulpOfOne..<1, using: &generator)
        let v = Float.random(in: 0..<1, using: &generator)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// The best time of one call, over repeated calls for about `seconds`.
    private func time(_ body: () -> Void) -> Double {
        body()
        var best = Double.infinity
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        while DispatchTime.now().uptimeNanoseconds < deadline {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return best
    }
}
