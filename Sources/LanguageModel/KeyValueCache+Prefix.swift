extension KeyValueCache {
    /// A new cache holding exactly this cache's first `positions` positions.
    func snapshot(positions: Int) -> KeyValueCache {
        let copy = KeyValueCache(layerCount: layerCount, rowWidth: rowWidth, capacity: positions)
        copyPrefix(positions, into: copy)
        return copy
    }

    /// Overwrites `target` with this cache's first `positions` positions; `target` then holds
    /// those positions and nothing after them.
    func copyPrefix(_ positions: Int, into target: KeyValueCache) {
        precondition(positions <= count && positions <= target.capacity)
        precondition(layerCount == target.layerCount && rowWidth == target.rowWidth)
        for layer in 0..<layerCount {
            target.keys(layer: layer).update(from: keys(layer: layer), count: positions * rowWidth)
            target.values(layer: layer).update(from: values(layer: layer), count: positions * rowWidth)
        }
        target.count = positions
    }
}
