/// Plain text (and `pdftotext`'s output) → one section of paragraphs.
///
/// Plain text has no headings to trust (a short line in capitals may or may not be one), so the whole file is
/// one section with an empty breadcrumb and chunking falls back to paragraphs.
enum PlainTextReader {
    static func read(_ content: String) -> ReadDocument {
        var assembler = SectionAssembler()
        let cleaned = SectionAssembler.cleanBlock(content)
        for paragraph in cleaned.split(separator: "\n\n") {
            assembler.paragraph(String(paragraph))
        }
        return assembler.finish()
    }

    /// `pdftotext`'s output: it ends every page with a form feed, which becomes a paragraph break (a paragraph
    /// cut by a page turns into two, which chunking tolerates).
    static func readPDFText(_ content: String) -> ReadDocument {
        read(content.replacing("\u{0C}", with: "\n\n"))
    }
}
