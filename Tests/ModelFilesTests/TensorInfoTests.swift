import Testing

@testable import ModelFiles

@Suite("TensorInfo")
struct TensorInfoTests {
    @Test("counts elements as the product of the shape, one for a scalar")
    func countsElements() {
        #expect(TensorInfo(name: "m", dtype: .f32, shape: [3, 4], byteRange: 0..<48).elementCount == 12)
        #expect(TensorInfo(name: "s", dtype: .f32, shape: [], byteRange: 0..<4).elementCount == 1)
        #expect(TensorInfo(name: "e", dtype: .f32, shape: [5, 0], byteRange: 0..<0).elementCount == 0)
    }
}
