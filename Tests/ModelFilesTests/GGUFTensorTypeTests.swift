import Testing

@testable import ModelFiles

@Suite("GGUFTensorType")
struct GGUFTensorTypeTests {
    @Test("knows ggml's block layouts: elements per block and bytes per block")
    func knowsBlockLayouts() {
        let expected: [(GGUFTensorType, UInt32, String, Int, Int)] = [
            (.f32, 0, "F32", 1, 4), (.f16, 1, "F16", 1, 2), (.bf16, 30, "BF16", 1, 2),
            (.q4Zero, 2, "Q4_0", 32, 18), (.q4One, 3, "Q4_1", 32, 20), (.q5Zero, 6, "Q5_0", 32, 22),
            (.q5One, 7, "Q5_1", 32, 24), (.q8Zero, 8, "Q8_0", 32, 34), (.q8One, 9, "Q8_1", 32, 36),
            (.q2K, 10, "Q2_K", 256, 84), (.q3K, 11, "Q3_K", 256, 110), (.q4K, 12, "Q4_K", 256, 144),
            (.q5K, 13, "Q5_K", 256, 176), (.q6K, 14, "Q6_K", 256, 210), (.q8K, 15, "Q8_K", 256, 292),
        ]
        for (type, id, name, block, bytes) in expected {
            #expect(GGUFTensorType(id: id) == type, "\(name)")
            #expect(type.id == id && type.name == name && type.blockSize == block && type.bytesPerBlock == bytes)
        }
    }

    @Test("keeps unknown and removed ids as unsupported, with no size")
    func keepsUnknownIDs() {
        for id: UInt32 in [4, 5, 31, 36, 40, 1000, .max] {
            let type = GGUFTensorType(id: id)
            #expect(type == .unsupported(id) && type.id == id)
            #expect(type.blockSize == nil && type.bytesPerBlock == nil && type.name == "type \(id)")
        }
    }

    @Test("maps every known type to a distinct id and back")
    func roundTripsIDs() {
        let ids = GGUFTensorType.known.map(\.id)
        #expect(Set(ids).count == ids.count)
        for type in GGUFTensorType.known { #expect(GGUFTensorType(id: type.id) == type) }
    }
}
