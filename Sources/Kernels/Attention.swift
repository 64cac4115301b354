/// Scaled dot-product attention of one head over one sequence, in float32, without BLAS.
///
/// context = softmax(scale · q·kᵀ) · v, for a sequence of L tokens and a head of D features
/// (a multiple of 16). q, k and v are read in place, rows `ld` apart (a fused q/k/v projection);
/// nothing is masked, as every token of a packed sequence is real.
///
/// OpenBLAS zeroes its output and repacks both operands on every call; for products this small
/// (all-MiniLM-L6-v2: 12 heads of 32 features, L ≤ 256) that overhead was a third of the
/// attention time. Here keys are packed once per head into panels of 16 (scale folded in), the
/// scores of 4 query rows × 16 keys accumulate in four 16-lane registers, each row's softmax is
/// left unnormalised, and the 1/Σ scales the context rows as they are stored. The values are
/// copied to contiguous rows first: read in place they lie 3·H floats apart.
///
/// Dimension letters: L tokens (L16 rounded up to 16), D head features.
public enum Attention {
    /// Floats of scratch `head` needs for a sequence of `length` tokens and `headSize` features.
    public static func scratchCount(length: Int, headSize: Int) -> Int {
        let padded = (length + 15) / 16 * 16
        return padded * headSize + length * padded + length + length * headSize
    }

    /// Whether `head` handles this head size (a multiple of 16).
    public static func supports(headSize: Int) -> Bool { headSize > 0 && headSize % 16 == 0 }

    /// out[L×D] (rows `ldo` apart) = softmax(scale · q·kᵀ) · v.
    /// - Parameters:
    ///   - q, k, v: L rows of D floats each, `ld` apart.
    ///   - scratch: at least `scratchCount(length:headSize:)` floats, for this call alone.
    /// - Complexity: O(L²·D).
    public static func head(
        q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>, ld: Int, length l: Int,
        headSize d: Int, scale: Float, into out: UnsafeMutablePointer<Float>, ldo: Int,
        scratch: UnsafeMutablePointer<Float>
    ) {
        precondition(supports(headSize: d), "head size \(d) is not a multiple of 16")
        guard l > 0 else { return }
        let padded = (l + 15) / 16 * 16
        let keys = scratch  // (L16 / 16, D, 16): kᵀ·scale in panels of 16 keys
        let scores = keys + padded * d  // (L, L16)
        let inverses = scores + l * padded  // (L): 1/Σ of each row's exponentials
        let values = inverses + l  // (L, D): v, rows contiguous
        packKeys(k, ld: ld, length: l, headSize: d, scale: scale, into: keys)
        for token in 0..<l {
            let source = UnsafeRawPointer(v + token * ld)
            let target = UnsafeMutableRawPointer(values + token * d)
            for offset in Swift.stride(from: 0, to: d * 4, by: 64) {
                target.storeBytes(
                    of: source.loadUnaligned(fromByteOffset: offset, as: Float16x.self), toByteOffset: offset,
                    as: Float16x.self)
            }
        }
        computeScores(q, ld: ld, length: l, headSize: d, keys: keys, into: scores, stride: padded)
        for row in 0..<l {
            inverses[row] = 1 / exponentiateRow(scores + row * padded, count: l)
        }
        weightValues(
            scores, stride: padded, length: l, values, ld: d, headSize: d, inverses: inverses, into: out, ldo: ldo)
    }

    /// keys[p][f][j] = k[16p + j][f]·scale, 0 past L.
    private static func packKeys(
        _ k: UnsafePointer<Float>, ld: Int, length l: Int, headSize d: Int, scale: Float,
        into keys: UnsafeMutablePointer<Float>
    ) {
        let panels = (l + 15) / 16
        for panel in 0..<panels {
            let block = keys + panel * d * 16
            for lane in 0..<16 {
                let token = panel * 16 + lane
                if token < l {
                    let row = k + token * ld
                    for feature in 0..<d { block[feature * 16 + lane] = row[feature] * scale }
                } else {
                    for feature in 0..<d { block[feature * 16 + lane] = 0 }
                }
            }
        }
    }

    /// scores[i][j] = Σ_f q[i][f]·keys[j][f] for every query row i and every key panel.
    private static func computeScores(
        _ q: UnsafePointer<Float>, ld: Int, length l: Int, headSize d: Int, keys: UnsafePointer<Float>,
        into scores: UnsafeMutablePointer<Float>, stride: Int
    ) {
        let panels = (l + 15) / 16
        for panel in 0..<panels {
            let block = UnsafeRawPointer(keys + panel * d * 16)
            var row = 0
            while row + 4 <= l {
                var a0 = Float16x(repeating: 0)
                var a1 = a0
                var a2 = a0
                var a3 = a0
                let q0 = q + row * ld
                let q1 = q0 + ld
                let q2 = q1 + ld
                let q3 = q2 + ld
                for feature in 0..<d {
                    let w = block.loadUnaligned(fromByteOffset: feature * 64, as: Float16x.self)
                    a0.addProduct(w, Float16x(repeating: q0[feature]))
                    a1.addProduct(w, Float16x(repeating: q1[feature]))
                    a2.addProduct(w, Float16x(repeating: q2[feature]))
                    a3.addProduct(w, Float16x(repeating: q3[feature]))
                }
                let target = UnsafeMutableRawPointer(scores + row * stride + panel * 16)
                target.storeBytes(of: a0, as: Float16x.self)
                target.storeBytes(of: a1, toByteOffset: stride * 4, as: Float16x.self)
                target.storeBytes(of: a2, toByteOffset: 2 * stride * 4, as: Float16x.self)
                target.storeBytes(of: a3, toByteOffset: 3 * stride * 4, as: Float16x.self)
                row += 4
            }
            while row < l {
                var a0 = Float16x(repeating: 0)
                let q0 = q + row * ld
                for feature in 0..<d {
                    a0.addProduct(
                        block.loadUnaligned(fromByteOffset: feature * 64, as: Float16x.self),
                        Float16x(repeating: q0[feature]))
                }
                UnsafeMutableRawPointer(scores + row * stride + panel * 16).storeBytes(of: a0, as: Float16x.self)
                row += 1
            }
        }
    }

    /// out[i][f] = inverses[i] · Σ_j weights[i][j]·v[j][f], 16 features at a time.
    private static func weightValues(
        _ weights: UnsafePointer<Float>, stride: Int, length l: Int, _ v: UnsafePointer<Float>, ld: Int,
        headSize d: Int, inverses: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, ldo: Int
    ) {
        for half in Swift.stride(from: 0, to: d, by: 16) {
            let values = UnsafeRawPointer(v + half)
            var row = 0
            while row + 4 <= l {
                var a0 = Float16x(repeating: 0)
                var a1 = a0
                var a2 = a0
                var a3 = a0
                let w0 = weights + row * stride
                let w1 = w0 + stride
                let w2 = w1 + stride
                let w3 = w2 + stride
                for token in 0..<l {
                    let value = values.loadUnaligned(fromByteOffset: token * ld * 4, as: Float16x.self)
                    a0.addProduct(value, Float16x(repeating: w0[token]))
                    a1.addProduct(value, Float16x(repeating: w1[token]))
                    a2.addProduct(value, Float16x(repeating: w2[token]))
                    a3.addProduct(value, Float16x(repeating: w3[token]))
                }
                let target = UnsafeMutableRawPointer(out + row * ldo + half)
                target.storeBytes(of: a0 * inverses[row], as: Float16x.self)
                target.storeBytes(of: a1 * inverses[row + 1], toByteOffset: ldo * 4, as: Float16x.self)
                target.storeBytes(of: a2 * inverses[row + 2], toByteOffset: 2 * ldo * 4, as: Float16x.self)
                target.storeBytes(of: a3 * inverses[row + 3], toByteOffset: 3 * ldo * 4, as: Float16x.self)
                row += 4
            }
            while row < l {
                var a0 = Float16x(repeating: 0)
                let w0 = weights + row * stride
                for token in 0..<l {
                    a0.addProduct(
                        values.loadUnaligned(fromByteOffset: token * ld * 4, as: Float16x.self),
                        Float16x(repeating: w0[token]))
                }
                UnsafeMutableRawPointer(out + row * ldo + half).storeBytes(of: a0 * inverses[row], as: Float16x.self)
                row += 1
            }
        }
    }
}
