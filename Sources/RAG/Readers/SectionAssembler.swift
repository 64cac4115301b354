/// Builds a ``ReadDocument`` from a stream of headings and paragraphs, the one place that decides the text's
/// layout and the sections' offsets.
///
/// Every reader (Markdown, HTML, plain text) only says "heading" or "paragraph"; this type joins the pieces with
/// `"\n\n"` and counts characters as it appends, so `startOffset` is right by construction instead of being
/// searched for afterwards (a search would find the wrong copy of a repeated paragraph). Pieces are cleaned
/// here (newlines unified, trailing spaces cut, blank-line runs collapsed), so the count is taken on what is
/// actually stored.
struct SectionAssembler {
    private var text = ""
    /// `text.count`, kept so that appending stays linear.
    private var length = 0
    private var headings: [(level: Int, text: String)] = []
    private var body: [String] = []
    private var bodyStart = 0
    private var sections: [DocumentSection] = []
    private var firstLevelOneHeading: String?

    /// Overrides the first level-1 heading as the title (HTML's `<title>`).
    var explicitTitle: String?

    /// Starts a section under a heading of `level` (1 = outermost): a heading replaces the previous one of its
    /// level and drops the deeper ones. An empty heading is ignored.
    mutating func heading(level: Int, _ raw: String) {
        let title = Self.singleLine(raw)
        guard !title.isEmpty else { return }
        closeSection()
        while let last = headings.last, last.level >= level { headings.removeLast() }
        headings.append((level, title))
        if level == 1, firstLevelOneHeading == nil { firstLevelOneHeading = title }
        append(title)
    }

    /// Adds a paragraph (it may hold several lines, even blank ones) to the current section; blank ones are
    /// dropped.
    mutating func paragraph(_ raw: String) {
        let cleaned = Self.cleanBlock(raw)
        guard !cleaned.isEmpty else { return }
        let start = append(cleaned)
        if body.isEmpty { bodyStart = start }
        body.append(cleaned)
    }

    mutating func finish() -> ReadDocument {
        closeSection()
        return ReadDocument(title: explicitTitle ?? firstLevelOneHeading, text: text, sections: sections)
    }

    private mutating func closeSection() {
        guard !body.isEmpty else { return }
        let sectionText = body.joined(separator: "\n\n")
        sections.append(DocumentSection(headingPath: headings.map(\.text), text: sectionText, startOffset: bodyStart))
        body = []
    }

    /// Appends a piece after a paragraph break and returns where it starts. A newline never joins the
    /// characters around it into one grapheme (once `\r` is gone), so the counts add up.
    @discardableResult
    private mutating func append(_ piece: String) -> Int {
        if length > 0 {
            text += "\n\n"
            length += 2
        }
        let start = length
        text += piece
        length += piece.count
        return start
    }

    // MARK: - Whitespace

    /// `\r\n` and `\r` become `\n`, trailing whitespace of each line goes, runs of blank lines become one blank
    /// line, and blank lines at either end go. Leading spaces stay: they are code indentation.
    static func cleanBlock(_ raw: String) -> String {
        var lines: [Substring] = []
        var blankPending = false
        for line in unifyNewlines(raw).split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = trimmingTrailingWhitespace(line)
            if trimmed.isEmpty {
                blankPending = !lines.isEmpty
            } else {
                if blankPending { lines.append("") }
                blankPending = false
                lines.append(trimmed)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// All whitespace runs, newlines included, as single spaces, trimmed: for headings and titles.
    static func singleLine(_ raw: String) -> String {
        raw.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func unifyNewlines(_ raw: String) -> String {
        guard raw.utf8.contains(UInt8(ascii: "\r")) else { return raw }
        var scalars = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in raw.unicodeScalars {
            if scalar == "\r" {
                scalars.append("\n")
                previousWasCR = true
            } else {
                if !(scalar == "\n" && previousWasCR) { scalars.append(scalar) }
                previousWasCR = false
            }
        }
        return String(scalars)
    }

    /// `line` without its trailing whitespace (spaces, tabs, no-break spaces).
    static func trimmingTrailingWhitespace(_ line: Substring) -> Substring {
        var end = line.endIndex
        while end > line.startIndex {
            let before = line.index(before: end)
            guard line[before].isWhitespace else { break }
            end = before
        }
        return line[line.startIndex..<end]
    }
}
