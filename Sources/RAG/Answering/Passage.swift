/// A retrieved chunk as the model sees it: numbered, so that the answer can cite it as `[number]`,
/// and located, so that a reader can open the manual at it.
public struct Passage: Sendable, Equatable, Codable {
    /// The number the prompt gives it, from 1.
    public var number: Int
    public var documentID: Int64?
    public var chunkID: Int64
    public var source: String
    /// The chunk's heading path ("Manual > Charging").
    public var heading: String
    public var text: String
    /// Character offsets of the chunk in its document's text.
    public var startOffset: Int?
    public var endOffset: Int?
    /// The retrieval score that ranked it (fused RRF for hybrid search).
    public var score: Double
    /// Its cosine with the question, when dense search found it.
    public var denseScore: Double?

    public init(number: Int, result: SearchResult) {
        self.number = number
        documentID = result.location?.documentID
        chunkID = result.chunkID
        source = result.source
        heading = result.headingPath
        text = result.text
        startOffset = result.location?.startOffset
        endOffset = result.location?.endOffset
        score = result.score
        denseScore = result.denseScore
    }
}
