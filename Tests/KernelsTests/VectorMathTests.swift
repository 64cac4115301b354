import Foundation
import Kernels
import Testing

@Suite("Vectorised elementary functions")
struct VectorMathTests {
    @Test("vectorExp matches exp to a few ulp from -87 to 88")
    func expMatchesReference() {
        var worst: Double = 0
        var x: Float = -87
        while x < 88 {
            var lanes = Float16x(repeating: 0)
            for lane in 0..<16 { lanes[lane] = x + Float(lane) * 0.0137 }
            let result = vectorExp(lanes)
            for lane in 0..<16 {
                let expected = exp(Double(lanes[lane]))
                worst = max(worst, abs(Double(result[lane]) - expected) / expected)
            }
            x += 0.25
        }
        #expect(worst < 5e-7, "worst relative error \(worst)")
    }

    @Test("vectorExp saturates to 0 and infinity outside the float range")
    func expSaturates() {
        let result = vectorExp(Float16x(repeating: -1000).replacing(with: 1000, where: .init(repeating: false)))
        #expect(result == Float16x(repeating: 0))
        #expect(vectorExp(Float16x(repeating: 100)) == Float16x(repeating: .infinity))
        #expect(vectorExp(Float16x(repeating: -.infinity)) == Float16x(repeating: 0))
    }

    @Test("vectorErfcNonNegative matches erfc with small relative error, tail included")
    func erfcMatchesReference() {
        var worst: Double = 0
        var x: Float = 0
        while x < 9 {
            let result = vectorErfcNonNegative(Float16x(repeating: x))
            let expected = erfc(Double(x))
            worst = max(worst, abs(Double(result[0]) - expected) / expected)
            x += 0.01
        }
        #expect(worst < 5e-7, "worst relative error \(worst)")
    }
}
