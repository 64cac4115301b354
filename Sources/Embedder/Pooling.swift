import Kernels

extension PoolingModes {
    /// Pools one sequence's token vectors `(L, H)` into `out` (count · H floats), the enabled modes
    /// concatenated in sentence-transformers' order: CLS, max, mean, mean·√L⁻¹·L (mean_sqrt_len).
    func pool(_ tokens: UnsafePointer<Float>, length l: Int, width h: Int, into out: UnsafeMutablePointer<Float>) {
        var slot = out
        if cls {
            slot.update(from: tokens, count: h)
            slot += h
        }
        if max {
            slot.update(from: tokens, count: h)
            for row in 1..<Swift.max(l, 1) {
                for column in 0..<h { slot[column] = Swift.max(slot[column], tokens[row * h + column]) }
            }
            slot += h
        }
        if mean || meanSquareRootLength {
            let sums = UnsafeMutablePointer<Float>.allocate(capacity: h)
            defer { sums.deallocate() }
            sums.initialize(repeating: 0, count: h)
            for row in 0..<l { addInPlace(sums, tokens + row * h, count: h) }
            if mean {
                slot.update(from: sums, count: h)
                scaleInPlace(slot, by: 1 / Float(Swift.max(l, 1)), count: h)
                slot += h
            }
            if meanSquareRootLength {
                slot.update(from: sums, count: h)
                scaleInPlace(slot, by: 1 / Float(Swift.max(l, 1)).squareRoot(), count: h)
            }
        }
    }
}
