import Testing

@testable import RAG

@Suite("The bootstrap's SplitMix64 generator")
struct BootstrapRandomTests {
    @Test("draws the reference sequence of Vigna's splitmix64.c for seed 1234567")
    func referenceSequence() {
        var random = BootstrapRandom(seed: 1_234_567)
        let draws = (0..<5).map { _ in random.next() }
        #expect(
            draws == [
                6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
                4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
            ])
    }

    @Test("indices stay below the bound and cover it")
    func indices() {
        var random = BootstrapRandom(seed: 7)
        var seen = Set<Int>()
        for _ in 0..<1000 {
            let index = random.index(below: 10)
            #expect((0..<10).contains(index))
            seen.insert(index)
        }
        #expect(seen.count == 10)
    }
}
