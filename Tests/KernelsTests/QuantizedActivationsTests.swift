import Kernels
import Testing

@Suite("Activations quantised to 8 bits")
struct QuantizedActivationsTests {
    @Test("each block gets scale max|x|/127 and values within half a step of x")
    func roundTrip() throws {
        var random = SplitMix(seed: 7)
        let (rows, columns) = (3, 96)
        var x = random.floats(rows * columns, -3, 3)
        for index in 32..<64 { x[index] = 0 }  // an all-zero block
        x[70] = 5  // a block whose maximum is positive and exactly representable
        let activations = try QuantizedActivations(columns: columns, capacity: 4)
        activations.quantize(x, rows: rows)
        #expect(activations.rows == rows)
        for row in 0..<rows {
            for block in 0..<3 {
                let values = x[(row * columns + block * 32)..<(row * columns + block * 32 + 32)]
                let maximum = values.map(abs).max()!
                let step = maximum / 127
                for (offset, value) in values.enumerated() {
                    let column = block * 32 + offset
                    let decoded = activations.dequantized(row: row, column: column)
                    #expect(abs(decoded - value) <= step / 2 * 1.0001 + 1e-7, "row \(row) column \(column)")
                    if abs(value) == maximum && maximum > 0 {
                        #expect(abs(decoded) == maximum * (Float(127) / 127) || abs(abs(decoded) - maximum) <= 1e-6)
                    }
                }
            }
        }
        #expect((32..<64).allSatisfy { activations.dequantized(row: 0, column: $0) == 0 })
    }

    @Test("rows may be read with a stride")
    func strided() throws {
        var random = SplitMix(seed: 8)
        let x = random.floats(2 * 80)
        let strided = try QuantizedActivations(columns: 64, capacity: 2)
        strided.quantize(x, rows: 2, ldx: 80)
        let single = try QuantizedActivations(columns: 64)
        x.withUnsafeBufferPointer { single.quantize($0.baseAddress! + 80) }
        for column in 0..<64 {
            #expect(strided.dequantized(row: 1, column: column) == single.dequantized(row: 0, column: column))
        }
    }

    @Test("a width that does not divide into blocks of 32 is refused")
    func badShape() {
        #expect(throws: KernelError.rowLengthNotBlockMultiple(format: .q80, columns: 40, blockSize: 32)) {
            try QuantizedActivations(columns: 40)
        }
        #expect(throws: KernelError.invalidDimension(name: "capacity", value: 0)) {
            try QuantizedActivations(columns: 32, capacity: 0)
        }
    }
}
