import Kernels
import Testing

@Suite("SiLU and SwiGLU")
struct SwiGLUTests {
    @Test("SiLU matches x·σ(x) over the whole range, odd lengths included", arguments: [1, 15, 16, 17, 1000])
    func siluMatchesReference(count: Int) {
        let input = (0..<count).map { Float($0) / Float(max(count - 1, 1)) * 200 - 100 }
        var output = input
        output.withUnsafeMutableBufferPointer { siluInPlace($0.baseAddress!, count: count) }
        for (x, y) in zip(input, output) {
            let expected = siluReference(x)
            #expect(abs(y - expected) <= 1e-7 + 2e-6 * abs(expected), "silu(\(x)) = \(y), expected \(expected)")
        }
    }

    @Test("SiLU of zero is zero, of a large input the input, of a very negative input zero")
    func siluLimits() {
        var values: [Float] = [0, 100, -100, -1000]
        values.withUnsafeMutableBufferPointer { siluInPlace($0.baseAddress!, count: 4) }
        #expect(values[0] == 0 && values[1] == 100 && abs(values[2]) < 1e-30 && values[3] == 0)
    }

    @Test("SwiGLU multiplies silu(gate) by up", arguments: [5, 16, 1536])
    func swiGLU(count: Int) {
        var random = SplitMix(seed: UInt64(count))
        let gate = random.floats(count, -8, 8)
        let up = random.floats(count, -3, 3)
        var out = gate
        out.withUnsafeMutableBufferPointer { swiGLUInPlace(gate: $0.baseAddress!, up: up, count: count) }
        for index in 0..<count {
            let expected = siluReference(gate[index]) * up[index]
            #expect(abs(out[index] - expected) <= 1e-6 + 4e-6 * abs(expected), "index \(index)")
        }
    }
}
