/// Everything that can go wrong while reading a document.
///
/// One enum for the readers, so an ingest run catches one type, reports the file and moves on to the next one.
/// Every case names the file, and `description` says what to do about it.
public enum ReaderError: Error, CustomStringConvertible, Equatable {
    /// The extension is not one of ``DocumentFormat``'s.
    case unsupportedFormat(path: String)
    /// A NUL byte in the first 8 KB: an image, an archive, an office file renamed to `.txt`.
    case binaryContent(path: String)
    /// Neither UTF-8 (with or without a byte-order mark) nor UTF-16 with a byte-order mark.
    ///
    /// There is no Latin-1 fallback: every byte sequence is valid Latin-1, so guessing would silently turn
    /// GBK or Shift-JIS manuals into mojibake that then gets embedded and cited.
    case invalidEncoding(path: String)
    /// The file is missing, a directory, or cannot be read.
    case unreadable(path: String, reason: String)
    /// `pdftotext` is not installed.
    case pdfToolMissing(path: String)
    /// `pdftotext` ran and failed (a corrupt or encrypted PDF) or ran past its time limit.
    case pdfFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .unsupportedFormat(let path):
            let known = DocumentFormat.knownExtensions.map { "." + $0 }.joined(separator: ", ")
            return "\(path): unsupported file type, expected one of \(known)"
        case .binaryContent(let path):
            return "\(path): binary content (a NUL byte in the first 8 KB), expected a text file"
        case .invalidEncoding(let path):
            return "\(path): not UTF-8 (nor UTF-16 with a byte-order mark); convert it first, "
                + "e.g. `iconv -f GBK -t UTF-8`"
        case .unreadable(let path, let reason):
            return "\(path): cannot read the file: \(reason)"
        case .pdfToolMissing(let path):
            return "\(path): reading PDFs needs `pdftotext`, which is not on PATH; "
                + "`make setup` installs it (Debian package poppler-utils)"
        case .pdfFailed(let path, let reason):
            return "\(path): pdftotext failed: \(reason)"
        }
    }
}
