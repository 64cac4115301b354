/// The WordPiece vocabulary as a trie over Unicode scalars, with two roots.
///
/// WordPiece's greedy rule is "the longest vocabulary entry that starts here". HF finds it by
/// trying ever shorter substrings in a hash map, building a `String` (with the `##` prefix) for
/// each try; walking a trie finds the same piece in one pass over the characters, allocating
/// nothing. Root `wordRoot` holds every token as written; root `continuationRoot` holds the tokens
/// that start with the continuation prefix, with the prefix removed, for pieces inside a word.
///
/// Edges live in one open-addressing hash table keyed by (node, scalar), so a step is one
/// multiply and usually one probe.
struct VocabularyTrie: Sendable {
    typealias Node = Int32

    static let wordRoot: Node = 0
    static let continuationRoot: Node = 1
    static let none: Node = -1

    /// Edge keys: `marker | node << 21 | scalar`, or 0 for an empty slot. (capacity)
    private var keys: [UInt64]
    /// The child node of each edge. (capacity)
    private var children: [Node]
    /// The token id that ends at each node, or -1. (nodes)
    private var tokenIDs: [Int32] = [-1, -1]
    /// log2(capacity); slots are the top bits of a multiplicative hash.
    private var bits: UInt64 = 16
    private var edgeCount = 0

    private static let marker: UInt64 = 1 << 63

    /// Builds the trie; a later entry with the same spelling wins, as in HF's vocabulary map.
    ///
    /// - Complexity: O(total scalars), one pass over each token's scalars.
    init(vocabulary: [(token: String, id: Int)], continuingSubwordPrefix: String) {
        keys = [UInt64](repeating: 0, count: 1 << 16)
        children = [Node](repeating: Self.none, count: 1 << 16)
        // Scalars, not Characters: "##" followed by a spacing mark is one Character, so
        // `hasPrefix("##")` would say no to "##ে".
        let prefix = Array(continuingSubwordPrefix.unicodeScalars)
        for (token, id) in vocabulary where id <= Int(Int32.max) {
            var node = Self.wordRoot
            var continuation = prefix.isEmpty ? Self.none : Self.continuationRoot
            var index = 0
            for scalar in token.unicodeScalars {
                node = insertChild(of: node, scalar)
                if index < prefix.count {
                    if scalar != prefix[index] { continuation = Self.none }
                } else if continuation != Self.none {
                    continuation = insertChild(of: continuation, scalar)
                }
                index += 1
            }
            if node != Self.wordRoot { tokenIDs[Int(node)] = Int32(id) }
            if continuation != Self.none, index > prefix.count { tokenIDs[Int(continuation)] = Int32(id) }
        }
    }

    /// The child of `node` by `scalar`, created if missing.
    private mutating func insertChild(of node: Node, _ scalar: Unicode.Scalar) -> Node {
        let key = Self.key(node, scalar.value)
        var slot = Int((key &* 0x9E37_79B9_7F4A_7C15) >> (64 - bits))
        let mask = keys.count - 1
        while keys[slot] != 0 {
            if keys[slot] == key { return children[slot] }
            slot = (slot + 1) & mask
        }
        let child = Node(tokenIDs.count)
        tokenIDs.append(-1)
        keys[slot] = key
        children[slot] = child
        edgeCount += 1
        if edgeCount * 2 > keys.count { grow() }
        return child
    }

    /// Doubles the table, keeping the load factor at or under one half.
    private mutating func grow() {
        let oldKeys = keys
        let oldChildren = children
        bits += 1
        keys = [UInt64](repeating: 0, count: 1 << Int(bits))
        children = [Node](repeating: Self.none, count: 1 << Int(bits))
        let mask = keys.count - 1
        for (key, child) in zip(oldKeys, oldChildren) where key != 0 {
            var slot = Int((key &* 0x9E37_79B9_7F4A_7C15) >> (64 - bits))
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = key
            children[slot] = child
        }
    }

    /// The id of a token spelled exactly `token` (scalar by scalar), if the vocabulary has it.
    func id(of token: String) -> Int? {
        var node = Self.wordRoot
        for scalar in token.unicodeScalars {
            node = child(of: node, scalar)
            if node == Self.none { return nil }
        }
        let id = node == Self.wordRoot ? -1 : tokenID(at: node)
        return id >= 0 ? Int(id) : nil
    }

    @inline(__always)
    private static func key(_ node: Node, _ scalar: UInt32) -> UInt64 {
        marker | UInt64(UInt32(bitPattern: node)) << 21 | UInt64(scalar)
    }

    /// The node reached from `node` by `scalar`, or `VocabularyTrie.none`.
    @inline(__always)
    func child(of node: Node, _ scalar: Unicode.Scalar) -> Node {
        let key = Self.key(node, scalar.value)
        var slot = Int((key &* 0x9E37_79B9_7F4A_7C15) >> (64 - bits))
        return keys.withUnsafeBufferPointer { keys in
            let mask = keys.count - 1
            while true {
                let found = keys[slot]
                if found == key { return children[slot] }
                if found == 0 { return Self.none }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The id of the token that ends at `node`, or -1.
    @inline(__always)
    func tokenID(at node: Node) -> Int32 { tokenIDs[Int(node)] }
}
