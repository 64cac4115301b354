/// Finds the existing tensor name a caller most likely meant, for "did you mean" hints.
///
/// Two mistakes dominate: a checkpoint prefix added or missing (`bert.embeddings…` versus `embeddings…`), and a
/// typo. The first is tried as a suffix match on a dot boundary, the second as an edit distance of at most a
/// fifth of the name (and at least 2), so that unrelated names are never suggested.
enum NameSuggestion {
    static func closest(to wanted: String, among names: some Collection<String>) -> String? {
        let prefixed = names.filter { $0.hasSuffix("." + wanted) || wanted.hasSuffix("." + $0) }
        if let best = prefixed.min(by: { ($0.count, $0) < ($1.count, $1) }) {
            return best
        }

        let target = Array(wanted.utf8)
        let limit = max(2, target.count / 5)
        var best: (distance: Int, name: String)?
        for name in names {
            let candidate = Array(name.utf8)
            guard abs(candidate.count - target.count) <= limit else { continue }
            let distance = editDistance(target, candidate)
            guard distance <= limit else { continue }
            if best.map({ (distance, name) < ($0.distance, $0.name) }) ?? true {
                best = (distance, name)
            }
        }
        return best?.name
    }

    /// Levenshtein distance over bytes, keeping one row.
    /// - Complexity: O(a × b) time, O(b) memory.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var diagonal = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let above = row[j]
                row[j] = min(above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }
}
