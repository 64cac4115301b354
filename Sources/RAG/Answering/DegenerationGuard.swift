import Foundation

/// Stops an answer that has stopped saying anything new: a small model sometimes repeats a line
/// over and over, lists bare citation markers ("1. [1]", "2. [2]"), or starts copying the prompt's
/// passage list back. All three waste the answer budget and bury what came before.
///
/// Fed the text as it streams; `check` looks at each line once it is complete.
struct DegenerationGuard {
    /// Lines shorter than this may repeat ("- Yes", "1.").
    static let minimumLineLength = 12

    private var seen = Set<String>()
    /// Lines that held nothing but citation markers ("2. [2]").
    private var bareMarkerLines = 0
    private var pending = ""
    /// How each passage starts in the prompt ("[2] battery care: "): an answer line starting so is a copy.
    private let passageHeaders: [String]

    init(passages: [Passage]) {
        // A passage without a heading starts with its number alone, which an answer may too.
        passageHeaders = passages.filter { !$0.heading.isEmpty }.map { passage in
            Self.normalise(PromptBuilder.passageHeader(passage))
        }
    }

    /// Appends `piece`; when the answer degenerates, returns where to cut the text so far (the start
    /// of the offending line), nil while it does not.
    mutating func check(_ piece: String, textSoFar: String) -> String.Index? {
        pending += piece
        while let newline = pending.firstIndex(of: "\n") {
            let line = Self.normalise(String(pending[..<newline]))
            pending = String(pending[pending.index(after: newline)...])
            guard !line.isEmpty else { continue }
            let repeated = line.count >= Self.minimumLineLength && !seen.insert(line).inserted
            if CitationMarkers.strip(line).allSatisfy({ !$0.isLetter && !$0.isNumber }) { bareMarkerLines += 1 }
            if repeated || bareMarkerLines >= 2 || passageHeaders.contains(where: { line.hasPrefix($0) })
                || line.hasPrefix("passages from the manuals")
            {
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
