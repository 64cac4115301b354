import ArgumentParser

/// `rag bench`: speed measurements that print JSON, never timed assertions in tests.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the speed of a component.",
        subcommands: [
            BenchEmbedCommand.self, BenchIndexCommand.self, BenchIngestCommand.self, BenchKernelsCommand.self,
            BenchLLMCommand.self, BenchMatmulCommand.self,
        ]
    )
}
