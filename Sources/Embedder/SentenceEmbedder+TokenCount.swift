extension SentenceEmbedder {
    /// Tokens `text` takes with `[CLS]` and `[SEP]`, before truncation: what a caller compares
    /// with `maxSequenceLength` to know whether the end of the text would be ignored.
    public func fullTokenCount(_ text: String) -> Int {
        tokenizer.tokenize(layout.lowercaseInput ? text.lowercased() : text).count + 2
    }
}
