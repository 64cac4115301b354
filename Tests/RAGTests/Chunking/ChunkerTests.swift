import RAG
import Testing

@Suite("Chunker")
struct ChunkerTests {
    /// One token per whitespace-separated word, and one per CJK character: enough to test sizes.
    static let countWords: @Sendable (String) -> Int = { text in
        text.split(whereSeparator: \.isWhitespace).reduce(0) { total, word in
            total + max(1, word.unicodeScalars.filter { (0x4E00...0x9FFF).contains($0.value) }.count)
        }
    }

    func document(_ sections: [([String], String)]) -> ReadDocument {
        var text = ""
        var parsed: [DocumentSection] = []
        for (path, body) in sections {
            if !text.isEmpty { text += "\n\n" }
            parsed.append(DocumentSection(headingPath: path, text: body, startOffset: text.count))
            text += body
        }
        return ReadDocument(title: nil, text: text, sections: parsed)
    }

    func words(_ count: Int, prefix: String) -> String {
        (0..<count).map { "\(prefix)\($0)" }.joined(separator: " ")
    }

    @Test("small sections become one chunk each, never merged across headings, with the breadcrumb")
    func sectionsStaySeparate() {
        let chunker = Chunker(options: ChunkingOptions(targetTokens: 50), countTokens: Self.countWords)
        let doc = document([(["Manual", "Charging"], "Plug it in."), (["Manual", "Wi-Fi"], "Use 2.4 GHz.")])
        let chunks = chunker.chunks(of: doc)
        #expect(chunks.map(\.headingPath) == ["Manual > Charging", "Manual > Wi-Fi"])
        #expect(chunks.map(\.text) == ["Plug it in.", "Use 2.4 GHz."])
        #expect(chunks[0].embeddingText == "Charging\nPlug it in.\nManual")
        let nested = Chunk(
            text: "Hold Power.", headingPath: "Manual > Reset > Soft", startOffset: 0, endOffset: 11, tokenCount: 3)
        #expect(nested.embeddingText == "Soft\nHold Power.\nManual > Reset")
    }

    @Test("long sections are packed by paragraphs and sentences under the target, with overlap")
    func packingAndOverlap() {
        let paragraphs = (0..<6).map { "\(words(12, prefix: "p\($0)w")). \(words(12, prefix: "p\($0)x"))." }
        let doc = document([(["Guide"], paragraphs.joined(separator: "\n\n"))])
        let chunker = Chunker(
            options: ChunkingOptions(targetTokens: 60, overlapTokens: 15), countTokens: Self.countWords)
        let chunks = chunker.chunks(of: doc)
        #expect(chunks.count >= 3)
        for chunk in chunks {
            #expect(Self.countWords(chunk.text) <= 60, "\(chunk.text)")
            #expect(String(Array(doc.text)[chunk.startOffset..<chunk.endOffset]) == chunk.text)
        }
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            #expect(next.startOffset < previous.endOffset, "neighbours overlap")
            #expect(next.endOffset > previous.endOffset, "each chunk brings new text")
        }
        #expect(chunks.last?.endOffset == doc.text.count)
    }

    @Test("Chinese sentences split at 。！？ and an overlong run without marks is cut in pieces")
    func chineseAndOverlong() {
        let sentence = String(repeating: "电", count: 20) + "。"
        let doc = document([
            (["售后服务"], String(repeating: sentence, count: 6)), ([], String(repeating: "池", count: 200)),
        ])
        let chunker = Chunker(
            options: ChunkingOptions(targetTokens: 45, overlapTokens: 0), countTokens: Self.countWords)
        let chunks = chunker.chunks(of: doc)
        for chunk in chunks { #expect(Self.countWords(chunk.text) <= 45) }
        #expect(chunks.filter { $0.headingPath == "售后服务" }.allSatisfy { $0.text.hasSuffix("。") })
        #expect(chunks.filter { $0.headingPath.isEmpty }.map(\.text).joined() == String(repeating: "池", count: 200))
    }

    @Test("options are clamped: target within the maximum, overlap at most half the target")
    func optionsClamp() {
        let options = ChunkingOptions(targetTokens: 1000, overlapTokens: 900, maximumTokens: 254)
        #expect(options.targetTokens == 254)
        #expect(options.overlapTokens == 127)
    }

    @Test("an empty document gives no chunks")
    func empty() {
        #expect(
            Chunker(countTokens: Self.countWords).chunks(of: ReadDocument(title: nil, text: "", sections: [])).isEmpty)
    }
}
