/// The keys and values of every position seen so far, per layer: what lets each new token attend
/// to the whole context without recomputing it.
///
/// Sized for the positions a generation can reach (prompt plus new tokens), not the model's full
/// context: SmolLM2's 8,192 positions would take 377 MB, a 1,000-token answer takes 46 MB.
public final class KeyValueCache: @unchecked Sendable {
    let layerCount: Int
    /// Floats per position and layer (key/value heads × head size).
    let rowWidth: Int
    /// Positions the buffers hold.
    public let capacity: Int
    /// Positions filled.
    public internal(set) var count = 0
    let keys: UnsafeMutablePointer<Float>
    let values: UnsafeMutablePointer<Float>

    init(layerCount: Int, rowWidth: Int, capacity: Int) {
        self.layerCount = layerCount
        self.rowWidth = rowWidth
        self.capacity = capacity
        keys = .allocate(capacity: layerCount * capacity * rowWidth)
        values = .allocate(capacity: layerCount * capacity * rowWidth)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Bytes held.
    public var byteCount: Int { 2 * layerCount * capacity * rowWidth * MemoryLayout<Float>.stride }

    /// The first key row of `layer` (position 0); position p is `p * rowWidth` floats further.
    func keys(layer: Int) -> UnsafeMutablePointer<Float> { keys + layer * capacity * rowWidth }
    func values(layer: Int) -> UnsafeMutablePointer<Float> { values + layer * capacity * rowWidth }
}
