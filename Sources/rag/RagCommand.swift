import ArgumentParser

/// The `rag` command line: the root of the command tree.
@main
struct RagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rag",
        abstract: "Self-hosted retrieval-augmented question answering with native models.",
        subcommands: [
            IngestCommand.self, SearchCommand.self, DocumentsCommand.self, IndexCommand.self, EvalCommand.self,
            EmbedCommand.self, TokenizeCommand.self, GenerateCommand.self, AdaptersCommand.self, BenchCommand.self,
            AskCommand.self, ServeCommand.self, ABCommand.self,
        ]
    )
}
