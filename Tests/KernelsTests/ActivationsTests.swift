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

    @Test("approximate GELU stays within 1e-6 of the erf definition, infinities included")
    func approximateGeluMatchesReference() {
        for count in [1, 15, 17, 4001] {
            let input = (0..<count).map { Float($0) / Float(max(count - 1, 1)) * 30 - 15 }
            var output = input
            output.withUnsafeMutableBufferPointer { geluApproximateInPlace($0.baseAddress!, count: count) }
            for (x, y) in zip(input, output) {
                #expect(abs(y - geluReference(x)) <= 1e-6, "gelu(\(x)) = \(y), expected \(geluReference(x))")
            }
        }
        var limits: [Float] = [0, 1e30, -1e30, .infinity]
        limits.withUnsafeMutableBufferPointer { geluApproximateInPlace($0.baseAddress!, count: 4) }
        #expect(limits[0] == 0 && limits[1] == 1e30 && limits[2] == 0 && limits[3] == .infinity)
    }

    @Test("GELU of zero is zero and of a large input is the input")
    func geluLimits() {
        var values: [Float] = [0, 20, -20]
        values.withUnsafeMutableBufferPointer { geluInPlace($0.baseAddress!, count: 3) }
        #expect(values == [0, 20, 0])
    }
}
