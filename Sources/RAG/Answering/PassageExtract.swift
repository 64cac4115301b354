/// The answer given when the model's own says nothing (it was empty, or degenerated before its
/// first real line): the opening sentences of the best passage, cited, so that a reader still
/// gets what the manuals say instead of a blank.
enum PassageExtract {
    /// Most characters taken from the passage, whole sentences only (at least one).
    static let characterLimit = 300

    /// The first sentences of the first passage, up to `characterLimit`, with its citation marker;
    /// nil when there is no passage with text.
    static func answer(from passages: [Passage]) -> String? {
        guard let passage = passages.first else { return nil }
        var text = ""
        for sentence in AnswerSentences.split(passage.text) {
            let sentence = CitationMarkers.strip(sentence)
            if !text.isEmpty && text.count + sentence.count + 1 > characterLimit { break }
            text += (text.isEmpty ? "" : " ") + sentence
        }
        guard text.contains(where: { $0.isLetter || $0.isNumber }) else { return nil }
        return text + " [\(passage.number)]"
    }
}
