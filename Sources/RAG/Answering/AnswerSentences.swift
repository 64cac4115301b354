/// Splits an answer into the sentences that the support check judges one by one.
enum AnswerSentences {
    /// Sentences of `text`: split at line breaks and sentence ends; a citation marker that opens a
    /// sentence ("... 90 minutes. [1] Charge ...") belongs to the sentence before it, and the
    /// number of a list written inline ("Empty the bin; 2. Wash it") to the sentence after it.
    static func split(_ text: String) -> [String] {
        var sentences: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let characters = Array(line)
            var itemNumber = ""
            for range in TextUnits.sentences(characters, in: 0..<characters.count) {
                var sentence = itemNumber + String(characters[range])
                itemNumber = ""
                while let marker = CitationMarkers.markers(in: sentence).first,
                    marker.range.lowerBound == sentence.startIndex, !sentences.isEmpty
                {
                    sentences[sentences.count - 1] += " " + sentence[marker.range]
                    sentence = String(sentence[marker.range.upperBound...]).trimmingLeadingSpaces()
                }
                let more = range.upperBound < characters.count
                if more, ListMarker.isNumberAlone(Substring(sentence)) {
                    itemNumber = sentence + " "
                    continue
                }
                if more, let number = trailingItemNumber(sentence) {
                    itemNumber = String(sentence[number]) + " "
                    sentence = String(sentence[..<number.lowerBound]).trimmingTrailingSpaces()
                }
                if !sentence.isEmpty { sentences.append(sentence) }
            }
        }
        return sentences
    }

    /// The range of a list item's number ending `sentence` after a ";", ":" or "," ("dry it; 3."),
    /// which opens the next item rather than ending this one.
    private static func trailingItemNumber(_ sentence: String) -> Range<String.Index>? {
        let trimmed = sentence.trimmingTrailingSpaces()
        guard trimmed.hasSuffix(".") else { return nil }
        let body = trimmed.dropLast()
        let digits = body.reversed().prefix { $0.isASCII && $0.isNumber }.count
        guard (1...2).contains(digits) else { return nil }
        let beforeNumber = body.dropLast(digits)
        guard beforeNumber.last == " ", let separator = beforeNumber.dropLast().last(where: { $0 != " " }),
            ";:,".contains(separator)
        else { return nil }
        return body.index(body.endIndex, offsetBy: -digits)..<trimmed.endIndex
    }
}

extension StringProtocol {
    fileprivate func trimmingLeadingSpaces() -> String { String(drop(while: { $0 == " " })) }
    fileprivate func trimmingTrailingSpaces() -> String {
        String(reversed().drop(while: { $0 == " " }).reversed())
    }
}
