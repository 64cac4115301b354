import Embedder
import Foundation
import TestSupport
import Testing

/// One text of `minilm/embeddings.json`, produced by sentence-transformers.
struct ReferenceEmbedding: Decodable {
    let text: String
    let inputIDs: [Int]
    let embedding: [Float]

    enum CodingKeys: String, CodingKey {
        case text, embedding
        case inputIDs = "input_ids"
    }
}

func cosine(_ a: [Float], _ b: [Float]) -> Double {
    var dot = 0.0
    var normA = 0.0
    var normB = 0.0
    for (x, y) in zip(a, b) {
        dot += Double(x) * Double(y)
        normA += Double(x) * Double(x)
        normB += Double(y) * Double(y)
    }
    return dot / max((normA * normB).squareRoot(), 1e-30)
}

/// Loaded once: the model is 90 MB and every test reads it.
let sharedMiniLM: Result<SentenceEmbedder, Error> = Result {
    try SentenceEmbedder(folder: try TestResources.requireMiniLM())
}

@Suite("Sentence embedder parity with sentence-transformers")
struct SentenceEmbedderTests {
    let references: [ReferenceEmbedding]

    init() throws {
        references = try JSONDecoder().decode(
            [ReferenceEmbedding].self, from: try TestResources.fixture("minilm/embeddings.json"))
    }

    @Test("every fixture embedding is reproduced, one text at a time, to cosine 0.99999 and 1e-4 per component")
    func singleTextsMatchReference() throws {
        let model = try sharedMiniLM.get()
        #expect(model.dimension == 384)
        #expect(model.maxSequenceLength == 256)
        for reference in references {
            let embedding = model.embed(reference.text)
            #expect(
                embedding.tokenCount == reference.inputIDs.count, "token count for \(reference.text.debugDescription)")
            let similarity = cosine(embedding.vector, reference.embedding)
            #expect(similarity >= 0.99999, "cosine \(similarity) for \(reference.text.debugDescription)")
            let worst = zip(embedding.vector, reference.embedding).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-4, "max |Δ| \(worst) for \(reference.text.debugDescription)")
        }
    }

    @Test("the encoder sees exactly the reference token ids")
    func tokenIDsMatchReference() throws {
        let model = try sharedMiniLM.get()
        for reference in references {
            #expect(model.tokenIDs(reference.text) == reference.inputIDs, "\(reference.text.debugDescription)")
        }
    }

    @Test("a packed batch gives the same vectors as texts one by one, in input order")
    func batchesMatchSingleTexts() throws {
        let model = try sharedMiniLM.get()
        let texts = references.map(\.text)
        for batchSize in [1, 3, 32] {
            let batch = model.embed(texts, batchSize: batchSize)
            #expect(batch.count == texts.count)
            for (embedding, reference) in zip(batch, references) {
                let similarity = cosine(embedding.vector, reference.embedding)
                #expect(
                    similarity >= 0.99999,
                    "batch \(batchSize): cosine \(similarity) for \(reference.text.debugDescription)")
            }
        }
    }

    @Test("embeddings have unit length, and an empty text gets a valid one")
    func embeddingsAreNormalised() throws {
        let model = try sharedMiniLM.get()
        let empty = model.embed("")
        #expect(empty.tokenCount == 2)
        let norm = empty.vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        #expect(abs(norm - 1) < 1e-5)
        #expect(model.embed([]).isEmpty)
    }

    @Test("one embedder serves concurrent callers with the same results")
    func concurrentCallersAgree() async throws {
        let model = try sharedMiniLM.get()
        let texts = references.map(\.text)
        let expected = model.embed(texts)
        try await withThrowingTaskGroup(of: [SentenceEmbedding].self) { group in
            for _ in 0..<4 { group.addTask { model.embed(texts, batchSize: 4) } }
            for try await result in group {
                for (a, b) in zip(result, expected) { #expect(cosine(a.vector, b.vector) > 0.999999) }
            }
        }
    }

    @Test("splitting one batch across threads gives the same vectors as one thread", arguments: [1, 3])
    func threadCountsAgree(threads: Int) throws {
        let model = try SentenceEmbedder(folder: try TestResources.requireMiniLM(), threads: threads)
        #expect(model.threadCount == threads)
        for reference in references.prefix(4) {
            let similarity = cosine(model.embed(reference.text).vector, reference.embedding)
            #expect(similarity >= 0.99999, "\(threads) threads: cosine \(similarity)")
        }
    }
}
