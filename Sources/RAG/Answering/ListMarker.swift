/// The marker that opens a list item in an answer: a number with "." or ")" ("3. ", "12) ") or a
/// bullet ("- ", "* ", "• "), followed by a space or nothing. It orders the answer; it states no
/// fact, and a list that repeats one item under new numbers repeats itself.
enum ListMarker {
    /// `text` without its leading marker and the spaces around it ("2.5 litres" has none).
    static func dropping(_ text: Substring) -> Substring {
        let trimmed = text.drop { $0 == " " }
        return trimmed.dropFirst(length(of: trimmed)).drop { $0 == " " }
    }

    /// Whether `text` is a numbered marker and nothing else ("2.", " 3) ").
    static func isNumberAlone(_ text: Substring) -> Bool {
        let trimmed = text.drop { $0 == " " }
        let marker = length(of: trimmed)
        return marker > 0 && trimmed.first?.isNumber == true && trimmed.dropFirst(marker).allSatisfy { $0 == " " }
    }

    /// Characters of the marker that opens `text`; 0 for none.
    private static func length(of text: Substring) -> Int {
        let digits = text.prefix { $0.isASCII && $0.isNumber }.count
        let marker: Int
        if let first = text.first, "-*•".contains(first) {
            marker = 1
        } else if (1...3).contains(digits), let mark = text.dropFirst(digits).first, mark == "." || mark == ")" {
            marker = digits + 1
        } else {
            return 0
        }
        return text.dropFirst(marker).first?.isWhitespace ?? true ? marker : 0
    }
}
