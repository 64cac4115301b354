#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// The search for a row's largest-magnitude features, which `Int8Activations` keeps in float.
///
/// It runs for every row of every int8 product (about 500 rows for a 20-token query), so it is
/// written to make two short vectorised passes and no second guess:
///
/// 1. A bound. The row is dealt into at least 2·limit groups (the lanes of alternating chunks of
///    8) and the limit-th largest group maximum is found. At least `limit` values reach it, so
///    every one of the `limit` largest does too.
/// 2. Candidates. One pass collects the values that reach the bound, without branches: each
///    chunk of 8 stores its passing lanes packed to the front by a permutation looked up from the
///    chunk's bit mask. The largest are then picked from the few candidates by rank.
///
/// (The bound used to be a multiple of the row's root mean square, which a massive feature
/// inflates: such rows, the common case in BERT, needed a second and sometimes a third pass.)
extension Int8Activations {
    /// Moves the `limit` largest |x| of the workspace's row into (features, values) and zeroes
    /// them there; returns how many (fewer when the row has fewer nonzero values).
    /// - Complexity: O(K + limit²) for K features.
    func selectLargest(
        _ workspace: RowWorkspace, limit: Int, into features: UnsafeMutablePointer<Int32>,
        _ kept: UnsafeMutablePointer<Float>
    ) -> Int {
        guard limit > 0 else { return 0 }
        let scratch = workspace.row
        let bound = Self.groupBound(scratch, count: inputs, limit: limit, workspace)
        // Strictly above the floor passes; zeros never do.
        var floor: Float = bound > 0 ? bound.nextDown : 0
        guard floor.isFinite else { return 0 }  // a NaN bound (a NaN in the row): nothing is kept
        let candidates = workspace.candidateFeatures
        let magnitudes = workspace.candidateMagnitudes
        var count = 0
        /// Keeps only the `limit` largest candidates when there are more (the first found among
        /// equals), and raises the floor to the smallest kept.
        func keepLargest() {
            guard count > limit else { return }
            let smallest = Self.limitthLargest(magnitudes, count: count, limit: limit, workspace.ranks)
            var equalsLeft = limit
            for index in 0..<count where magnitudes[index] > smallest { equalsLeft -= 1 }
            var kept = 0
            for index in 0..<count {
                let magnitude = magnitudes[index]
                guard magnitude > smallest || (magnitude == smallest && equalsLeft > 0) else { continue }
                if magnitude == smallest { equalsLeft -= 1 }
                candidates[kept] = candidates[index]
                magnitudes[kept] = magnitude
                kept += 1
            }
            count = kept
            floor = max(floor, smallest)
        }
        let k = inputs
        var index = 0
        #if arch(x86_64)
            let signBits = _mm256_castsi256_ps(_mm256_set1_epi32(Int32.max))
            var floors = _mm256_set1_ps(floor)
            let packingOrder = Self.packingOrder
            while index + 8 <= k {
                let values = _mm256_and_ps(_mm256_loadu_ps(scratch + index), signBits)
                // Lanes where floor − |x| is negative (its sign bit set) pass.
                let passing = Int(_mm256_movemask_ps(_mm256_sub_ps(floors, values)))
                let order = packingOrder[passing]
                UnsafeMutableRawPointer(candidates + count).storeBytes(
                    of: _mm256_add_epi32(order, _mm256_set1_epi32(Int32(index))), as: __m256i.self)
                _mm256_storeu_ps(magnitudes + count, _mm256_permutevar8x32_ps(values, order))
                count += passing.nonzeroBitCount
                if count > Self.candidateCapacity - 8 {
                    keepLargest()
                    floors = _mm256_set1_ps(floor)
                }
                index += 8
            }
        #endif
        while index < k {
            let magnitude = abs(scratch[index])
            if magnitude > floor {
                candidates[count] = Int32(index)
                magnitudes[count] = magnitude
                count += 1
                if count > Self.candidateCapacity - 8 { keepLargest() }
            }
            index += 1
        }
        keepLargest()
        for slot in 0..<count {
            let feature = Int(candidates[slot])
            features[slot] = Int32(feature)
            kept[slot] = scratch[feature]
            scratch[feature] = 0
        }
        return count
    }

    /// The limit-th largest of the row's group maxima (0 when fewer groups hold a nonzero value).
    ///
    /// Group g of lane l holds the values at 8·(G·j + g) + l for j = 0, 1, …, with G chunk
    /// accumulators, G·8 ≥ 2·limit groups in all; values past the last whole chunk join lane 0's
    /// groups. Any split into at least `limit` disjoint groups gives a valid bound; more groups
    /// give a tighter one, at a few more compares.
    private static func groupBound(
        _ x: UnsafePointer<Float>, count k: Int, limit: Int, _ workspace: RowWorkspace
    ) -> Float {
        let accumulators = min(candidateCapacity / 8, max(1, (2 * limit + 7) / 8))
        let groups = accumulators * 8
        let maxima = workspace.groupMaxima
        maxima.initialize(repeating: 0, count: groups)
        var index = 0
        #if arch(x86_64)
            let signBits = _mm256_castsi256_ps(_mm256_set1_epi32(Int32.max))
            if accumulators == 2 {
                // The common case (8 outliers per row), in registers.
                var even = _mm256_setzero_ps()
                var odd = even
                while index + 16 <= k {
                    even = _mm256_max_ps(even, _mm256_and_ps(_mm256_loadu_ps(x + index), signBits))
                    odd = _mm256_max_ps(odd, _mm256_and_ps(_mm256_loadu_ps(x + index + 8), signBits))
                    index += 16
                }
                _mm256_storeu_ps(maxima, even)
                _mm256_storeu_ps(maxima + 8, odd)
            }
            var chunk = index / 8
            while index + 8 <= k {
                let slot = maxima + (chunk % accumulators) * 8
                _mm256_storeu_ps(
                    slot, _mm256_max_ps(_mm256_loadu_ps(slot), _mm256_and_ps(_mm256_loadu_ps(x + index), signBits)))
                index += 8
                chunk += 1
            }
        #endif
        while index < k {
            let slot = maxima + (index / 8 % accumulators) * 8 + index % 8
            slot.pointee = max(slot.pointee, abs(x[index]))
            index += 1
        }
        return limitthLargest(maxima, count: groups, limit: limit, workspace.ranks)
    }

    /// The limit-th largest of `count` magnitudes (limit ≤ count), equal values counted each.
    ///
    /// It is the smallest of those with fewer than `limit` larger ones.
    private static func limitthLargest(
        _ magnitudes: UnsafeMutablePointer<Float>, count: Int, limit: Int, _ larger: UnsafeMutablePointer<Int32>
    ) -> Float {
        countLarger(magnitudes, count: count, into: larger)
        var smallest = Float.infinity
        for index in 0..<count where larger[index] < limit { smallest = min(smallest, magnitudes[index]) }
        return smallest
    }

    /// larger[i] = how many of the `count` magnitudes are larger than magnitudes[i].
    ///
    /// Eight at a time: a chunk of eight is compared with each magnitude broadcast, and the
    /// compares' all-ones lanes (−1) are subtracted, three instructions per eight compares, with
    /// no chain of dependent compares. Magnitudes are compared as their bit patterns, which order
    /// non-negative floats exactly. `magnitudes` and `larger` must hold `count` rounded up to 8;
    /// the padding of `magnitudes` is zeroed.
    /// - Complexity: O(count²).
    private static func countLarger(
        _ magnitudes: UnsafeMutablePointer<Float>, count: Int, into larger: UnsafeMutablePointer<Int32>
    ) {
        for padding in count..<((count + 7) / 8 * 8) { magnitudes[padding] = 0 }
        #if arch(x86_64)
            let bits = UnsafeRawPointer(magnitudes)
            for chunk in Swift.stride(from: 0, to: count, by: 8) {
                let own = bits.loadUnaligned(fromByteOffset: chunk * 4, as: __m256i.self)
                var counts = _mm256_setzero_si256()
                for other in 0..<count {
                    let broadcast = _mm256_set1_epi32(bits.load(fromByteOffset: other * 4, as: Int32.self))
                    counts = _mm256_sub_epi32(counts, _mm256_cmpgt_epi32(broadcast, own))
                }
                UnsafeMutableRawPointer(larger + chunk).storeBytes(of: counts, as: __m256i.self)
            }
        #else
            for index in 0..<count {
                larger[index] = Int32((0..<count).filter { magnitudes[$0] > magnitudes[index] }.count)
            }
        #endif
    }

    #if arch(x86_64)
        /// For each 8-bit mask, the indices of its set bits in order, then zeros: the permutation
        /// that packs the selected lanes of a vector to its front.
        /// Allocated once for the process and never freed.
        nonisolated(unsafe) private static let packingOrder: UnsafePointer<__m256i> = {
            let table = UnsafeMutablePointer<__m256i>.allocate(capacity: 256)
            for mask in 0..<256 {
                var lanes = [Int32](repeating: 0, count: 8)
                var next = 0
                for lane in 0..<8 where mask & (1 << lane) != 0 {
                    lanes[next] = Int32(lane)
                    next += 1
                }
                table[mask] = _mm256_setr_epi32(
                    lanes[0], lanes[1], lanes[2], lanes[3], lanes[4], lanes[5], lanes[6], lanes[7])
            }
            return UnsafePointer(table)
        }()
    #endif
}
