import Foundation

/// Stage 2 of the byte-level BPE pipeline: merges the bytes of one word into vocabulary tokens.
///
/// A word starts as one symbol per UTF-8 byte (the vocabulary's token for that byte's character in
/// `ByteLevelAlphabet`); then, as long as some adjacent pair is a merge, the pair with the lowest merge rank
/// is merged, leftmost first among equal ranks. This is llama.cpp's (and GPT-2's) algorithm, kept in a
/// linked list of symbols with a min-heap of candidate pairs, so a word of n bytes costs O(n log n) rather
/// than the O(n²) of rescanning for the best pair after every merge. Stale heap entries (a side already
/// merged into something else) are recognised on pop, because a pair's rank identifies the pair.
///
/// Results are cached per word: text repeats its words, and the cache makes a second occurrence one
/// dictionary lookup.
struct BytePairModel: Sendable {
    /// Token id of each byte value's character; -1 when the vocabulary lacks it (the byte is then dropped,
    /// as llama.cpp drops it).
    let byteIDs: [Int32]
    /// `left << 32 | right` → the merge's rank and the id of the merged token.
    let merges: [UInt64: Merge]
    /// The vocabulary, for `ignoreMerges`.
    let vocabulary: TokenVocabulary
    /// Whether a word that is itself a token skips merging (llama.cpp's `ignore_merges`, set for Llama 3).
    let ignoreMerges: Bool

    struct Merge: Sendable {
        var rank: Int32
        var result: Int32
    }

    private let cache = WordCache()

    init(byteIDs: [Int32], merges: [UInt64: Merge], vocabulary: TokenVocabulary, ignoreMerges: Bool) {
        self.byteIDs = byteIDs
        self.merges = merges
        self.vocabulary = vocabulary
        self.ignoreMerges = ignoreMerges
    }

    static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// Words longer than this many scalars are merged without the cache: they rarely repeat, and caching
    /// them would let one huge input fill memory.
    static let longestCachedWord = 64

    /// Appends the ids of `text[word]` to `output`.
    func appendTokens(of text: [Unicode.Scalar], word: Range<Int>, to output: inout [Int]) {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text[word])
        let word = String(scalars)
        guard scalars.count <= Self.longestCachedWord else {
            output.append(contentsOf: merge(Array(word.utf8)))
            return
        }
        if let cached = cache[word] {
            output.append(contentsOf: cached)
            return
        }
        let tokens = merge(Array(word.utf8))
        cache[word] = tokens
        output.append(contentsOf: tokens)
    }

    /// The tokens of one word given as UTF-8 bytes.
    func merge(_ bytes: [UInt8]) -> [Int] {
        if ignoreMerges {
            var scalars = String.UnicodeScalarView()
            for byte in bytes { scalars.append(ByteLevelAlphabet.scalars[Int(byte)]) }
            if let id = vocabulary.id(of: String(scalars)) { return [Int(id)] }
        }
        // Symbols in a linked list over the byte positions; a merged-away symbol has id -2.
        var symbols = bytes.map { byteIDs[Int($0)] }
        var next = Array(1...max(bytes.count, 1))
        var previous = Array(-1..<max(bytes.count - 1, 0))
        var heap = MinHeap()
        func push(_ left: Int) {
            let right = next[left]
            guard right < symbols.count, symbols[left] >= 0, symbols[right] >= 0,
                let merge = merges[Self.key(symbols[left], symbols[right])]
            else { return }
            heap.push(UInt64(UInt32(merge.rank)) << 32 | UInt64(left))
        }
        for left in 0..<max(symbols.count - 1, 0) { push(left) }

        while let top = heap.pop() {
            let left = Int(top & 0xFFFF_FFFF)
            let rank = Int32(truncatingIfNeeded: top >> 32)
            let right = next[left]
            guard symbols[left] >= 0, right < symbols.count, symbols[right] >= 0,
                let merge = merges[Self.key(symbols[left], symbols[right])], merge.rank == rank
            else { continue }
            symbols[left] = merge.result
            symbols[right] = -2
            next[left] = next[right]
            if next[left] < symbols.count { previous[next[left]] = left }
            if previous[left] >= 0 { push(previous[left]) }
            push(left)
        }

        var tokens: [Int] = []
        var index = 0
        while index < symbols.count {
            if symbols[index] >= 0 { tokens.append(Int(symbols[index])) }
            index = next[index]
        }
        return tokens
    }
}

/// A min-heap of `rank << 32 | position`, so that the lowest rank, then the leftmost position, comes first.
private struct MinHeap {
    private var items: [UInt64] = []

    mutating func push(_ item: UInt64) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> UInt64? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let top = items[0]
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < items.count else { break }
            let right = left + 1
            let child = right < items.count && items[right] < items[left] ? right : left
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            parent = child
        }
        return top
    }
}

/// The tokens of words already merged, shared by every copy of a tokenizer and safe across threads.
///
/// Bounded: when full it is emptied and refilled, which keeps memory flat on endless varied input while
/// the common words come back within a few sentences.
private final class WordCache: @unchecked Sendable {
    static let capacity = 65_536
    private let lock = NSLock()
    private var tokens: [String: [Int]] = [:]

    subscript(word: String) -> [Int]? {
        get { lock.withLock { tokens[word] } }
        set {
            lock.withLock {
                if tokens.count >= Self.capacity { tokens.removeAll(keepingCapacity: true) }
                tokens[word] = newValue
            }
        }
    }
}
