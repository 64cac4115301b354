import Foundation

/// PDF → text through poppler's `pdftotext`.
///
/// Extracting text from PDF means fonts, encodings, CMaps and content streams; poppler does that well and is one
/// `apt-get` away (`make setup` installs poppler-utils), so it runs as a child process, not a library: a crash or
/// a hang on a hostile file stays in the child, and a time limit ends it.
enum PDFReader {
    /// How long `pdftotext` may run on one file; a large manual takes a few seconds.
    static let defaultTimeLimit: TimeInterval = 60

    /// The text of the PDF at `path`, with `-layout` so that table columns stay apart, as UTF-8.
    /// - Parameter tool: the `pdftotext` to run; by default the one on `PATH`.
    static func extractText(
        path: String,
        tool: URL? = nil,
        timeLimit: TimeInterval = defaultTimeLimit
    ) throws(ReaderError) -> String {
        guard let tool = tool ?? locateExecutable(named: "pdftotext") else { throw .pdfToolMissing(path: path) }
        // Output goes to files, not pipes: a pipe fills at 64 KB and would block the child while we wait for it.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rag-pdf-\(UUID().uuidString)")
        let outputURL = scratch.appendingPathExtension("txt")
        let errorURL = scratch.appendingPathExtension("err")
        defer {
            try? FileManager.default.removeItem(at: outputURL)
            try? FileManager.default.removeItem(at: errorURL)
        }
        let process = Process()
        process.executableURL = tool
        // A file named "-x.pdf" must not read as an option.
        process.arguments = ["-layout", "-enc", "UTF-8", path.hasPrefix("-") ? "./" + path : path, "-"]
        do {
            guard FileManager.default.createFile(atPath: outputURL.path, contents: nil),
                FileManager.default.createFile(atPath: errorURL.path, contents: nil)
            else { throw CocoaError(.fileWriteUnknown) }
            let output = try FileHandle(forWritingTo: outputURL)
            let errors = try FileHandle(forWritingTo: errorURL)
            defer {
                try? output.close()
                try? errors.close()
            }
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = output
            process.standardError = errors
            try process.run()
        } catch {
            throw .pdfFailed(path: path, reason: "cannot run \(tool.path): \(error.localizedDescription)")
        }

        let deadline = Date().addingTimeInterval(timeLimit)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning {
            process.terminate()
            let grace = Date().addingTimeInterval(1)
            while process.isRunning, Date() < grace { Thread.sleep(forTimeInterval: 0.01) }
            // The child leads its own process group on Linux; killing the group also ends anything it started,
            // which would otherwise hold up waitUntilExit.
            kill(-process.processIdentifier, SIGKILL)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw .pdfFailed(path: path, reason: "stopped after \(String(format: "%g", timeLimit)) s without finishing")
        }
        process.waitUntilExit()

        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let stderr = (try? Data(contentsOf: errorURL)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let status =
                process.terminationReason == .exit
                ? "exit status \(process.terminationStatus)" : "killed by signal \(process.terminationStatus)"
            let detail = stderr.split(whereSeparator: \.isNewline).suffix(5).joined(separator: "; ")
            throw .pdfFailed(path: path, reason: detail.isEmpty ? status : "\(status): \(detail)")
        }
        do {
            // -enc UTF-8 was asked for; a stray invalid byte becomes U+FFFD rather than losing the document.
            return String(decoding: try Data(contentsOf: outputURL), as: UTF8.self)
        } catch {
            throw .pdfFailed(path: path, reason: "cannot read pdftotext's output: \(error.localizedDescription)")
        }
    }

    /// The first executable called `name` in `PATH`, then in the usual install places (a service started
    /// by systemd or launchd may have a minimal `PATH`).
    static func locateExecutable(
        named name: String,
        searchPath: String? = ProcessInfo.processInfo.environment["PATH"]
    ) -> URL? {
        let directories =
            (searchPath ?? "").split(separator: ":").map(String.init) + [
                "/usr/bin", "/usr/local/bin", "/opt/homebrew/bin",
            ]
        for directory in directories where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }
}
