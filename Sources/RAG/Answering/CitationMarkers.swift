/// The `[n]` markers in an answer: `[2]`, `[1, 3]`, `[1][2]`, `[Passage 2]`.
public enum CitationMarkers {
    /// The numbers cited in `text`, in order of first appearance, without repeats.
    public static func numbers(in text: String) -> [Int] {
        var seen = Set<Int>()
        return markers(in: text).flatMap(\.numbers).filter { seen.insert($0).inserted }
    }

    /// Each marker's range in `text` and the numbers it holds.
    public static func markers(in text: String) -> [(range: Range<String.Index>, numbers: [Int])] {
        var found: [(Range<String.Index>, [Int])] = []
        var index = text.startIndex
        while let open = text[index...].firstIndex(of: "[") {
            guard let close = text[open...].firstIndex(of: "]") else { break }
            let inside = text[text.index(after: open)..<close]
            if let numbers = parse(inside) { found.append((open..<text.index(after: close), numbers)) }
            index = text.index(after: open)
        }
        return found
    }

    /// `text` without its markers (and the space before each), for comparing words.
    public static func strip(_ text: String) -> String {
        var result = text
        for marker in markers(in: text).reversed() {
            var lower = marker.range.lowerBound
            while lower > result.startIndex, result[result.index(before: lower)] == " " {
                lower = result.index(before: lower)
            }
            result.removeSubrange(lower..<marker.range.upperBound)
        }
        return result
    }

    /// Numbers separated by commas, spaces or "and", optionally after a word such as "Passage";
    /// nil when the brackets hold anything else.
    static func parse(_ inside: Substring) -> [Int]? {
        guard inside.count <= 40 else { return nil }
        var words = inside.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" })
        if let first = words.first, ["passage", "source", "doc", "document"].contains(first.lowercased()) {
            words.removeFirst()
        }
        let parts = words.filter { $0.lowercased() != "and" }
        let numbers = parts.compactMap { Int($0) }.filter { (1...999).contains($0) }
        guard !parts.isEmpty, numbers.count == parts.count else { return nil }
        return numbers
    }
}
