import Foundation
import LanguageModel
import Logging
import RAG
import Synchronization

/// The running service's state: the loaded components (nil until the models are in memory), the
/// adapters, the queues and the metrics. Routes read it; nothing here knows about HTTP.
public final class RAGService: Sendable {
    public let settings: ServerSettings
    let logger = Logger(label: "rag.service")
    public let adapters: AdapterRegistry
    public let metrics = ServerMetrics()
    /// Answers waiting for and holding the model.
    public let generationQueue: AdmissionQueue
    /// Requests embedding text (search, embeddings).
    public let embeddingQueue: AdmissionQueue
    /// Writes to the collection, one at a time.
    public let writeQueue = AdmissionQueue(slots: 1, maxWaiting: 64)
    private let loaded = Mutex<ServiceComponents?>(nil)
    private let log = Mutex<ExperimentLog?>(nil)
    private let failure = Mutex<String?>(nil)

    public init(settings: ServerSettings) {
        self.settings = settings
        adapters = AdapterRegistry(directory: settings.adaptersDirectory)
        generationQueue = AdmissionQueue(slots: 1, maxWaiting: settings.queueLimit)
        embeddingQueue = AdmissionQueue(slots: settings.embeddingSlots, maxWaiting: settings.embeddingQueueLimit)
    }

    /// Makes the service ready with `components`; answers and feedback are logged in
    /// `experiments.sqlite` beside the collection.
    public func ready(_ components: ServiceComponents) throws {
        let path = components.collection.directory.appendingPathComponent("experiments.sqlite").path
        let experiments = try ExperimentLog(path: path)
        log.withLock { $0 = experiments }
        loaded.withLock { $0 = components }
    }

    /// The answer and feedback log (present once ready).
    public var experimentLog: ExperimentLog? { log.withLock { $0 } }

    /// Records why the models could not be loaded (/healthz reports it).
    public func failed(_ message: String) { failure.withLock { $0 = message } }

    public var components: ServiceComponents? { loaded.withLock { $0 } }
    public var loadFailure: String? { failure.withLock { $0 } }

    /// Waits, at most `seconds`, until no answer holds or waits for the model, the model has
    /// finished its last forward pass, and no search, embedding or ingest runs; false when some
    /// work was still running.
    ///
    /// For after the server stopped: a request whose client went away leaves work running (a
    /// generation stops only at its next token, a search or an ingest not at all), and a process
    /// that exits under it can crash as its libraries are torn down (seen once: inside OpenBLAS,
    /// as a server stopped just after a burst of requests exited).
    public func waitUntilIdle(seconds: Double) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(seconds)
        while generationQueue.runningCount + generationQueue.waitingCount > 0 {
            guard clock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        let model = components?.model
        // The waits below block a thread; not one of the few that run Swift's tasks.
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                model?.waitUntilIdle()
                let left = max(0, (deadline - clock.now) / .seconds(1))
                continuation.resume(returning: BlockingWork.waitUntilIdle(seconds: left))
            }
        }
    }

    /// The components, or 503 while the models load.
    func require() throws -> ServiceComponents {
        if let components { return components }
        if let loadFailure { throw APIError.unavailable("the models failed to load: \(loadFailure)") }
        throw APIError.unavailable("the models are still loading; retry in a few seconds")
    }

    /// The adapter that answers a request: the one it names (the base model's name for none), else,
    /// in an A/B test, the user's arm. Returns the adapter's name (nil for the base model).
    func chooseAdapter(named name: String?, user: String?, model: LanguageModel) -> String? {
        if let name, !name.isEmpty { return name == model.name ? nil : name }
        return settings.split?.arm(for: user)
    }

    /// The adapter a request names, as `ActiveAdapter`s: nil or the base model's name give none.
    func activeAdapters(named name: String?, weight: Float = 1, model: LanguageModel) throws -> [ActiveAdapter] {
        guard let name, !name.isEmpty, name != model.name else { return [] }
        guard let adapter = adapters.adapter(named: name) else {
            let loaded = adapters.adapters.keys.sorted()
            throw APIError.notFound(
                "no model or adapter named '\(name)'; the base model is '\(model.name)'"
                    + (loaded.isEmpty
                        ? ", and no adapter is loaded" : ", loaded adapters: \(loaded.joined(separator: ", "))"),
                param: "model", code: "model_not_found")
        }
        return [ActiveAdapter(adapter, weight: weight)]
    }
}
