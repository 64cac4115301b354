import Foundation

/// Stops an answer that has stopped saying anything new: a small model sometimes repeats a line
/// over and over, lists bare citation markers ("1. [1]", "2. [2]"), or starts copying the prompt's
/// passage list back. All three waste the answer budget and bury what came before.
///
/// It sits between the model and the reader: fed the text as it streams, it passes on at once
/// every line that can no longer turn degenerate, and holds back the start of a line that still
/// might (one that so far repeats an earlier line, a passage header or bare markers) until the
/// line shows what it is. So a stream never shows text that the finished answer leaves out.
///
/// An answer that opens by copying one passage with its header ("[2] Battery care: Charge it
/// fully.") is what a small model writes when that passage answers the question: that line is kept
/// as the passage's words with its citation ("Charge it fully. [2]"). Any later header ends the answer.
struct DegenerationGuard {
    /// Lines shorter than this may repeat ("- Yes", "1.").
    static let minimumLineLength = 12

    /// What a passage's header looks like at the start of an answer line, and the passage's number.
    private struct Header {
        var normalised: String
        var number: Int
    }

    private var seen = Set<String>()
    /// Lines that held nothing but citation markers ("2. [2]").
    private var bareMarkerLines = 0
    private var headerCopies = 0
    /// The line being generated, and whether its start has been passed on (it is then safe).
    private var line = ""
    private var lineShown = false
    /// Finished lines not shown yet: bare markers, shown only before a line that says something.
    private var heldLines = ""
    private let headers: [Header]
    /// True once the answer has degenerated: nothing more is passed on.
    private(set) var ended = false

    init(passages: [Passage]) {
        // A passage without a heading starts with its number alone, which an answer may too.
        headers = passages.filter { !$0.heading.isEmpty }.map { passage in
            Header(normalised: Self.normalise(PromptBuilder.passageHeader(passage)), number: passage.number)
        }
    }

    /// Takes the next piece of the answer; returns the text that may be shown now (possibly empty).
    /// After `ended` turns true the rest of the answer is to be dropped.
    mutating func feed(_ piece: String) -> String {
        var shown = ""
        for character in piece where !ended {
            if character == "\n" {
                shown += completeLine(newline: true)
            } else {
                line.append(character)
                if lineShown {
                    shown.append(character)
                } else if isSafe(line) {
                    shown += show(line)
                    lineShown = true
                }
            }
        }
        return shown
    }

    /// At the end of the answer: what is left of the last line that may be shown.
    mutating func finish() -> String {
        ended ? "" : completeLine(newline: false)
    }

    /// Judges the finished line; returns what is still to be shown of it (and of the lines held
    /// before it), with its newline.
    private mutating func completeLine(newline: Bool) -> String {
        let raw = line
        let wasShown = lineShown
        line = ""
        lineShown = false
        let ending = newline ? "\n" : ""
        let normal = Self.normalise(raw)
        if wasShown {
            seen.insert(normal)
            return ending
        }
        if normal.isEmpty {
            guard heldLines.isEmpty else {
                heldLines += raw + ending
                return ""
            }
            return raw + ending
        }
        if normal.count >= Self.minimumLineLength && seen.contains(normal) { return end() }
        if let header = headers.first(where: { normal.hasPrefix($0.normalised) }) {
            // Kept only as the answer's opening: after an answer, it starts the passage list over.
            headerCopies += 1
            guard headerCopies == 1, seen.isEmpty, let kept = Self.passageWords(raw, after: header) else {
                return end()
            }
            seen.insert(normal)
            return show(kept + ending)
        }
        if normal.hasPrefix("passages from the manuals") { return end() }
        if Self.isBareMarkers(normal) {
            // Shown only if a line that says something follows.
            bareMarkerLines += 1
            if bareMarkerLines >= 2 { return end() }
            heldLines += raw + ending
            return ""
        }
        seen.insert(normal)
        return show(raw + ending)
    }

    private mutating func show(_ text: String) -> String {
        defer { heldLines = "" }
        return heldLines + text
    }

    /// Whether `text` says nothing: every line empty or bare citation markers.
    static func saysNothing(_ text: String) -> Bool {
        text.split(whereSeparator: \.isNewline).allSatisfy { isBareMarkers(normalise(String($0))) }
    }

    private mutating func end() -> String {
        ended = true
        return ""
    }

    /// Whether a line begun so can no longer become degenerate, whatever follows.
    private func isSafe(_ partial: String) -> Bool {
        let normal = Self.normalise(partial)
        if normal.isEmpty || normal.allSatisfy(\.isNumber) || Self.isBareMarkers(normal) { return false }
        if normal.hasPrefix("["), !normal.contains("]") { return false }
        func mayBecome(_ other: String) -> Bool { other.hasPrefix(normal) || normal.hasPrefix(other) }
        if headers.contains(where: { mayBecome($0.normalised) }) || mayBecome("passages from the manuals") {
            return false
        }
        return !seen.contains { $0.hasPrefix(normal) }
    }

    /// The words a header-led line copies from its passage, cited ("Charge it fully. [2]"); nil
    /// when nothing follows the header.
    private static func passageWords(_ raw: String, after header: Header) -> String? {
        let body = withoutListMarker(Substring(raw.trimmingCharacters(in: .whitespaces)))
        let words = body.dropFirst(header.normalised.count).trimmingCharacters(in: .whitespaces)
        guard words.contains(where: { $0.isLetter || $0.isNumber }) else { return nil }
        let marker = "[\(header.number)]"
        return words.contains(marker) ? words : words + " " + marker
    }

    private static func isBareMarkers(_ normal: String) -> Bool {
        CitationMarkers.strip(normal).allSatisfy { !$0.isLetter && !$0.isNumber }
    }

    /// Trimmed, lower-cased, without a list marker ("3. ", "- "): a list that repeats one item
    /// under new numbers repeats itself.
    static func normalise(_ line: String) -> String {
        withoutListMarker(Substring(line.trimmingCharacters(in: .whitespaces).lowercased()))
            .trimmingCharacters(in: .whitespaces)
    }

    private static func withoutListMarker(_ text: Substring) -> Substring {
        let digits = text.prefix(while: \.isNumber)
        if !digits.isEmpty, let mark = text.dropFirst(digits.count).first, mark == "." || mark == ")" {
            return text.dropFirst(digits.count + 1).drop(while: { $0 == " " })
        }
        if let first = text.first, "-*•".contains(first) { return text.dropFirst().drop(while: { $0 == " " }) }
        return text
    }
}
