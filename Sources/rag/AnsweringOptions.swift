import ArgumentParser
import Embedder
import Foundation
import LanguageModel
import RAG
import RAGServer

/// What `rag serve` and `rag ask` load: the embedder (`--embedder`), the language model
/// (`--model`), the collection, the adapters folder, and how answers are grounded.
struct AnsweringOptions: ParsableArguments {
    @OptionGroup var collection: CollectionOptions
    @OptionGroup var languageModel: LanguageModelOptions

    @Option(
        help: ArgumentHelp(
            "A sentence-transformers model folder (BERT family).",
            discussion: "Default: models/all-MiniLM-L6-v2, installed by `make models`.", valueName: "dir"))
    var embedder: String?

    @Option(help: ArgumentHelp("The folder of LoRA adapters, loaded by name.", valueName: "dir"))
    var adapters = "adapters"

    @Option(help: "Threads for the models, 1 or more (default: every core).")
    var threads: Int?

    @Option(
        help: ArgumentHelp(
            "Below this cosine between the question and its nearest passage, answer that the manuals do not cover it.",
            valueName: "cosine"))
    var relevanceThreshold = QuestionAnswerer.defaultRelevanceThreshold

    @Option(
        help: ArgumentHelp(
            "Most tokens of each passage the model reads, the sentences nearest the question; 0 reads whole passages.",
            valueName: "n"))
    var passageTokens = PromptBuilder.defaultPassageTokenLimit

    func validate() throws {
        guard passageTokens >= 0 else {
            throw ValidationError("--passage-tokens must be 0 or more, got \(passageTokens).")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be 1 or more, got \(threads).") }
        guard (-1...1).contains(relevanceThreshold) else {
            throw ValidationError("--relevance-threshold must be between -1 and 1, got \(relevanceThreshold).")
        }
    }

    var adaptersDirectory: URL { URL(fileURLWithPath: adapters) }

    /// The folder of `--adapter NAME|DIR`: a name in the adapters folder, found as `rag serve`
    /// finds it, else the path of an adapter folder.
    func adapterFolder(_ argument: String) throws -> URL {
        if AdapterRegistry.isValidName(argument),
            let folder = try? AdapterRegistry(directory: adaptersDirectory).folder(for: argument)
        {
            return folder
        }
        let path = URL(fileURLWithPath: argument)
        if FileManager.default.fileExists(atPath: path.appendingPathComponent("adapter_config.json").path) {
            return path
        }
        throw CommandError(
            message: "no adapter '\(argument)': it is neither a folder with adapter_config.json in "
                + "\(adaptersDirectory.path) (choose the folder with --adapters; `make adapters` copies the shared "
                + "ones there) nor the path of an adapter folder")
    }

    /// Loads the embedder, the collection and the language model.
    func load(queue: AdmissionQueue) throws -> ServiceComponents {
        let folder = embedder.map { URL(fileURLWithPath: $0) } ?? ModelLocation.defaultEmbedder
        let sentenceEmbedder = try SentenceEmbedder(folder: folder, threads: threads)
        let documents = try collection.open(for: sentenceEmbedder)
        let model = try languageModel.load(threads: threads)
        return ServiceComponents(
            embedder: sentenceEmbedder, collection: documents, model: model, relevanceThreshold: relevanceThreshold,
            prompts: PromptBuilder(focus: passageTokens > 0 ? PassageFocus(tokenLimit: passageTokens) : nil),
            queue: queue)
    }
}
