import Foundation

/// Stops an answer that has stopped saying anything new: a small model sometimes repeats a line
/// over and over, or starts copying the prompt's passage list back. Both waste the answer budget
/// and bury what came before.
///
/// Fed the text as it streams; `check` looks at each line once it is complete.
struct DegenerationGuard {
    /// Lines shorter than this may repeat ("- Yes", "1.").
    static let minimumLineLength = 12

    private var seen = Set<String>()
    private var pending = ""
    private let passageHeaders: Set<String>

    init(passages: [Passage]) {
        passageHeaders = Set(
            passages.map { passage in
                let place = passage.heading.isEmpty ? passage.source : "\(passage.source) — \(passage.heading)"
                return Self.normalise("[\(passage.number)] \(place)")
            })
    }

    /// Appends `piece`; returns the length to keep of the text so far (everything before the
    /// offending line) when the answer degenerates, nil while it does not.
    mutating func check(_ piece: String, textSoFar: String) -> String.Index? {
        pending += piece
        while let newline = pending.firstIndex(of: "\n") {
            let line = Self.normalise(String(pending[..<newline]))
            pending = String(pending[pending.index(after: newline)...])
            guard !line.isEmpty else { continue }
            let repeated = line.count >= Self.minimumLineLength && !seen.insert(line).inserted
            if repeated || passageHeaders.contains(line) || line.hasPrefix("passages from the manuals") {
                // Cut at the start of this line: it ends with the newline just consumed plus `pending`.
                let lineLength = pending.count + 1 + Self.lengthOfLineEnding(textSoFar, before: pending.count + 1)
                return textSoFar.index(textSoFar.endIndex, offsetBy: -lineLength)
            }
        }
        return nil
    }

    /// Characters of the last complete line of `text`, which ends `suffix` characters before the end.
    private static func lengthOfLineEnding(_ text: String, before suffix: Int) -> Int {
        let end = text.index(text.endIndex, offsetBy: -suffix)
        let start = text[..<end].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        return text.distance(from: start, to: end)
    }

    /// Trimmed, lower-cased, without a list marker ("3. ", "- "): a list that repeats one item
    /// under new numbers repeats itself.
    static func normalise(_ line: String) -> String {
        var text = Substring(line.trimmingCharacters(in: .whitespaces).lowercased())
        let digits = text.prefix(while: \.isNumber)
        if !digits.isEmpty, let mark = text.dropFirst(digits.count).first, mark == "." || mark == ")" {
            text = text.dropFirst(digits.count + 1)
        } else if let first = text.first, "-*•".contains(first) {
            text = text.dropFirst()
        }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
