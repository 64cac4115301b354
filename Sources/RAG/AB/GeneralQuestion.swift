import Foundation
import StrictJSON

/// A simple general question with a short answer (arithmetic, capitals, colours, units), asked
/// without retrieval to see whether an adapter trained on the manuals still answers what the base
/// model could: fine-tuning a small model on a narrow set can make it forget.
public struct GeneralQuestion: Sendable, Equatable, Codable {
    public var id: String
    public var question: String
    /// The reference answer, as short as possible ("Paris", "12").
    public var answer: String
    /// Other spellings that count as the same answer ("twelve" beside "12").
    public var alternatives: [String]

    public init(id: String, question: String, answer: String, alternatives: [String] = []) {
        self.id = id
        self.question = question
        self.answer = answer
        self.alternatives = alternatives
    }

    /// How a general answer is judged, in words for the report.
    public static let correctnessRule =
        "An answer is correct when the reference answer, or one of its listed alternatives, appears in it as whole "
        + "words after both are lower-cased and their punctuation is replaced by spaces (\"Paris.\" holds \"paris\"; "
        + "\"14\" does not hold \"4\")."

    /// Whether `text` holds the reference answer or an alternative (see `correctnessRule`).
    public func isCorrect(_ text: String) -> Bool {
        let said = " " + Self.normalise(text) + " "
        return ([answer] + alternatives).contains { expected in
            let wanted = Self.normalise(expected)
            guard !wanted.isEmpty else { return false }
            // Chinese and Japanese write no spaces between words, so there a plain substring counts.
            if wanted.unicodeScalars.contains(where: ContentWords.isIdeograph) { return said.contains(wanted) }
            return said.contains(" " + wanted + " ")
        }
    }

    /// Lower case, every character that is neither a letter nor a digit a space, runs of spaces
    /// one. A decimal point between digits stays ("2.5").
    static func normalise(_ text: String) -> String {
        let characters = Array(text.lowercased())
        var result = ""
        for (index, character) in characters.enumerated() {
            let betweenDigits =
                character == "." && index > 0 && index + 1 < characters.count
                && characters[index - 1].isNumber && characters[index + 1].isNumber
            if character.isLetter || character.isNumber || betweenDigits {
                result.append(character)
            } else if !result.isEmpty, result.last != " " {
                result.append(" ")
            }
        }
        return result.trimmingCharacters(in: .whitespaces)
    }

    /// Reads a JSON-lines file of `{"id", "question", "answer", "alternatives"?}` objects.
    public static func load(_ url: URL) throws -> [GeneralQuestion] {
        try JSONLinesFile.read(url) { value, number, problem in
            guard let question = value["question"]?.string, let answer = value["answer"]?.string else {
                throw problem("needs string fields \"question\" and \"answer\"")
            }
            var alternatives: [String] = []
            if let listed = value["alternatives"] {
                guard let array = listed.arrayItems, array.allSatisfy({ $0.string != nil }) else {
                    throw problem("\"alternatives\" must be a list of strings")
                }
                alternatives = array.compactMap(\.string)
            }
            return GeneralQuestion(
                id: value["id"]?.string ?? "line \(number)", question: question, answer: answer,
                alternatives: alternatives)
        }
    }
}
