import Testing

@testable import VectorIndex

@Suite("Keyword analyzer for FTS5")
struct KeywordAnalyzerTests {
    @Test("a Chinese run is indexed as its characters and overlapping pairs; other text is kept")
    func indexesChineseRuns() {
        let indexed = KeywordAnalyzer.indexText("电池保修24个月, battery warranty")
        let tokens = Set(indexed.split(separator: " ").map(String.init))
        for expected in ["电", "池", "保", "修", "电池", "池保", "保修", "个月", "battery", "warranty"] {
            #expect(tokens.contains(expected) || indexed.contains(expected), "\(expected) in \(indexed)")
        }
        #expect(indexed.contains("24"))
        #expect(indexed.contains("battery warranty"))
    }

    @Test("a two-character query becomes its bigram; a longer one its bigrams, OR-ed with words")
    func buildsMatchExpressions() {
        #expect(KeywordAnalyzer.matchExpression("保修") == "\"保修\"")
        #expect(KeywordAnalyzer.matchExpression("大") == "\"大\"")
        #expect(KeywordAnalyzer.matchExpression("保修期多长") == "\"保修\" OR \"修期\" OR \"期多\" OR \"多长\"")
        #expect(KeywordAnalyzer.matchExpression("Wi-Fi 连接失败?") == "\"Wi\" OR \"Fi\" OR \"连接\" OR \"接失\" OR \"失败\"")
    }

    @Test("FTS5 syntax in a query is plain text, and a query with no terms gives nil")
    func neutralisesSyntax() {
        #expect(
            KeywordAnalyzer.matchExpression("reset AND \"E4\" OR title:x*")
                == "\"reset\" OR \"E4\" OR \"title\" OR \"x\"")
        #expect(KeywordAnalyzer.matchExpression("?!  ...") == nil)
        #expect(KeywordAnalyzer.matchExpression("") == nil)
        #expect(KeywordAnalyzer.matchExpression("Reset reset RESET") == "\"Reset\"")
    }

    @Test("English function words leave the query unless it has nothing else")
    func dropsFunctionWords() {
        #expect(KeywordAnalyzer.matchExpression("my vacuum says E1") == "\"vacuum\" OR \"says\" OR \"E1\"")
        #expect(KeywordAnalyzer.matchExpression("How do I reset it?") == "\"reset\"")
        #expect(KeywordAnalyzer.matchExpression("to be or not") == "\"not\"")
        #expect(KeywordAnalyzer.matchExpression("What is it") == "\"What\" OR \"is\" OR \"it\"")
    }

    @Test("Japanese kana and Thai count as unsegmented; Latin, Cyrillic and Hangul do not")
    func scripts() {
        #expect(KeywordAnalyzer.isUnsegmented("ひ"))
        #expect(KeywordAnalyzer.isUnsegmented("カ"))
        #expect(KeywordAnalyzer.isUnsegmented("ก"))
        #expect(!KeywordAnalyzer.isUnsegmented("a"))
        #expect(!KeywordAnalyzer.isUnsegmented("ж"))
        #expect(!KeywordAnalyzer.isUnsegmented("한"))
    }
}
