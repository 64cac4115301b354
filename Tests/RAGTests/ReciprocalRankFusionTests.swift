import RAG
import Testing

@Suite("Reciprocal-rank fusion")
struct ReciprocalRankFusionTests {
    @Test("an item both lists rank well beats items only one list has")
    func agreementWins() {
        let fused = ReciprocalRankFusion.fuse([["a", "b", "c"], ["c", "d", "a"]])
        #expect(fused.map(\.id) == ["a", "c", "b", "d"])
        #expect(abs(fused[0].score - (1.0 / 61 + 1.0 / 63)) < 1e-12)
    }

    @Test("empty lists fuse to nothing, and one list keeps its order")
    func degenerateCases() {
        #expect(ReciprocalRankFusion.fuse([[Int]]()).isEmpty)
        #expect(ReciprocalRankFusion.fuse([[3, 1, 2], []]).map(\.id) == [3, 1, 2])
    }
}
