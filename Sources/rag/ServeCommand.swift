import ArgumentParser
import Foundation
import Hummingbird
import Logging
import RAG
import RAGServer

/// `rag serve`: the HTTP API over a collection, the language model and the adapters folder.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Answer questions over HTTP (native and OpenAI-compatible routes).",
        discussion: """
            Listens at once; /healthz answers 503 until the models are loaded (a few seconds). With an API key \
            ($RAG_API_KEY or --api-key), every route but /healthz needs Authorization: Bearer <key>. SIGTERM or \
            SIGINT stops accepting connections and finishes the answers in flight.
            """)

    @OptionGroup var answering: AnsweringOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one, printed at start).")
    var port = 8080

    @Option(
        help: ArgumentHelp("API key required on every route but /healthz (default: $RAG_API_KEY).", valueName: "key"))
    var apiKey: String?

    @Option(help: ArgumentHelp("Adapters to load at start, by name (repeatable).", valueName: "name"))
    var load: [String] = []

    @Option(
        help: ArgumentHelp(
            "An online A/B test: PERCENT of users (sticky by the request's user or X-User-Id) get adapter NAME.",
            valueName: "name:percent"))
    var ab: String?

    @Option(help: "Answers that may wait for the model before new ones get 429.")
    var queueLimit = 16

    @Option(help: "Largest JSON body in bytes.")
    var bodyLimit = 1 << 20

    @Option(help: "Largest document upload in bytes.")
    var uploadLimit = 32 << 20

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, got \(port).") }
        if let ab, TrafficSplit(argument: ab) == nil {
            throw ValidationError("--ab must be NAME:PERCENT with PERCENT from 0 to 100, got '\(ab)'.")
        }
        guard queueLimit >= 0 else { throw ValidationError("--queue-limit must be 0 or more, got \(queueLimit).") }
        guard bodyLimit >= 1024, uploadLimit >= 1024 else {
            throw ValidationError("--body-limit and --upload-limit must be at least 1024 bytes.")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let key = apiKey ?? ProcessInfo.processInfo.environment["RAG_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        var settings = ServerSettings(
            apiKey: key, bodyLimit: bodyLimit, uploadLimit: uploadLimit,
            adaptersDirectory: answering.adaptersDirectory, queueLimit: queueLimit)
        settings.split = ab.flatMap(TrafficSplit.init(argument:))
        let service = RAGService(settings: settings)
        let logger = Logger(label: "rag")
        let answering = answering
        let preload = load + (settings.split.map { [$0.adapter] } ?? [])
        // The server listens while the models load, so a supervisor sees /healthz answer 503, then 200.
        Task.detached {
            do {
                let components = try answering.load(queue: service.generationQueue)
                for name in preload { try service.adapters.load(name, for: components.model) }
                try service.ready(components)
                let adapters = service.adapters.adapters.keys.sorted().joined(separator: ", ")
                logger.info(
                    "ready: model \(components.model.name), embedder \(components.embedder.name), collection \(components.collection.directory.path), adapters [\(adapters)]"
                )
            } catch {
                service.failed("\(error)")
                logger.error("the models failed to load: \(error)")
            }
        }
        let host = host
        let app = RAGServer.application(service: service, host: host, port: port, logger: logger) { port in
            FileHandle.standardOutput.write(Data("rag serve: listening on http://\(host):\(port)\n".utf8))
        }
        try await app.runService()
        // The server has stopped and the answers in flight are done; work that requests whose
        // clients left started may still run, and exiting under it can crash in its libraries.
        if await !service.waitUntilIdle(seconds: 30) {
            logger.warning("stopping with work still running after 30 s")
        }
    }
}
