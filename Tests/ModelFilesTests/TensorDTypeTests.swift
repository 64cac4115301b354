import Testing

@testable import ModelFiles

@Suite("TensorDType")
struct TensorDTypeTests {
    @Test("knows the fifteen safetensors dtypes by their header spelling")
    func knowsEveryDType() {
        #expect(
            TensorDType.allCases.map(\.rawValue) == [
                "BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64",
                "F8_E4M3", "F8_E5M2",
            ]
        )
        #expect(TensorDType(rawValue: "f32") == nil)
    }

    @Test("gives each dtype's element size in bytes")
    func givesByteSizes() {
        let sizes = Dictionary(uniqueKeysWithValues: TensorDType.allCases.map { ($0, $0.byteSize) })
        #expect(sizes[.bool] == 1 && sizes[.u8] == 1 && sizes[.i8] == 1 && sizes[.f8e4m3] == 1 && sizes[.f8e5m2] == 1)
        #expect(sizes[.i16] == 2 && sizes[.u16] == 2 && sizes[.f16] == 2 && sizes[.bf16] == 2)
        #expect(sizes[.i32] == 4 && sizes[.u32] == 4 && sizes[.f32] == 4)
        #expect(sizes[.f64] == 8 && sizes[.i64] == 8 && sizes[.u64] == 8)
    }
}
