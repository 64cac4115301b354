import Testing

@testable import ModelFiles

@Suite("NameSuggestion")
struct NameSuggestionTests {
    let names = [
        "embeddings.word_embeddings.weight", "embeddings.LayerNorm.weight",
        "encoder.layer.0.attention.self.query.weight",
        "encoder.layer.0.attention.self.key.weight",
    ]

    @Test("suggests the name with a checkpoint prefix added or removed")
    func matchesPrefixes() {
        #expect(
            NameSuggestion.closest(to: "bert.embeddings.LayerNorm.weight", among: names)
                == "embeddings.LayerNorm.weight")
        #expect(NameSuggestion.closest(to: "LayerNorm.weight", among: names) == "embeddings.LayerNorm.weight")
    }

    @Test("suggests a name a few edits away, and nothing for an unrelated name")
    func matchesTypos() {
        #expect(
            NameSuggestion.closest(to: "embeddings.layernorm.weight", among: names) == "embeddings.LayerNorm.weight")
        #expect(NameSuggestion.closest(to: "encoder.layer.0.attention.self.value.weight", among: names) != nil)
        #expect(NameSuggestion.closest(to: "lm_head.bias", among: names) == nil)
        #expect(NameSuggestion.closest(to: "", among: names) == nil)
        #expect(NameSuggestion.closest(to: "x", among: [String]()) == nil)
    }

    @Test("measures edit distance")
    func measuresEditDistance() {
        func distance(_ a: String, _ b: String) -> Int { NameSuggestion.editDistance(Array(a.utf8), Array(b.utf8)) }
        #expect(distance("kitten", "sitting") == 3)
        #expect(distance("", "abc") == 3)
        #expect(distance("abc", "") == 3)
        #expect(distance("", "") == 0)
        #expect(distance("same", "same") == 0)
    }
}
