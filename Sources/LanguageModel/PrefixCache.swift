import Foundation

/// Key/value caches of prompt prefixes that many prompts share, such as a service's fixed system
/// message, so that each generation prefills only the tokens after the prefix.
///
/// A prefix's keys and values depend on the adapters too (they change the q/k/v projections), so
/// an entry matches only the same adapters at the same weights. The least recently used entry
/// goes first when the cache is full.
final class PrefixCache: @unchecked Sendable {
    private struct Entry {
        let tokens: [Int]
        let adapters: [AdapterIdentity]
        let cache: KeyValueCache
        var lastUse: UInt64
    }

    /// An adapter as a prefix depends on it: which loaded adapter (held, so that its identity is
    /// never reused by another), at which weight.
    private struct AdapterIdentity: Equatable {
        let adapter: LoRAAdapter
        let weight: Float

        init(_ active: ActiveAdapter) {
            adapter = active.adapter
            weight = active.weight
        }

        static func == (lhs: Self, rhs: Self) -> Bool { lhs.adapter === rhs.adapter && lhs.weight == rhs.weight }
    }

    private let lock = NSLock()
    private var entries: [Entry] = []
    private var clock: UInt64 = 0
    /// Entries kept at most.
    let limit: Int

    init(limit: Int = 4) { self.limit = limit }

    /// Number of entries held.
    var count: Int { lock.withLock { entries.count } }

    /// Copies the longest cached prefix of `prompt` (shorter than the prompt: the last prompt token
    /// must run to give logits) into `session`, and returns its length; 0 when none matches.
    func restore(into session: GenerationSession, prompt: [Int]) -> Int {
        let identity = session.adapters.map(AdapterIdentity.init)
        return lock.withLock {
            var best: Int?
            for (index, entry) in entries.enumerated()
            where entry.adapters == identity && entry.tokens.count < prompt.count
                && entry.tokens.count <= session.capacity && prompt.starts(with: entry.tokens)
            {
                if best.map({ entries[$0].tokens.count < entry.tokens.count }) ?? true { best = index }
            }
            guard let best else { return 0 }
            clock += 1
            entries[best].lastUse = clock
            let entry = entries[best]
            entry.cache.copyPrefix(entry.tokens.count, into: session.cache)
            return entry.tokens.count
        }
    }

    /// Keeps the first `tokens.count` positions of `session`, whose tokens are `tokens`.
    func store(tokens: [Int], from session: GenerationSession) {
        let identity = session.adapters.map(AdapterIdentity.init)
        let snapshot = session.cache.snapshot(positions: tokens.count)
        lock.withLock {
            clock += 1
            entries.removeAll { $0.tokens == tokens && $0.adapters == identity }
            if entries.count >= limit,
                let oldest = entries.indices.min(by: { entries[$0].lastUse < entries[$1].lastUse })
            {
                entries.remove(at: oldest)
            }
            entries.append(Entry(tokens: tokens, adapters: identity, cache: snapshot, lastUse: clock))
        }
    }

    /// Forgets every entry (after an adapter is unloaded, say).
    func removeAll() { lock.withLock { entries.removeAll() } }
}
