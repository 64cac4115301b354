/// Stage 0 of the byte-level BPE pipeline: finds special tokens (`<|im_start|>`, `<|endoftext|>`, …) in the
/// text, before pre-tokenization, so that they become their own ids and never pieces of words.
///
/// The order follows llama.cpp's `tokenizer_st_partition`: the longest token is cut out of the whole text
/// first, then the next longest out of what is left, and so on (equal lengths by id). Within one token,
/// occurrences are taken left to right without overlapping each other. So when two special tokens overlap
/// in the text, the longer one wins, wherever it starts. Only exact matches count: `<|im_start` or
/// `<|IM_START|>` are ordinary text.
struct SpecialTokenMatcher: Sendable {
    private struct Pattern: Sendable {
        var scalars: [Unicode.Scalar]
        var id: Int
        /// The position in the cutting order: longest first.
        var order: Int
    }

    /// Patterns by first scalar.
    private let patterns: [UInt32: [Pattern]]

    var isEmpty: Bool { patterns.isEmpty }

    /// `tokens` are (text, id) pairs; empty texts are ignored.
    init(_ tokens: [(text: String, id: Int)]) {
        let sorted = tokens.filter { !$0.text.isEmpty }.map { (Array($0.text.unicodeScalars), $0.id) }
            .sorted { ($0.0.count, -$0.1) > ($1.0.count, -$1.1) }
        var patterns: [UInt32: [Pattern]] = [:]
        for (order, token) in sorted.enumerated() {
            patterns[token.0[0].value, default: []].append(Pattern(scalars: token.0, id: token.1, order: order))
        }
        self.patterns = patterns
    }

    /// Appends the segments of `text` to `segments`: plain text ranges and special token ids, in text order.
    /// - Complexity: O(n·k) to find the k candidate tokens per position, then O(m log m) for m occurrences.
    func split(_ text: [Unicode.Scalar], into segments: inout [Segment]) {
        guard !text.isEmpty else { return }
        guard !patterns.isEmpty else {
            segments.append(.text(0..<text.count))
            return
        }
        // Every occurrence of every token, by cutting order, then position.
        var occurrences: [(order: Int, start: Int, pattern: Pattern)] = []
        for start in text.indices {
            guard let candidates = patterns[text[start].value] else { continue }
            for pattern in candidates where matches(pattern.scalars, text, at: start) {
                occurrences.append((pattern.order, start, pattern))
            }
        }
        guard !occurrences.isEmpty else {
            segments.append(.text(0..<text.count))
            return
        }
        occurrences.sort { ($0.order, $0.start) < ($1.order, $1.start) }

        var claimed = [Bool](repeating: false, count: text.count)
        var accepted: [(start: Int, end: Int, id: Int)] = []
        var lastEnd = (order: -1, end: 0)
        for occurrence in occurrences {
            let end = occurrence.start + occurrence.pattern.scalars.count
            if occurrence.order == lastEnd.order && occurrence.start < lastEnd.end { continue }
            if claimed[occurrence.start..<end].contains(true) { continue }
            for index in occurrence.start..<end { claimed[index] = true }
            accepted.append((occurrence.start, end, occurrence.pattern.id))
            lastEnd = (occurrence.order, end)
        }
        accepted.sort { $0.start < $1.start }
        var textStart = 0
        for token in accepted {
            if textStart < token.start { segments.append(.text(textStart..<token.start)) }
            segments.append(.token(token.id))
            textStart = token.end
        }
        if textStart < text.count { segments.append(.text(textStart..<text.count)) }
    }

    private func matches(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar], at start: Int) -> Bool {
        guard text.count - start >= pattern.count else { return false }
        for offset in pattern.indices where text[start + offset] != pattern[offset] { return false }
        return true
    }

    /// A part of the text: plain text to pre-tokenize, or a special token's id.
    enum Segment: Equatable {
        case text(Range<Int>)
        case token(Int)
    }
}
