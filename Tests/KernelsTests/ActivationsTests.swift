import Kernels
import Testing

@Suite("Activations")
struct ActivationsTests {
    @Test("GELU matches the erf definition over the whole range, odd lengths included")
    func geluMatchesReference() {
        for count in [1, 15, 16, 17, 1000] {
            let input = (0..<count).map { Float($0) / Float(max(count - 1, 1)) * 24 - 12 }
            var output = input
            output.withUnsafeMutableBufferPointer { geluInPlace($0.baseAddress!, count: count) }
            for (x, y) in zip(input, output) {
                let expected = geluReference(x)
                #expect(abs(y - expected) <= 2e-7 + 1e-6 * abs(expected), "gelu(\(x)) = \(y), expected \(expected)")
            }
        }
    }

    @Test("GELU of zero is zero and of a large input is the input")
    func geluLimits() {
        var values: [Float] = [0, 20, -20]
        values.withUnsafeMutableBufferPointer { geluInPlace($0.baseAddress!, count: 3) }
        #expect(values == [0, 20, 0])
    }
}
