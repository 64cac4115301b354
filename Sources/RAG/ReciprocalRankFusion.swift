/// Reciprocal-rank fusion: merges ranked lists by summing 1 / (k + rank) for every list an item
/// appears in (Cormack, Clarke and Büttcher, SIGIR 2009).
///
/// Ranks, not scores, are combined, so inner products and BM25 values, which live on unrelated
/// scales, need no normalisation; an item near the top of either list rises, and one that both
/// lists agree on rises most.
public enum ReciprocalRankFusion {
    /// The damping constant of the original paper: a first place is worth 1/61, a tenth 1/70.
    public static let defaultK = 60.0

    /// Fused scores of every item in `lists` (each best first), best first; ties keep the order
    /// in which items were first seen.
    public static func fuse<ID: Hashable>(_ lists: [[ID]], k: Double = defaultK) -> [(id: ID, score: Double)] {
        var scores: [ID: Double] = [:]
        var firstSeen: [ID: Int] = [:]
        var order = 0
        for list in lists {
            for (rank, id) in list.enumerated() {
                scores[id, default: 0] += 1 / (k + Double(rank + 1))
                if firstSeen[id] == nil {
                    firstSeen[id] = order
                    order += 1
                }
            }
        }
        return scores.map { (id: $0.key, score: $0.value) }.sorted {
            $0.score != $1.score ? $0.score > $1.score : (firstSeen[$0.id] ?? 0) < (firstSeen[$1.id] ?? 0)
        }
    }
}
