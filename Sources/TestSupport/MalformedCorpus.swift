import Foundation

/// The checked-in regression corpus of hostile files, `Tests/Fixtures/malformed/KIND/`, KIND being the name
/// of the fuzz target that attacks the same reader (`gguf`, `gguf-model`, `tokenizer-gguf`, `safetensors`,
/// `adapter`, `tokenizer-json`, `html`, `markdown`).
///
/// The hand-made files come from `scripts/make-malformed-corpus.py`; inputs the fuzzer found are added by
/// hand as `fuzz-*`. Every test that reads a folder requires the same of each file: the reader parses it or
/// throws its module's typed error naming the file, and never crashes.
public enum MalformedCorpus {
    public static let folder = TestResources.repositoryRoot.appendingPathComponent("Tests/Fixtures/malformed")

    /// The file names of `kind`, sorted; empty when the folder is missing (a test of `isPresent` says so).
    public static func names(_ kind: String) -> [String] {
        let directory = folder.appendingPathComponent(kind)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted()
    }

    public static func url(_ kind: String, _ name: String) -> URL {
        folder.appendingPathComponent(kind).appendingPathComponent(name)
    }

    /// An adapter input (`adapter_config.json`, a NUL byte, `adapter_model.safetensors`) written out as the
    /// adapter folder `directory`, which is created.
    public static func writeAdapter(_ input: Data, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let bytes = Array(input)
        let split = bytes.firstIndex(of: 0) ?? bytes.count
        try Data(bytes[..<split]).write(to: directory.appendingPathComponent("adapter_config.json"))
        if split < bytes.count {
            try Data(bytes[(split + 1)...]).write(to: directory.appendingPathComponent("adapter_model.safetensors"))
        }
    }
}
