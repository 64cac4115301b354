/// Stage 3 of the pipeline: the WordPiece model, which cuts one word into vocabulary pieces.
///
/// Greedy longest-match-first, as in BERT and HF: take the longest vocabulary entry that starts
/// the word, then the longest `##` entry that starts the rest, and so on. If some rest has no
/// entry at all, the *whole word* becomes `[UNK]` (not just the rest), which is why `🚚💨` with no
/// space between is one `[UNK]`. A word longer than `maxInputCharactersPerWord` characters is
/// `[UNK]` without trying.
struct WordPieceModel: Sendable {
    let trie: VocabularyTrie
    let unknownID: Int
    let maxInputCharactersPerWord: Int

    /// Appends the ids of the pieces of `text[word]` to `ids`.
    ///
    /// - Complexity: O(n·p) for a word of n scalars whose longest piece has p scalars; each step
    ///   is one hash probe.
    func appendPieces(of text: [Unicode.Scalar], word: Range<Int>, to ids: inout [Int]) {
        if word.count > maxInputCharactersPerWord {
            ids.append(unknownID)
            return
        }
        let firstPiece = ids.count
        var start = word.lowerBound
        while start < word.upperBound {
            var node = start == word.lowerBound ? VocabularyTrie.wordRoot : VocabularyTrie.continuationRoot
            var bestEnd = -1
            var bestID: Int32 = -1
            var index = start
            while index < word.upperBound {
                node = trie.child(of: node, text[index])
                if node == VocabularyTrie.none { break }
                index += 1
                let id = trie.tokenID(at: node)
                if id >= 0 {
                    bestEnd = index
                    bestID = id
                }
            }
            if bestEnd < 0 {
                ids.removeSubrange(firstPiece...)
                ids.append(unknownID)
                return
            }
            ids.append(Int(bestID))
            start = bestEnd
        }
    }
}
