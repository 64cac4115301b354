/// Cuts a passage down to the run of its sentences nearest the question. Prefill of the passages
/// is most of the time to the first token, and a small model answers better from the sentences
/// that matter than from a whole chunk, so each passage gets a token budget.
///
/// The run is contiguous (a step list stays in order and a sentence keeps its neighbours'
/// context); it starts at the sentence that shares the most content words with the question and
/// grows towards the neighbour that shares more, while it fits. A cut edge is marked with "…".
public struct PassageFocus: Sendable {
    /// Most tokens of a passage's text in the prompt.
    public var tokenLimit: Int

    public init(tokenLimit: Int) {
        self.tokenLimit = max(1, tokenLimit)
    }

    /// `text` whole when it fits, else its run of sentences nearest `question`.
    /// - Parameter countTokens: the language model's token count of a piece of text.
    public func focus(_ text: String, question: String, countTokens: (String) -> Int) -> String {
        guard countTokens(text) > tokenLimit else { return text }
        let characters = Array(text)
        let sentences = Self.sentences(characters)
        guard !sentences.isEmpty else { return text }
        let asked = Set(ContentWords.of(question))
        let scores = sentences.map { range in
            Set(ContentWords.of(String(characters[range]))).intersection(asked).count
        }
        let costs = sentences.map { countTokens(String(characters[$0])) }

        // The best sentence: most question words shared, the earliest of equals.
        var first = scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) } ?? 0
        var last = first
        var used = costs[first]
        if used > tokenLimit {
            return Self.marked(
                Self.prefix(String(characters[sentences[first]]), tokenLimit: tokenLimit, countTokens: countTokens),
                cutBefore: first > 0 || sentences[first].lowerBound > 0, cutAfter: true)
        }
        while true {
            let before = first > 0 && used + costs[first - 1] <= tokenLimit ? first - 1 : nil
            let after = last + 1 < sentences.count && used + costs[last + 1] <= tokenLimit ? last + 1 : nil
            switch (before, after) {
            case (let before?, let after?):
                // The neighbour that shares more words; the following one on a tie, since what
                // follows a matching sentence usually carries on with it (the steps after "To reset:").
                if scores[before] > scores[after] {
                    first = before
                    used += costs[before]
                } else {
                    last = after
                    used += costs[after]
                }
            case (let before?, nil):
                first = before
                used += costs[before]
            case (nil, let after?):
                last = after
                used += costs[after]
            case (nil, nil):
                let run = String(characters[sentences[first].lowerBound..<sentences[last].upperBound])
                return Self.marked(run, cutBefore: first > 0, cutAfter: last < sentences.count - 1)
            }
        }
    }

    /// Sentence ranges of the text, each line split on its own (list items end without a full stop).
    static func sentences(_ characters: [Character]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var lineStart = 0
        for index in 0...characters.count where index == characters.count || characters[index] == "\n" {
            result += TextUnits.sentences(characters, in: lineStart..<index)
            lineStart = index + 1
        }
        return result
    }

    /// The longest run of whole words of `text` within the limit.
    static func prefix(_ text: String, tokenLimit: Int, countTokens: (String) -> Int) -> String {
        var kept = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let longer = kept.isEmpty ? String(word) : kept + " " + word
            if countTokens(longer) > tokenLimit { break }
            kept = longer
        }
        return kept
    }

    static func marked(_ run: String, cutBefore: Bool, cutAfter: Bool) -> String {
        (cutBefore ? "… " : "") + run + (cutAfter ? " …" : "")
    }
}
