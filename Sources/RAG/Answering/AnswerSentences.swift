/// Splits an answer into the sentences that the support check judges one by one.
enum AnswerSentences {
    /// Sentences of `text`: split at line breaks and sentence ends; a citation marker that opens a
    /// sentence ("... 90 minutes. [1] Charge ...") belongs to the sentence before it.
    static func split(_ text: String) -> [String] {
        var sentences: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let characters = Array(line)
            for range in TextUnits.sentences(characters, in: 0..<characters.count) {
                var sentence = String(characters[range])
                while let marker = CitationMarkers.markers(in: sentence).first,
                    marker.range.lowerBound == sentence.startIndex, !sentences.isEmpty
                {
                    sentences[sentences.count - 1] += " " + sentence[marker.range]
                    sentence = String(sentence[marker.range.upperBound...]).trimmingLeadingSpaces()
                }
                if !sentence.isEmpty { sentences.append(sentence) }
            }
        }
        return sentences
    }
}

extension String {
    fileprivate func trimmingLeadingSpaces() -> String { String(drop(while: { $0 == " " })) }
}
