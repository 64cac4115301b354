import Dispatch
import Foundation
import Kernels
import ModelFiles
import Tokenizers

/// `GGUFFile` has every metadata accessor the tokenizer asks for; this line is the whole glue
/// between the two foundation modules, which may not import each other.
extension GGUFFile: GGUFTokenizerMetadata {}

/// A llama-family model loaded from a GGUF file: weights, tokenizer and chat template, ready to
/// generate inside this process.
///
/// One instance can serve many generations; each has its own key/value cache. Generations run
/// one at a time on the model's own thread (a full queue is the caller's to bound), so a long
/// answer never blocks Swift's cooperative threads.
public final class LanguageModel: @unchecked Sendable {
    public let url: URL
    public let configuration: LlamaConfiguration
    public let tokenizer: BytePairTokenizer
    /// The chat template the file carries, when it is one this runtime renders.
    public let chatTemplate: ChatTemplate?
    /// How activations meet quantised weights (`.int8` fast, `.float32` reference).
    public let precision: ActivationPrecision
    let model: LlamaModel
    private let queue: DispatchQueue
    /// Caches of shared prompt prefixes (`GenerationOptions.reusablePrefixLength`).
    let prefixes = PrefixCache()
    /// How the streamed generations ended, the latest last (kept for tests of cancellation: 64 at most).
    let streamFinishes = Locked<[FinishReason]>([])

    /// Threads the products run on.
    public var threadCount: Int { model.pool.threadCount }

    /// The model's name: the file name without extension.
    public var name: String { url.deletingPathExtension().lastPathComponent }

    /// - Parameter threads: worker threads for the products; nil shares the process's pool (every core).
    public init(url: URL, precision: ActivationPrecision = .int8, threads: Int? = nil) throws(LanguageModelError) {
        self.url = url
        self.precision = precision
        let weights: LlamaWeights
        (configuration, tokenizer, chatTemplate, weights) = try Self.load(url: url, precision: precision)
        // The kernels split work across their own pool; OpenBLAS threads would compete with it.
        BLASThreads.set(1)
        model = try LlamaModel(
            configuration: configuration, weights: weights,
            pool: threads.map { WorkerPool(threads: max(1, $0)) } ?? .shared)
        queue = DispatchQueue(label: "rag.language-model.\(url.lastPathComponent)")
        // The file's parsed metadata is gone with `load`'s return (the weights keep only the mapping).
        FreedMemory.release()
    }

    /// Everything the model takes from the file at `url`.
    private static func load(url: URL, precision: ActivationPrecision) throws(LanguageModelError) -> (
        LlamaConfiguration, BytePairTokenizer, ChatTemplate?, LlamaWeights
    ) {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .unreadableFile(
                "\(url.path): no such file. Run `make models` for the default model, or pass --model with a GGUF file")
        }
        let file: GGUFFile
        do { file = try GGUFFile(url: url) } catch { throw .unreadableFile("\(error)") }
        let configuration = try LlamaConfiguration(file: file)
        let tokenizer: BytePairTokenizer
        do {
            tokenizer = try BytePairTokenizer(configuration: try BytePairConfiguration(metadata: file))
        } catch {
            throw .tokenizer("\(url.path): the tokenizer cannot be loaded: \(error)")
        }
        guard tokenizer.vocabularySize == configuration.vocabularySize else {
            throw .invalidMetadata(
                path: url.path, key: "tokenizer.ggml.tokens",
                reason: "has \(tokenizer.vocabularySize) tokens, the model \(configuration.vocabularySize)")
        }
        let chatTemplate = (try? file.string("tokenizer.chat_template")).flatMap { try? ChatTemplate(template: $0) }
        // The 8-bit kernels read rows interleaved by four; the float32 reference reads the file as is.
        let weights = try LlamaWeights(file: file, configuration: configuration, interleave: precision == .int8)
        return (configuration, tokenizer, chatTemplate, weights)
    }

    /// Only the tokenizer of the GGUF file at `url`, without checking the model's tensors.
    public static func loadTokenizer(url: URL) throws(LanguageModelError) -> BytePairTokenizer {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw .unreadableFile(
                "\(url.path): no such file. Run `make models` for the default model, or pass --model with a GGUF file")
        }
        let file: GGUFFile
        do { file = try GGUFFile(url: url) } catch { throw .unreadableFile("\(error)") }
        do {
            return try BytePairTokenizer(configuration: try BytePairConfiguration(metadata: file))
        } catch {
            throw .tokenizer("\(url.path): the tokenizer cannot be loaded: \(error)")
        }
    }

    /// Token ids of `text`, special tokens such as `<|im_start|>` recognised.
    public func encode(_ text: String) -> [Int] { tokenizer.encode(text) }

    /// The prompt for `messages` in the model's chat template, with the assistant turn opened.
    public func renderChat(_ messages: [ChatMessage]) throws(LanguageModelError) -> String {
        guard let chatTemplate else {
            throw .tokenizer("\(url.path) has no chat template this runtime can render (ChatML or Llama 3)")
        }
        return chatTemplate.render(messages, addGenerationPrompt: true)
    }

    /// A fresh context for up to `capacity` positions, through `adapters` (none: the base model).
    public func makeSession(capacity: Int, adapters: [ActiveAdapter] = []) throws(LanguageModelError)
        -> GenerationSession
    {
        guard capacity >= 1, capacity <= configuration.contextLength else {
            throw .contextExceeded(promptTokens: capacity, maxNewTokens: 0, contextLength: configuration.contextLength)
        }
        return GenerationSession(model: model, capacity: capacity, precision: precision, adapters: adapters)
    }

    /// Forgets the cached prompt prefixes (their keys and values hold on to adapters).
    public func clearPrefixCache() { prefixes.removeAll() }

    /// Waits until the model has finished every generation started or queued so far (a cancelled
    /// one stops at its next token), so that a process can exit without pulling memory from under it.
    public func waitUntilIdle() {
        queue.sync {}
    }

    /// Prefixes whose keys and values are cached.
    public var cachedPrefixCount: Int { prefixes.count }

    /// Checks that a prompt and `options` fit before any work starts.
    public func validate(promptTokens: [Int], options: GenerationOptions) throws(LanguageModelError) {
        if let problem = options.problem { throw .invalidOption(problem) }
        guard !promptTokens.isEmpty else { throw .emptyPrompt }
        if let bad = promptTokens.first(where: { $0 < 0 || $0 >= configuration.vocabularySize }) {
            throw .invalidToken(id: bad, vocabularySize: configuration.vocabularySize)
        }
        guard promptTokens.count + options.maxTokens <= configuration.contextLength else {
            throw .contextExceeded(
                promptTokens: promptTokens.count, maxNewTokens: options.maxTokens,
                contextLength: configuration.contextLength)
        }
    }

    /// Generates a continuation of `promptTokens`, streaming text pieces as they are decoded and a
    /// summary at the end. Stops at `maxTokens`, a stop sequence, the end-of-turn token, or when
    /// the consumer stops iterating (cancellation is checked between tokens).
    public func generate(promptTokens: [Int], options: GenerationOptions) -> AsyncThrowingStream<
        GenerationEvent, Error
    > {
        let (stream, continuation) = AsyncThrowingStream<GenerationEvent, Error>.makeStream()
        let cancelled = Locked(false)
        continuation.onTermination = { _ in cancelled.set(true) }
        queue.async { [self] in
            do {
                let summary = try generate(
                    promptTokens: promptTokens, options: options,
                    promptProcessed: { continuation.yield(.promptProcessed(cachedTokens: $0)) },
                    isCancelled: { cancelled.current }
                ) { piece in
                    continuation.yield(.text(piece))
                }
                streamFinishes.append(summary.finishReason)
                continuation.yield(.finished(summary))
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        return stream
    }

    /// The generation loop, synchronously on the caller's thread: `emit` gets each piece of text,
    /// `promptLogits` (when given) the logits after the prompt, `promptProcessed` how many prompt
    /// tokens the prefix cache supplied, and `isCancelled` is polled between tokens.
    public func generate(
        promptTokens: [Int], options: GenerationOptions, promptLogits: (([Float]) -> Void)? = nil,
        promptProcessed: ((Int) -> Void)? = nil, isCancelled: () -> Bool = { false }, emit: (String) -> Void
    ) throws(LanguageModelError) -> GenerationSummary {
        try validate(promptTokens: promptTokens, options: options)
        let clock = ContinuousClock()
        let started = clock.now
        let session = try makeSession(capacity: promptTokens.count + options.maxTokens, adapters: options.adapters)
        var sampler = TokenSampler(options: options.sampling)
        sampler.observe(promptTokens)
        var decoder = TokenStreamDecoder(tokenizer: tokenizer)
        var stops = StopSequenceMatcher(stops: options.stop)
        var reused = prefixes.restore(into: session, prompt: promptTokens)
        let cached = reused
        let prefixLength = options.reusablePrefixLength
        if reused < prefixLength && prefixLength < promptTokens.count {
            _ = session.prefill(Array(promptTokens[reused..<prefixLength]))
            prefixes.store(tokens: Array(promptTokens[..<prefixLength]), from: session)
            reused = prefixLength
        }
        var logits = session.prefill(Array(promptTokens[reused...]))
        promptLogits?(logits)
        promptProcessed?(cached)
        var ids: [Int] = []
        var firstToken: Duration?
        var reason = FinishReason.length
        while ids.count < options.maxTokens {
            if isCancelled() {
                reason = .cancelled
                break
            }
            let token = logits.withUnsafeBufferPointer { sampler.sample($0) }
            ids.append(token)
            if firstToken == nil { firstToken = clock.now - started }
            if options.stopAtEndOfGeneration && tokenizer.endOfGenerationIDs.contains(token) {
                reason = .stop
                break
            }
            let step = stops.feed(decoder.append(token))
            if !step.text.isEmpty { emit(step.text) }
            if step.stopped {
                reason = .stop
                break
            }
            if ids.count == options.maxTokens { break }
            logits = session.step(token)
        }
        if reason != .stop {
            // Cut short by the token budget or the consumer: a character left half-generated is
            // dropped, never shown as U+FFFD.
            decoder.dropUnfinished()
            let rest = stops.flush()
            if !rest.isEmpty { emit(rest) }
        }
        let total = clock.now - started
        return GenerationSummary(
            promptTokens: promptTokens.count, cachedPromptTokens: cached, generatedTokens: ids.count, ids: ids,
            finishReason: reason,
            timeToFirstToken: (firstToken ?? total).seconds, totalSeconds: total.seconds)
    }
}

/// A value one thread sets and another reads.
final class Locked<Value>: @unchecked Sendable {
    fileprivate let lock = NSLock()
    fileprivate var value: Value
    init(_ value: Value) { self.value = value }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
    var current: Value { lock.withLock { value } }
}

extension Locked where Value == [FinishReason] {
    func append(_ reason: FinishReason) {
        lock.withLock {
            value.append(reason)
            if value.count > 64 { value.removeFirst() }
        }
    }
}

extension Duration {
    /// The duration in seconds, for reports and timings.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
