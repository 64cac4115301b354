/// The kinds of file the readers understand.
public enum DocumentFormat: String, Sendable, CaseIterable {
    case text
    case markdown
    case html
    case pdf

    /// By file extension (case-insensitive, with or without the dot): txt/text → text; md/markdown → markdown;
    /// html/htm → html; pdf → pdf; anything else → nil.
    ///
    /// The extension, not the content, decides, because sniffing cannot tell Markdown from plain text and an
    /// ingest run should treat every file of a folder the same way on every run.
    public init?(fileExtension: String) {
        var lowered = fileExtension.lowercased()
        if lowered.hasPrefix(".") { lowered.removeFirst() }
        switch lowered {
        case "txt", "text": self = .text
        case "md", "markdown": self = .markdown
        case "html", "htm": self = .html
        case "pdf": self = .pdf
        default: return nil
        }
    }

    /// The extensions `init(fileExtension:)` accepts, for messages.
    static let knownExtensions = ["txt", "text", "md", "markdown", "html", "htm", "pdf"]
}
