import Foundation
import Kernels
import Testing

@Suite("Vectorised elementary functions")
struct VectorMathTests {
    @Test("vectorExp matches exp to a few ulp from -87 to 88")
    func expMatchesReference() {
        var worst: Double = 0
        var x: Float = -87
        while x < 87.75 {
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

    /// Below 3 the fit's own error dominates; in the far tail, rounding x² to float limits the
    /// relative accuracy (erfc(9) ≈ 4e-37, where it no longer matters to GELU).
    @Test("vectorErfcNonNegative matches erfc with small relative error, tail included")
    func erfcMatchesReference() {
        var worstCore: Double = 0
        var worstTail: Double = 0
        var x: Float = 0
        while x < 9 {
            var lanes = Float16x(repeating: 0)
            for lane in 0..<16 { lanes[lane] = x + Float(lane) * 0.000_6 }
            let result = vectorErfcNonNegative(lanes)
            for lane in 0..<16 {
                let expected = erfc(Double(lanes[lane]))
                let error = abs(Double(result[lane]) - expected) / expected
                if lanes[lane] < 3 { worstCore = max(worstCore, error) } else { worstTail = max(worstTail, error) }
            }
            x += 0.01
        }
        #expect(worstCore < 1e-6, "worst relative error below 3: \(worstCore)")
        #expect(worstTail < 2e-5, "worst relative error from 3 to 9: \(worstTail)")
    }
}
