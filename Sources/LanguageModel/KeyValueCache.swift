import Kernels

/// The keys and values of every position seen so far, per layer: what lets each new token attend
/// to the whole context without recomputing it.
///
/// Sized for the positions a generation can reach (prompt plus new tokens), not the model's full
/// context: SmolLM2's 8,192 positions would take 377 MB in float32, a 1,000-token answer takes 46 MB.
/// Rows are float32 (`.f32`, the reference) or half precision (`.f16`, as llama.cpp keeps them):
/// half the memory, and half the bytes a decoding step reads, for a rounding of 2⁻¹¹ relative.
///
/// Layout of each buffer: (layer, position, rowWidth), rowWidth = key/value heads × head size.
public final class KeyValueCache: @unchecked Sendable {
    let layerCount: Int
    /// Values per position and layer (key/value heads × head size).
    let rowWidth: Int
    /// Positions the buffers hold.
    public let capacity: Int
    /// `.f32` or `.f16`.
    public let format: QuantizationFormat
    /// Positions filled.
    public internal(set) var count = 0
    private let keyStorage: UnsafeMutableRawPointer
    private let valueStorage: UnsafeMutableRawPointer

    init(layerCount: Int, rowWidth: Int, capacity: Int, format: QuantizationFormat = .f32) {
        precondition(format == .f32 || format == .f16, "a key/value cache holds F32 or F16, not \(format)")
        self.layerCount = layerCount
        self.rowWidth = rowWidth
        self.capacity = capacity
        self.format = format
        let bytes = layerCount * capacity * rowWidth * format.bytesPerBlock
        keyStorage = .allocate(byteCount: bytes, alignment: 64)
        valueStorage = .allocate(byteCount: bytes, alignment: 64)
        for storage in [keyStorage, valueStorage] {
            if format == .f32 {
                storage.bindMemory(to: Float.self, capacity: bytes / 4)
            } else {
                storage.bindMemory(to: UInt16.self, capacity: bytes / 2)
            }
        }
    }

    deinit {
        keyStorage.deallocate()
        valueStorage.deallocate()
    }

    /// Bytes held.
    public var byteCount: Int { 2 * layerCount * capacity * rowWidth * format.bytesPerBlock }

    /// The first key row of `layer` (position 0) of an `.f32` cache; position p is `p * rowWidth`
    /// floats further.
    func keys(layer: Int) -> UnsafeMutablePointer<Float> { floats(keyStorage, layer: layer) }
    func values(layer: Int) -> UnsafeMutablePointer<Float> { floats(valueStorage, layer: layer) }

    /// The first key row of `layer` of an `.f16` cache, as half-precision bits.
    func keyHalves(layer: Int) -> UnsafeMutablePointer<UInt16> { halves(keyStorage, layer: layer) }
    func valueHalves(layer: Int) -> UnsafeMutablePointer<UInt16> { halves(valueStorage, layer: layer) }

    private func floats(_ storage: UnsafeMutableRawPointer, layer: Int) -> UnsafeMutablePointer<Float> {
        precondition(format == .f32, "float rows of an \(format) cache")
        return storage.assumingMemoryBound(to: Float.self) + layer * capacity * rowWidth
    }

    private func halves(_ storage: UnsafeMutableRawPointer, layer: Int) -> UnsafeMutablePointer<UInt16> {
        precondition(format == .f16, "half rows of an \(format) cache")
        return storage.assumingMemoryBound(to: UInt16.self) + layer * capacity * rowWidth
    }
}
