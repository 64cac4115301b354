import Kernels

/// SplitMix64: a small seeded generator, so that every run of a test sees the same data.
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [low, high).
    mutating func float(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * Float(next() >> 40) / Float(1 << 24)
    }

    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }

    mutating func floats(_ count: Int, _ low: Float = -1, _ high: Float = 1) -> [Float] {
        (0..<count).map { _ in float(low, high) }
    }

    /// `rows` rows of `columns` random values stored in `format`: random scales (either sign,
    /// half precision), offsets and integers, every byte pattern allowed (Q8_0's −128 included).
    mutating func matrixBytes(_ format: QuantizationFormat, rows: Int, columns: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        func appendHalf(_ value: Float) {
            let bits = floatToHalf(value)
            bytes.append(UInt8(truncatingIfNeeded: bits))
            bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
        }
        for _ in 0..<rows {
            switch format {
            case .f32:
                for _ in 0..<columns {
                    let bits = float(-2, 2).bitPattern
                    for shift in stride(from: 0, to: 32, by: 8) {
                        bytes.append(UInt8(truncatingIfNeeded: bits >> shift))
                    }
                }
            case .f16:
                for _ in 0..<columns { appendHalf(float(-2, 2)) }
            case .q40, .q80:
                for _ in 0..<(columns / 32) {
                    appendHalf(float(-0.05, 0.05))
                    for _ in 0..<(format == .q40 ? 16 : 32) { bytes.append(byte()) }
                }
            case .q41:
                for _ in 0..<(columns / 32) {
                    appendHalf(float(-0.05, 0.05))
                    appendHalf(float(-0.4, 0.4))
                    for _ in 0..<16 { bytes.append(byte()) }
                }
            }
        }
        return bytes
    }
}

/// Value `column` of a row stored in `format`, decoded straight from ggml's layout description,
/// one value at a time and in double precision: the plain scalar reference.
func referenceValue(_ row: [UInt8], format: QuantizationFormat, column: Int) -> Double {
    func half(_ offset: Int) -> Double {
        Double(Float16(bitPattern: UInt16(row[offset]) | UInt16(row[offset + 1]) << 8))
    }
    let block = column / 32
    let k = column % 32
    switch format {
    case .f32:
        let offset = column * 4
        var bits: UInt32 = 0
        for byte in 0..<4 { bits |= UInt32(row[offset + byte]) << (8 * byte) }
        return Double(Float(bitPattern: bits))
    case .f16:
        return half(column * 2)
    case .q40:
        let base = block * 18
        let byte = row[base + 2 + k % 16]
        let q = k < 16 ? byte & 15 : byte >> 4
        return half(base) * (Double(q) - 8)
    case .q41:
        let base = block * 20
        let byte = row[base + 4 + k % 16]
        let q = k < 16 ? byte & 15 : byte >> 4
        return half(base) * Double(q) + half(base + 2)
    case .q80:
        let base = block * 34
        return half(base) * Double(Int8(bitPattern: row[base + 2 + k]))
    }
}
