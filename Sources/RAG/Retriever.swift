import Embedder
import VectorIndex

/// How a query is matched against a collection.
public enum SearchMode: String, Sendable, CaseIterable {
    /// Dense and keyword results fused by reciprocal rank (the default).
    case hybrid
    /// Nearest embeddings only.
    case dense
    /// FTS5 BM25 only.
    case keyword
}

/// One retrieved chunk.
public struct SearchResult: Sendable, Equatable {
    public var chunkID: Int64
    public var source: String
    public var headingPath: String
    public var text: String
    /// The score that ordered the results: fused RRF for hybrid, inner product for dense,
    /// negated BM25 for keyword.
    public var score: Double
    /// Inner product with the query, when the chunk came from dense search.
    public var denseScore: Double?
    /// Negated BM25 (higher is better), when the chunk came from keyword search.
    public var keywordScore: Double?
    /// The chunk's document and character range (filled by `Retriever.retrieve`).
    public var location: ChunkLocation? = nil
}

/// The results of one search, with what tells whether any of them is relevant at all.
public struct Retrieval: Sendable, Equatable {
    public var results: [SearchResult]
    /// The best inner product of the query with any chunk (cosine for normalised embeddings); nil
    /// for keyword search or an empty collection. Fused RRF scores only rank, this one measures.
    public var bestDenseScore: Double?
}

/// Finds the chunks of a collection that answer a query: dense, keyword, or both fused.
public struct Retriever: Sendable {
    public let embedder: SentenceEmbedder
    public let collection: DocumentCollection

    /// How many results of each list hybrid search fuses (at least k).
    public static let fusionDepth = 20

    public init(embedder: SentenceEmbedder, collection: DocumentCollection) {
        self.embedder = embedder
        self.collection = collection
    }

    /// The `k` best chunks for `query`.
    /// - Parameter sourcePrefix: only documents whose source starts with it.
    public func search(_ query: String, k: Int = 5, mode: SearchMode = .hybrid, sourcePrefix: String? = nil)
        throws(VectorIndexError) -> [SearchResult]
    {
        try rank(query, k: k, mode: mode, sourcePrefix: sourcePrefix).results
    }

    /// The `k` best chunks for `query` with their locations, and the best dense score.
    public func retrieve(_ query: String, k: Int = 5, mode: SearchMode = .hybrid, sourcePrefix: String? = nil)
        throws(VectorIndexError) -> Retrieval
    {
        var retrieval = try rank(query, k: k, mode: mode, sourcePrefix: sourcePrefix)
        let locations = try collection.database.chunkLocations(ids: retrieval.results.map(\.chunkID))
        for index in retrieval.results.indices {
            retrieval.results[index].location = locations[retrieval.results[index].chunkID]
        }
        return retrieval
    }

    private func rank(_ query: String, k: Int, mode: SearchMode, sourcePrefix: String?)
        throws(VectorIndexError) -> Retrieval
    {
        guard k > 0 else { return Retrieval(results: [], bestDenseScore: nil) }
        // Each list is deeper than k so that fusion can promote an item ranked lower in one list, but
        // not by a multiple of k: the fused order then does not depend on k (the top 5 of k = 10 are
        // the results of k = 5), and long tails, where both lists agree only by chance, stay out
        // (on corpora/aurora-x2, lists 40 deep lost two hits in the top 5 against 20).
        let depth = mode == .hybrid ? max(k, Self.fusionDepth) : k
        var dense: [DocumentCollection.DenseHit] = []
        var keyword: [KeywordHit] = []
        if mode != .keyword {
            dense = try collection.denseSearch(embedder.embed(query).vector, k: depth, sourcePrefix: sourcePrefix)
        }
        if mode != .dense {
            keyword = try collection.database.keywordSearch(query, limit: depth, sourcePrefix: sourcePrefix)
        }
        var results: [Int64: SearchResult] = [:]
        for hit in dense {
            results[hit.chunk.id] = SearchResult(
                chunkID: hit.chunk.id, source: hit.chunk.source, headingPath: hit.chunk.headingPath,
                text: hit.chunk.text,
                score: Double(hit.score), denseScore: Double(hit.score), keywordScore: nil)
        }
        for hit in keyword {
            if results[hit.chunkID] == nil {
                results[hit.chunkID] = SearchResult(
                    chunkID: hit.chunkID, source: hit.source, headingPath: hit.headingPath, text: hit.text,
                    score: hit.score, denseScore: nil, keywordScore: hit.score)
            } else {
                results[hit.chunkID]?.keywordScore = hit.score
            }
        }
        let best = dense.map { Double($0.score) }.max()
        switch mode {
        case .dense:
            return Retrieval(results: dense.compactMap { results[$0.chunk.id] }, bestDenseScore: best)
        case .keyword:
            return Retrieval(results: keyword.compactMap { results[$0.chunkID] }, bestDenseScore: nil)
        case .hybrid:
            let fused = ReciprocalRankFusion.fuse([dense.map(\.chunk.id), keyword.map(\.chunkID)])
            let ranked = fused.prefix(k).compactMap { item in
                results[item.id].map { result in
                    var result = result
                    result.score = item.score
                    return result
                }
            }
            return Retrieval(results: ranked, bestDenseScore: best)
        }
    }
}
