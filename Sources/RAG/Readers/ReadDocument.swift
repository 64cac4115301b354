/// One section of a document: the heading breadcrumb that holds it and its text.
///
/// Chunking splits inside sections and never across them, and each chunk carries its breadcrumb, so a retrieved
/// passage can say where in the manual it came from.
public struct DocumentSection: Sendable, Equatable {
    /// The headings above this section, outermost first, e.g. `["User manual", "Charging", "First charge"]`;
    /// empty for the text before the first heading.
    public var headingPath: [String]
    /// The section's body, without its heading line; paragraphs are separated by `"\n\n"`.
    public var text: String
    /// Where `text` starts in ``ReadDocument/text``, counted in `Character`s.
    ///
    /// `document.text.dropFirst(startOffset).prefix(text.count) == text` always holds, so a chunk cut from a
    /// section can be located in the whole document (for highlighting, for citations).
    public var startOffset: Int

    public init(headingPath: [String], text: String, startOffset: Int) {
        self.headingPath = headingPath
        self.text = text
        self.startOffset = startOffset
    }
}

/// A document reduced to plain text plus its section structure, whatever format it came in.
public struct ReadDocument: Sendable, Equatable {
    /// Markdown's first level-1 heading, HTML's `<title>` (else its first `<h1>`); nil when there is none.
    public var title: String?
    /// The whole plain text: headings on their own paragraphs, paragraphs separated by `"\n\n"`.
    public var text: String
    /// The non-empty sections, in document order; headings with no body of their own are in `text` and in the
    /// breadcrumbs of the sections below them, but are not sections.
    public var sections: [DocumentSection]

    public init(title: String?, text: String, sections: [DocumentSection]) {
        self.title = title
        self.text = text
        self.sections = sections
    }
}
