extension KeyValueCache {
    /// A new cache, in the same format, holding exactly this cache's first `positions` positions.
    func snapshot(positions: Int) -> KeyValueCache {
        let copy = KeyValueCache(layerCount: layerCount, rowWidth: rowWidth, capacity: positions, format: format)
        copyPrefix(positions, into: copy)
        return copy
    }

    /// Overwrites `target` with this cache's first `positions` positions; `target` then holds
    /// those positions and nothing after them.
    func copyPrefix(_ positions: Int, into target: KeyValueCache) {
        precondition(positions <= count && positions <= target.capacity)
        precondition(layerCount == target.layerCount && rowWidth == target.rowWidth && format == target.format)
        let values = positions * rowWidth
        for layer in 0..<layerCount {
            if format == .f16 {
                target.keyHalves(layer: layer).update(from: keyHalves(layer: layer), count: values)
                target.valueHalves(layer: layer).update(from: valueHalves(layer: layer), count: values)
            } else {
                target.keys(layer: layer).update(from: keys(layer: layer), count: values)
                target.values(layer: layer).update(from: self.values(layer: layer), count: values)
            }
        }
        target.count = positions
    }
}
