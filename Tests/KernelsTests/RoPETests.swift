import Foundation
import Kernels
import Testing

@Suite("Rotary position embedding")
struct RoPETests {
    /// Pair i at `position` turns by pos·base^(−2i/d), straight from the definition in double.
    private func rotated(
        _ head: [Float], dimensions: Int, base: Double, position: Int, layout: RoPELayout
    ) -> [Double] {
        var out = head.map(Double.init)
        for pair in 0..<(dimensions / 2) {
            let angle = Double(position) * pow(base, -2 * Double(pair) / Double(dimensions))
            let (first, second) = layout == .normal ? (2 * pair, 2 * pair + 1) : (pair, pair + dimensions / 2)
            out[first] = Double(head[first]) * cos(angle) - Double(head[second]) * sin(angle)
            out[second] = Double(head[first]) * sin(angle) + Double(head[second]) * cos(angle)
        }
        return out
    }

    @Test(
        "both layouts match the direct formula, partial rotation included",
        arguments: [(RoPELayout.normal, 64), (.neox, 64), (.normal, 32), (.neox, 32)])
    func matchesFormula(layout: RoPELayout, dimensions: Int) throws {
        let (heads, headSize) = (3, 64)
        let table = try RoPETable(dimensions: dimensions, base: 100_000, positions: 0..<4096)
        var random = SplitMix(seed: UInt64(dimensions))
        for position in [0, 1, 17, 4095] {
            let x = random.floats(heads * headSize, -2, 2)
            var y = x
            y.withUnsafeMutableBufferPointer {
                table.apply(to: $0.baseAddress!, heads: heads, headSize: headSize, position: position, layout: layout)
            }
            for head in 0..<heads {
                let slice = Array(x[(head * headSize)..<((head + 1) * headSize)])
                let expected = rotated(slice, dimensions: dimensions, base: 100_000, position: position, layout: layout)
                for index in 0..<headSize {
                    // Float angles drift by about position·2⁻²⁴ radians from the double ones.
                    let tolerance = 1e-5 + Double(position) * 2e-7
                    #expect(
                        abs(Double(y[head * headSize + index]) - expected[index]) <= tolerance,
                        "\(layout) d=\(dimensions) position \(position) head \(head) index \(index)")
                }
            }
        }
    }

    @Test("position 0 is the identity, and a table may start at a later position")
    func offsets() throws {
        let x: [Float] = (0..<8).map { Float($0) + 1 }
        var y = x
        let table = try RoPETable(dimensions: 8, base: 10_000, positions: 0..<8)
        y.withUnsafeMutableBufferPointer {
            table.apply(to: $0.baseAddress!, heads: 1, headSize: 8, position: 0, layout: .normal)
        }
        #expect(y == x)
        let late = try RoPETable(dimensions: 8, base: 10_000, positions: 100..<200)
        var a = x
        var b = x
        a.withUnsafeMutableBufferPointer {
            late.apply(to: $0.baseAddress!, heads: 1, headSize: 8, position: 150, layout: .neox)
        }
        let full = try RoPETable(dimensions: 8, base: 10_000, positions: 0..<200)
        b.withUnsafeMutableBufferPointer {
            full.apply(to: $0.baseAddress!, heads: 1, headSize: 8, position: 150, layout: .neox)
        }
        #expect(a == b)
    }

    /// GGUF llama files store q and k rows permuted (row h·64 + 2i + j is Hugging Face's row
    /// h·64 + 32j + i); "normal" RoPE on permuted values is "neox" RoPE on the original ones.
    @Test("normal RoPE on GGUF-permuted heads equals neox RoPE on the original heads")
    func permutationEquivalence() throws {
        let (heads, headSize) = (3, 64)
        var random = SplitMix(seed: 3)
        let original = random.floats(heads * headSize)
        func permuted(_ values: [Float]) -> [Float] {
            var out = values
            for head in 0..<heads {
                for i in 0..<(headSize / 2) {
                    for j in 0..<2 { out[head * headSize + 2 * i + j] = values[head * headSize + j * headSize / 2 + i] }
                }
            }
            return out
        }
        let table = try RoPETable(dimensions: headSize, base: 100_000, positions: 0..<64)
        var neox = original
        neox.withUnsafeMutableBufferPointer {
            table.apply(to: $0.baseAddress!, heads: heads, headSize: headSize, position: 37, layout: .neox)
        }
        var normal = permuted(original)
        normal.withUnsafeMutableBufferPointer {
            table.apply(to: $0.baseAddress!, heads: heads, headSize: headSize, position: 37, layout: .normal)
        }
        #expect(normal == permuted(neox))
    }

    @Test("consecutive tokens get consecutive positions")
    func tokens() throws {
        let table = try RoPETable(dimensions: 4, base: 10_000, positions: 0..<16)
        var random = SplitMix(seed: 4)
        let x = random.floats(3 * 10)
        var batch = x
        batch.withUnsafeMutableBufferPointer {
            table.apply(
                to: $0.baseAddress!, tokens: 3, stride: 10, heads: 2, headSize: 4, firstPosition: 5, layout: .normal)
        }
        for token in 0..<3 {
            var single = Array(x[(token * 10)..<(token * 10 + 10)])
            single.withUnsafeMutableBufferPointer {
                table.apply(to: $0.baseAddress!, heads: 2, headSize: 4, position: 5 + token, layout: .normal)
            }
            #expect(Array(batch[(token * 10)..<(token * 10 + 10)]) == single)
        }
    }

    @Test("a table covering a few positions rotates them exactly as the table of the whole range")
    func covering() throws {
        let full = try RoPETable(dimensions: 64, base: 100_000, positions: 0..<600)
        let chunk = full.covering(300..<428)
        #expect(chunk.positions == 300..<428 && chunk.dimensions == 64 && chunk.base == 100_000)
        var random = SplitMix(seed: 6)
        let x = random.floats(3 * 64)
        for position in [300, 301, 427] {
            for layout in RoPELayout.allCases {
                var a = x
                var b = x
                a.withUnsafeMutableBufferPointer {
                    full.apply(to: $0.baseAddress!, heads: 3, headSize: 64, position: position, layout: layout)
                }
                b.withUnsafeMutableBufferPointer {
                    chunk.apply(to: $0.baseAddress!, heads: 3, headSize: 64, position: position, layout: layout)
                }
                #expect(a == b, "position \(position), \(layout)")
            }
        }
    }

    /// A model file's context length is not backed by its bytes: a forged 2^40 once asked for 16 TB.
    @Test("a range of 2^40 positions tabulates a bounded prefix and computes the rest to the same values")
    func hugeRange() throws {
        let dimensions = 4096
        let huge = try RoPETable(dimensions: dimensions, base: 10_000, positions: 0..<(1 << 40))
        #expect(huge.tabulatedCount == RoPETable.maximumTabulatedPairs / (dimensions / 2))
        var random = SplitMix(seed: 5)
        let x = random.floats(dimensions)
        for position in [huge.tabulatedCount - 1, huge.tabulatedCount, huge.tabulatedCount + 452] {
            // A table starting at the position holds it in its tabulated prefix.
            let late = try RoPETable(dimensions: dimensions, base: 10_000, positions: position..<(position + 1))
            for layout in RoPELayout.allCases {
                var computed = x
                var tabulated = x
                computed.withUnsafeMutableBufferPointer {
                    huge.apply(to: $0.baseAddress!, heads: 1, headSize: dimensions, position: position, layout: layout)
                }
                tabulated.withUnsafeMutableBufferPointer {
                    late.apply(to: $0.baseAddress!, heads: 1, headSize: dimensions, position: position, layout: layout)
                }
                #expect(computed == tabulated, "position \(position), \(layout)")
            }
        }
        var last = x
        last.withUnsafeMutableBufferPointer {
            huge.apply(to: $0.baseAddress!, heads: 1, headSize: dimensions, position: (1 << 40) - 1, layout: .normal)
        }
        #expect(last.allSatisfy { $0.isFinite })
    }

    @Test("bad tables are refused with typed errors")
    func validation() {
        #expect(throws: KernelError.self) { try RoPETable(dimensions: 7, base: 10_000, positions: 0..<8) }
        #expect(throws: KernelError.self) { try RoPETable(dimensions: 8, base: 1, positions: 0..<8) }
        #expect(throws: KernelError.self) { try RoPETable(dimensions: 8, base: .nan, positions: 0..<8) }
        #expect(throws: KernelError.self) { try RoPETable(dimensions: 8, base: 10_000, positions: 0..<0) }
    }
}
