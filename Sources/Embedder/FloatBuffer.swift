/// A fixed-size, heap-allocated float array with a stable address.
///
/// Weights and scratch space are handed to BLAS and the kernels as raw pointers on every call;
/// owning them here avoids Swift array copy-on-write checks and closure nesting in the hot path.
/// Weight buffers are written once at load and only read afterwards, which is what makes the
/// `@unchecked Sendable` sound for them; scratch buffers belong to one worker at a time.
final class FloatBuffer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit { pointer.deallocate() }
}
