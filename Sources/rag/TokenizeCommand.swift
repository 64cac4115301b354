import ArgumentParser
import Foundation
import LanguageModel

/// `rag tokenize`: the language model's token ids of each text, as JSON lines.
struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the language model's token ids of each text as one JSON object per line.",
        discussion: """
            Each line is {"ids": [...]}, in the order of the input. Special tokens written in the text, such \
            as <|im_start|>, are recognised, and no BOS is added unless the model asks for one. Texts come \
            from the arguments, or with --jsonl from standard input, one per line, each a JSON string or an \
            object {"text": "..."}.
            """
    )

    @Option(
        name: .customLong("model"),
        help: ArgumentHelp(
            "A GGUF language model whose tokenizer to use.",
            discussion: "Default: models/\(ModelLocation.defaultGeneratorFile), installed by `make models`.",
            valueName: "file"))
    var modelFile: String?

    @Flag(help: "Read texts from standard input, one JSON string or {\"text\": ...} object per line.")
    var jsonl = false

    @Argument(help: "Texts to tokenize.")
    var texts: [String] = []

    func validate() throws {
        if jsonl && !texts.isEmpty {
            throw ValidationError("Give texts either as arguments or with --jsonl on standard input, not both.")
        }
        if !jsonl && texts.isEmpty {
            throw ValidationError("Give at least one text to tokenize, or --jsonl to read them from standard input.")
        }
    }

    func run() async throws {
        let inputs = jsonl ? try JSONLinesInput.read(from: FileHandle.standardInput) : texts
        let url = modelFile.map { URL(fileURLWithPath: $0) } ?? ModelLocation.defaultGenerator
        let tokenizer = try LanguageModel.loadTokenizer(url: url)
        var output = ""
        for text in inputs {
            output += "{\"ids\":[" + tokenizer.encode(text).map(String.init).joined(separator: ",") + "]}\n"
            if output.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(Data(output.utf8))
                output = ""
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}
