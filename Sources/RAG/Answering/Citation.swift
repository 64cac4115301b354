/// A passage an answer draws on: marked by the model with `[number]`, or, when the model cited
/// nothing for a sentence, inferred from the words the sentence shares with the passage.
public struct Citation: Sendable, Equatable, Codable {
    public var number: Int
    public var documentID: Int64?
    public var chunkID: Int64
    public var source: String
    public var heading: String
    public var startOffset: Int?
    public var endOffset: Int?
    public var score: Double
    /// True when the answer carried no marker for it and the support check found it.
    public var inferred: Bool

    public init(passage: Passage, inferred: Bool) {
        number = passage.number
        documentID = passage.documentID
        chunkID = passage.chunkID
        source = passage.source
        heading = passage.heading
        startOffset = passage.startOffset
        endOffset = passage.endOffset
        score = passage.score
        self.inferred = inferred
    }
}
