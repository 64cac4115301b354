import Foundation

/// Stops an answer that has stopped saying anything new: a small model sometimes repeats a line
/// over and over, or a phrase between citation markers within one line ("[5] Cleaning the side
/// brush: [6] Cleaning the side brush: ..."), lists bare citation markers ("1. [1]", "2. [2]"), or
/// starts copying the prompt's passage list back. All of these waste the answer budget and bury
/// what came before.
///
/// It sits between the model and the reader: fed the text as it streams, it passes on at once
/// every line that can no longer turn degenerate, and holds back the start of a line that still
/// might (one that so far repeats an earlier line, a passage header or bare markers) until the
/// line shows what it is, or grows past `holdLimit`. So a stream never shows text that the
/// finished answer leaves out, and never stalls for long: a reader that has gone away is noticed
/// when the next text is written to it.
///
/// An answer that opens by copying one passage with its header ("[2] Battery care: Charge it
/// fully.") is what a small model writes when that passage answers the question: that line is kept
/// as the passage's words with its citation ("Charge it fully. [2]"). Any later header ends the answer.
struct DegenerationGuard {
    /// Lines, and phrases between citation markers, shorter than this may repeat ("- Yes", "1.").
    static let minimumLineLength = 12
    /// Characters of a line held back at most: by then a repeat or a copied header is plain.
    static let holdLimit = 240

    /// What a passage's header looks like at the start of an answer line, and the passage's number.
    private struct Header {
        var normalised: String
        var number: Int

        /// The citation a copy of the passage's `words` gets: " [n]", unless they hold it already.
        func citation(of words: String) -> String {
            words.contains("[\(number)]") ? "" : " [\(number)]"
        }
    }

    private var seen = Set<String>()
    /// Lines that held nothing but citation markers ("2. [2]").
    private var bareMarkerLines = 0
    private var headerCopies = 0
    /// The line being generated, its length in characters, and whether its start has been passed
    /// on (it is then safe).
    private var line = ""
    private var lineLength = 0
    private var lineShown = false
    /// The line's text since its last citation marker began, and the phrases between markers seen
    /// so far in the answer.
    private var phrase = ""
    private var phrasesSeen = Set<String>()
    /// The end of a shown line held back while its phrase may still repeat an earlier one.
    private var heldPhrase = ""
    /// The citation a passage copy released before its line ended gets at the line's end.
    private var pendingCitation = ""
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
                guard let rest = completePhrase() else { break }
                shown += rest + completeLine(newline: true)
                continue
            }
            if character == "[" {
                guard let rest = completePhrase() else { break }
                shown += rest
            }
            phrase.append(character)
            line.append(character)
            lineLength += 1
            if lineShown {
                // Within a shown line, a phrase is held back while it may still repeat an earlier one.
                heldPhrase.append(character)
                if !mayRepeatPhrase() {
                    shown += heldPhrase
                    heldPhrase = ""
                }
            } else if isSafe(line) {
                lineShown = true
                // The phrase being written is a suffix of the line: it stays held while it may
                // repeat, and so does a list number or marker before it, which says nothing alone.
                if mayRepeatPhrase() {
                    let before = String(line.dropLast(phrase.count))
                    let saysNothing = Self.isBareMarkers(Self.normalise(before))
                    heldPhrase = saysNothing ? line : phrase
                    shown += show(saysNothing ? "" : before)
                } else {
                    shown += show(line)
                }
            } else if lineLength >= Self.holdLimit {
                shown += releaseLongLine()
            }
        }
        return shown
    }

    /// At the end of the answer: what is left of the last line that may be shown.
    mutating func finish() -> String {
        guard !ended, let rest = completePhrase() else { return "" }
        return rest + completeLine(newline: false)
    }

    /// Records the phrase just finished (at a citation marker or the line's end) and returns what
    /// was held of it; nil, and the answer ended, when it repeats an earlier phrase.
    private mutating func completePhrase() -> String? {
        defer {
            phrase = ""
            heldPhrase = ""
        }
        let key = Self.phraseKey(phrase)
        guard key.count < Self.minimumLineLength || phrasesSeen.insert(key).inserted else {
            ended = true
            return nil
        }
        return heldPhrase
    }

    /// Whether the phrase so far is the start of one seen before.
    private func mayRepeatPhrase() -> Bool {
        let key = Self.phraseKey(phrase)
        return !key.isEmpty && phrasesSeen.contains { $0.hasPrefix(key) }
    }

    /// A phrase as compared with the others: its words and numbers only, without citation markers,
    /// list marker or punctuation ("[5] Cleaning the brush: " and ". Cleaning the brush" agree).
    static func phraseKey(_ phrase: String) -> String {
        let words = normalise(CitationMarkers.strip(phrase)).map { $0.isLetter || $0.isNumber ? $0 : " " }
        return String(words).split(separator: " ").joined(separator: " ")
    }

    /// Decides a held line that has grown past `holdLimit`: a repeat of an earlier line or a
    /// copied header that is not the answer's opening ends the answer; an opening passage copy is
    /// shown from here on as the passage's words, its citation added at the line's end.
    private mutating func releaseLongLine() -> String {
        let normal = Self.normalise(line)
        if let header = headers.first(where: { normal.hasPrefix($0.normalised) }) {
            guard let words = openingCopy(line, after: header) else { return end() }
            pendingCitation = header.citation(of: words)
            lineShown = true
            // The words were trimmed; the space the line ends on now separates the next word.
            return show(words + (line.last == " " ? " " : ""))
        }
        if seen.contains(where: { $0.hasPrefix(normal) }) { return end() }
        lineShown = true
        return show(line)
    }

    /// Judges the finished line; returns what is still to be shown of it (and of the lines held
    /// before it), with its newline.
    private mutating func completeLine(newline: Bool) -> String {
        let raw = line
        let wasShown = lineShown
        let citation = pendingCitation
        line = ""
        lineLength = 0
        lineShown = false
        pendingCitation = ""
        let ending = newline ? "\n" : ""
        let normal = Self.normalise(raw)
        if wasShown {
            seen.insert(normal)
            return citation + ending
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
            guard let words = openingCopy(raw, after: header) else { return end() }
            seen.insert(normal)
            return show(words + header.citation(of: words) + ending)
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

    /// The words a header-led line copies from its passage when the line opens the answer (then
    /// it is what a small model writes when that passage answers); nil when it comes later (it
    /// starts the passage list over) or nothing follows the header.
    private mutating func openingCopy(_ raw: String, after header: Header) -> String? {
        headerCopies += 1
        guard headerCopies == 1, seen.isEmpty else { return nil }
        let body = ListMarker.dropping(Substring(raw.trimmingCharacters(in: .whitespaces)))
        let words = body.dropFirst(header.normalised.count).trimmingCharacters(in: .whitespaces)
        return words.contains(where: { $0.isLetter || $0.isNumber }) ? words : nil
    }

    private static func isBareMarkers(_ normal: String) -> Bool {
        CitationMarkers.strip(normal).allSatisfy { !$0.isLetter && !$0.isNumber }
    }

    /// Trimmed, lower-cased, without a list marker ("3. ", "- "): a list that repeats one item
    /// under new numbers repeats itself.
    static func normalise(_ line: String) -> String {
        ListMarker.dropping(Substring(line.trimmingCharacters(in: .whitespaces).lowercased()))
            .trimmingCharacters(in: .whitespaces)
    }
}
