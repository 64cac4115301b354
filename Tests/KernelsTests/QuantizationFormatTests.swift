import Kernels
import Testing

@Suite("Quantisation formats")
struct QuantizationFormatTests {
    @Test("block layouts have ggml's packed sizes")
    func blockSizes() {
        #expect(MemoryLayout<BlockQ4_0>.size == 18 && BlockQ4_0.byteCount == 18)
        #expect(MemoryLayout<BlockQ4_1>.size == 20 && BlockQ4_1.byteCount == 20)
        #expect(MemoryLayout<BlockQ8_0>.size == 34 && BlockQ8_0.byteCount == 34)
        #expect(MemoryLayout<BlockQ4_0>.offset(of: \.nibbles) == BlockQ4_0.nibblesOffset)
        #expect(MemoryLayout<BlockQ4_1>.offset(of: \.nibbles) == BlockQ4_1.nibblesOffset)
        #expect(MemoryLayout<BlockQ8_0>.offset(of: \.values) == BlockQ8_0.valuesOffset)
    }

    @Test("every format reports its block size and bytes per block")
    func formatConstants() {
        let expected: [QuantizationFormat: (Int, Int)] = [
            .f32: (1, 4), .f16: (1, 2), .q40: (32, 18), .q41: (32, 20), .q80: (32, 34),
        ]
        for format in QuantizationFormat.allCases {
            #expect(format.blockSize == expected[format]?.0, "\(format)")
            #expect(format.bytesPerBlock == expected[format]?.1, "\(format)")
            #expect(format.isBlockQuantized == (format.blockSize == 32))
        }
    }

    @Test("bytes per row of SmolLM2's widths")
    func bytesPerRow() throws {
        #expect(try QuantizationFormat.q41.bytesPerRow(columns: 576) == 18 * 20)
        #expect(try QuantizationFormat.q41.bytesPerRow(columns: 1536) == 48 * 20)
        #expect(try QuantizationFormat.q80.bytesPerRow(columns: 576) == 18 * 34)
        #expect(try QuantizationFormat.q40.bytesPerRow(columns: 64) == 2 * 18)
        #expect(try QuantizationFormat.f16.bytesPerRow(columns: 37) == 74)
        #expect(try QuantizationFormat.f32.bytesPerRow(columns: 37) == 148)
    }

    @Test("a row length that is not a multiple of the block size is refused with a typed error")
    func rowLengthNotBlockMultiple() {
        for format in [QuantizationFormat.q40, .q41, .q80] {
            #expect(throws: KernelError.rowLengthNotBlockMultiple(format: format, columns: 33, blockSize: 32)) {
                try format.bytesPerRow(columns: 33)
            }
        }
        let message = KernelError.rowLengthNotBlockMultiple(format: .q41, columns: 33, blockSize: 32).description
        #expect(message.contains("Q4_1") && message.contains("33") && message.contains("multiple of 32"))
    }

    @Test("an empty row is refused")
    func emptyRow() {
        for format in QuantizationFormat.allCases {
            #expect(throws: KernelError.invalidDimension(name: "columns", value: 0)) {
                try format.bytesPerRow(columns: 0)
            }
        }
    }
}
