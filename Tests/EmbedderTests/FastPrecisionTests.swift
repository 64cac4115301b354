import Embedder
import Foundation
import TestSupport
import Testing

/// Loaded once: quantising the weights takes a moment and every test reads them.
let sharedFastMiniLM: Result<SentenceEmbedder, Error> = Result {
    try SentenceEmbedder(folder: try TestResources.requireMiniLM(), precision: .fast)
}

@Suite("Fast (int8) precision stays close to sentence-transformers")
struct FastPrecisionTests {
    let references: [ReferenceEmbedding]

    init() throws {
        references = try JSONDecoder().decode(
            [ReferenceEmbedding].self, from: try TestResources.fixture("minilm/embeddings.json"))
    }

    @Test("every fixture text embedded fast keeps cosine 0.999 with the reference")
    func fixturesKeepCosine() throws {
        let model = try sharedFastMiniLM.get()
        #expect(model.precision == .fast)
        var worst = 1.0
        for reference in references {
            let embedding = model.embed(reference.text)
            #expect(embedding.tokenCount == reference.inputIDs.count)
            let similarity = cosine(embedding.vector, reference.embedding)
            worst = min(worst, similarity)
            #expect(similarity >= 0.999, "cosine \(similarity) for \(reference.text.debugDescription)")
        }
        print("fast precision: worst fixture cosine \(worst)")
    }

    @Test("fast and exact vectors agree to cosine 0.999 on longer random texts")
    func longerTextsAgreeWithExact() throws {
        let fast = try sharedFastMiniLM.get()
        let exact = try sharedMiniLM.get()
        let texts = RandomText.texts(count: 8, words: 40...220, seed: 2024)
        let fastVectors = fast.embed(texts)
        let exactVectors = exact.embed(texts)
        var worst = 1.0
        for (index, (a, b)) in zip(fastVectors, exactVectors).enumerated() {
            #expect(a.tokenCount == b.tokenCount)
            let similarity = cosine(a.vector, b.vector)
            worst = min(worst, similarity)
            #expect(similarity >= 0.999, "text \(index): cosine \(similarity)")
        }
        print("fast precision: worst random-text cosine to exact \(worst)")
    }

    @Test("fast and exact vectors agree to cosine 0.999 on Chinese manual passages")
    func chinesePassagesAgreeWithExact() throws {
        // Passages of 200+ tokens, one per character, were the worst of 572 texts measured when
        // the second feed-forward product kept 8 outliers per token (0.99896).
        let manual = TestResources.repositoryRoot.appendingPathComponent("corpora/aurora-x2/zh/售后服务.md")
        let passages = try String(contentsOf: manual, encoding: .utf8).components(separatedBy: "\n\n")
            .filter { $0.count > 20 }
        #expect(passages.count >= 20)
        let fast = try sharedFastMiniLM.get().embed(passages)
        let exact = try sharedMiniLM.get().embed(passages)
        var worst = 1.0
        for (index, (a, b)) in zip(fast, exact).enumerated() {
            let similarity = cosine(a.vector, b.vector)
            worst = min(worst, similarity)
            #expect(similarity >= 0.999, "passage \(index) (\(b.tokenCount) tokens): cosine \(similarity)")
        }
        print("fast precision: worst Chinese passage cosine to exact \(worst)")
    }

    @Test("a text's fast vector does not depend on its batch or on the thread count")
    func batchesAndThreadsAgree() throws {
        let model = try sharedFastMiniLM.get()
        let texts = references.map(\.text)
        let alone = texts.map { model.embed($0) }
        let batched = model.embed(texts, batchSize: 5)
        for (a, b) in zip(alone, batched) { #expect(cosine(a.vector, b.vector) > 0.999999) }
        let threaded = try SentenceEmbedder(folder: try TestResources.requireMiniLM(), threads: 3, precision: .fast)
        for (text, expected) in zip(texts.prefix(4), alone) {
            #expect(cosine(threaded.embed(text).vector, expected.vector) > 0.999999)
        }
    }

    @Test("exact is the default precision")
    func exactIsDefault() throws {
        #expect(try sharedMiniLM.get().precision == .exact)
    }
}

/// Seeded texts of common English words with some punctuation, for comparing precisions.
enum RandomText {
    static let words = """
        the of and to in is was for on that with as by at from this be are or an it which have has not \
        but all were when we there can more one been would their if other into will about time two may \
        first only new some could these such out then made used number over years system water after \
        device battery warranty return order customer service network settings password account screen \
        install update manual chapter section table figure memory storage power cable adapter signal \
        temperature pressure value result method analysis report process model data index search query
        """.split(separator: " ").map(String.init)

    static func texts(count: Int, words range: ClosedRange<Int>, seed: UInt64) -> [String] {
        var state = seed
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        return (0..<count).map { _ in
            let length = range.lowerBound + next() % (range.upperBound - range.lowerBound + 1)
            var text = ""
            for index in 0..<length {
                if index > 0 { text += next() % 9 == 0 ? ". " : next() % 7 == 0 ? ", " : " " }
                text += words[next() % words.count]
            }
            return text + "."
        }
    }
}
