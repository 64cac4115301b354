#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Picks tokens from logits under `SamplingOptions`, remembering recent tokens for the penalty.
public struct TokenSampler: Sendable {
    public let options: SamplingOptions
    private var random: SeededRandom
    private var recent: [Int] = []

    public init(options: SamplingOptions) {
        self.options = options
        random = SeededRandom(seed: options.seed)
    }

    /// Records tokens already in the context (the prompt) for the repetition penalty.
    public mutating func observe(_ tokens: some Sequence<Int>) {
        guard options.repetitionWindow > 0 else { return }
        recent.append(contentsOf: tokens)
        if recent.count > options.repetitionWindow { recent.removeFirst(recent.count - options.repetitionWindow) }
    }

    /// The next token for `logits` (one per vocabulary entry); records it.
    public mutating func sample(_ logits: UnsafeBufferPointer<Float>) -> Int {
        let token = choose(logits)
        observe(CollectionOfOne(token))
        return token
    }

    private mutating func choose(_ logits: UnsafeBufferPointer<Float>) -> Int {
        // The penalty touches only the recent tokens: copy the logits only when there is one.
        if options.repetitionPenalty != 1, !recent.isEmpty {
            var penalised = Array(logits)
            for token in Set(recent) where token >= 0 && token < penalised.count {
                let value = penalised[token]
                penalised[token] =
                    value > 0 ? value / options.repetitionPenalty : value * options.repetitionPenalty
            }
            return penalised.withUnsafeBufferPointer { pick(from: $0) }
        }
        return pick(from: logits)
    }

    private mutating func pick(from logits: UnsafeBufferPointer<Float>) -> Int {
        if options.temperature == 0 {
            var best = 0
            var bestValue = -Float.infinity
            for index in 0..<logits.count where logits[index] > bestValue {
                best = index
                bestValue = logits[index]
            }
            return best
        }

        // Candidates, most likely first; top-k bounds the sort.
        var candidates = (0..<logits.count).map { (token: $0, logit: logits[$0]) }.filter { !$0.logit.isNaN }
        let keep = options.topK > 0 ? min(options.topK, candidates.count) : candidates.count
        candidates = Self.largest(candidates, keep)
        guard let top = candidates.first else { return 0 }

        // Probabilities at temperature 1 decide top-p and min-p, as in llama.cpp.
        var probabilities = candidates.map { exp($0.logit - top.logit) }
        var total = probabilities.reduce(0, +)
        if options.topP < 1 {
            var cumulative: Float = 0
            var cut = probabilities.count
            for (index, probability) in probabilities.enumerated() {
                cumulative += probability / total
                if cumulative >= options.topP {
                    cut = index + 1
                    break
                }
            }
            candidates.removeSubrange(cut...)
            probabilities.removeSubrange(cut...)
            total = probabilities.reduce(0, +)
        }
        if options.minP > 0 {
            let floor = options.minP * probabilities[0]
            let cut = probabilities.firstIndex { $0 < floor } ?? probabilities.count
            candidates.removeSubrange(cut...)
        }

        let weights = candidates.map { exp(($0.logit - top.logit) / options.temperature) }
        var draw = random.unit() * weights.reduce(0, +)
        for (candidate, weight) in zip(candidates, weights) {
            draw -= weight
            if draw < 0 { return candidate.token }
        }
        return candidates[candidates.count - 1].token
    }

    /// The `count` entries with the largest logits, best first (ties by lower token id).
    private static func largest(_ items: [(token: Int, logit: Float)], _ count: Int) -> [(token: Int, logit: Float)] {
        func better(_ a: (token: Int, logit: Float), _ b: (token: Int, logit: Float)) -> Bool {
            a.logit != b.logit ? a.logit > b.logit : a.token < b.token
        }
        if count >= items.count { return items.sorted(by: better) }
        // Partial selection: keep a sorted buffer of the best `count`.
        var best: [(token: Int, logit: Float)] = []
        best.reserveCapacity(count + 1)
        for item in items {
            if best.count == count, let last = best.last, !better(item, last) { continue }
            var low = 0
            var high = best.count
            while low < high {
                let mid = (low + high) / 2
                if better(best[mid], item) { low = mid + 1 } else { high = mid }
            }
            best.insert(item, at: low)
            if best.count > count { best.removeLast() }
        }
        return best
    }
}
