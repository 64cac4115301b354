import CBLAS
import Foundation

/// Matrix products on OpenBLAS.
///
/// Dimension letters: M rows of activations (tokens), K input features, N output features.
/// Weights are kept as PyTorch stores a `Linear`: N rows of K (`[out, in]`), so every product
/// here multiplies by the transpose of the weight.

/// out[M×N] = a[M×K] · w[N×K]ᵀ (+ out when `accumulate`), all row-major with the given leading
/// dimensions.
/// - Complexity: O(M·N·K).
public func matmulTransposed(
    _ a: UnsafePointer<Float>, rows m: Int, inner k: Int, lda: Int? = nil,
    weights w: UnsafePointer<Float>, outputs n: Int, ldw: Int? = nil,
    into out: UnsafeMutablePointer<Float>, ldo: Int? = nil, accumulate: Bool = false
) {
    guard m > 0, n > 0 else { return }
    cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
        1, a, Int32(lda ?? k), w, Int32(ldw ?? k), accumulate ? 1 : 0, out, Int32(ldo ?? n))
}

/// out[M×N] = a[M×K] · b[K×N], row-major with the given leading dimensions.
/// - Complexity: O(M·N·K).
public func matmul(
    _ a: UnsafePointer<Float>, rows m: Int, inner k: Int, lda: Int,
    _ b: UnsafePointer<Float>, columns n: Int, ldb: Int,
    into out: UnsafeMutablePointer<Float>, ldo: Int, alpha: Float = 1
) {
    guard m > 0, n > 0 else { return }
    cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
        alpha, a, Int32(lda), b, Int32(ldb), 0, out, Int32(ldo))
}

/// out[M×N] = alpha · a[M×K] · b[N×K]ᵀ, row-major with the given leading dimensions
/// (attention scores: queries times keys).
/// - Complexity: O(M·N·K).
public func matmulTransposed(
    _ a: UnsafePointer<Float>, rows m: Int, inner k: Int, lda: Int,
    _ b: UnsafePointer<Float>, columns n: Int, ldb: Int,
    into out: UnsafeMutablePointer<Float>, ldo: Int, alpha: Float
) {
    guard m > 0, n > 0 else { return }
    cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
        alpha, a, Int32(lda), b, Int32(ldb), 0, out, Int32(ldo))
}

/// The scalar reference for `matmulTransposed`, in double precision.
public func matmulTransposedReference(_ a: [Float], rows m: Int, inner k: Int, weights w: [Float], outputs n: Int)
    -> [Float]
{
    var out = [Float](repeating: 0, count: m * n)
    for row in 0..<m {
        for column in 0..<n {
            var sum = 0.0
            for i in 0..<k { sum += Double(a[row * k + i]) * Double(w[column * k + i]) }
            out[row * n + column] = Float(sum)
        }
    }
    return out
}

/// OpenBLAS's own thread pool.
///
/// The kernels split work across cores themselves (coarse pieces, one per core); OpenBLAS
/// threads on top of that would oversubscribe the cores, and on small products its threading
/// is slower than one thread (PLATFORM.md).
public enum BLASThreads {
    /// Sets how many threads OpenBLAS uses inside one call.
    ///
    /// OpenBLAS reallocates its buffers when the count changes, which is not safe while another
    /// thread is inside a BLAS call; so the count is only ever changed when it differs, under a
    /// lock, and models set it once, when they load.
    public static func set(_ count: Int) {
        let wanted = Int32(max(1, count))
        lock.withLock {
            if openblas_get_num_threads() != wanted { openblas_set_num_threads(wanted) }
        }
    }

    private static let lock = NSLock()

    public static var current: Int { Int(openblas_get_num_threads()) }
}
