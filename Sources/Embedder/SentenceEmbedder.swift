import Foundation
import Kernels
import ModelFiles
import Synchronization
import Tokenizers

/// One sentence embedding and the number of tokens the encoder saw for it (with [CLS]/[SEP],
/// after truncation).
public struct SentenceEmbedding: Sendable, Equatable {
    public var vector: [Float]
    public var tokenCount: Int
}

/// A sentence encoder loaded from a sentence-transformers folder (all-MiniLM-L6-v2, bge-small,
/// e5-small and other BERT-family models): WordPiece, the BERT encoder, pooling and L2
/// normalisation, giving the vectors `SentenceTransformer.encode` gives.
///
/// Texts are embedded in batches spread over the cores, one batch per core at a time; within a
/// batch the sequences are packed without padding.
public final class SentenceEmbedder: Sendable {
    /// The folder the model was loaded from.
    public let folder: URL
    /// The folder's name, used as the model's name.
    public var name: String { folder.lastPathComponent }
    /// Length of the sentence vectors.
    public let dimension: Int
    /// Longest input in tokens, [CLS] and [SEP] included; longer texts are truncated.
    public let maxSequenceLength: Int
    /// The encoder's shape.
    public let configuration: BertConfiguration
    /// How many threads `embed` uses.
    public let threadCount: Int
    /// Float32 or int8 matrix products.
    public let precision: EmbeddingPrecision

    let tokenizer: WordPieceTokenizer
    let encoder: BertEncoder
    let layout: SentenceTransformerLayout
    /// Workspaces of finished calls, up to one per thread, each small enough to keep (a single
    /// query's): a fresh one meant zeroing new buffers and page faults on every query.
    private let spareWorkspaces = Mutex<[EncoderWorkspace]>([])

    /// Loads the model in `folder`.
    /// - Parameters:
    ///   - threads: threads for `embed`; nil uses every core this process may run on.
    ///   - precision: `exact` (float32, the default) or `fast` (int8 matrix products, see
    ///     `EmbeddingPrecision`); `fast` also quantises the weights at load.
    public init(folder: URL, threads: Int? = nil, precision: EmbeddingPrecision = .exact) throws(EmbedderError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw .modelFolderNotFound(path: folder.path)
        }
        self.folder = folder
        let configuration = try BertConfiguration(url: folder.appendingPathComponent("config.json"))
        let layout = try SentenceTransformerLayout(folder: folder)
        let tokenizer: WordPieceTokenizer
        do { tokenizer = try WordPieceTokenizer(folder: folder) } catch { throw .tokenizer(error) }
        guard tokenizer.vocabularySize <= configuration.vocabularySize else {
            throw .invalidConfiguration(
                path: folder.appendingPathComponent("config.json").path, field: "vocab_size",
                reason:
                    "is \(configuration.vocabularySize), smaller than the tokenizer's \(tokenizer.vocabularySize) tokens"
            )
        }
        let weightsURL = folder.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: weightsURL.path) else { throw .missingFile(path: weightsURL.path) }
        let file: SafetensorsFile
        do { file = try SafetensorsFile(url: weightsURL) } catch { throw .weights(error) }

        self.configuration = configuration
        self.layout = layout
        self.tokenizer = tokenizer
        let plan = FastProductPlan()
        var encoder = BertEncoder(
            configuration: configuration, weights: try BertWeights(file: file, configuration: configuration))
        let maxSequenceLength = min(layout.maxSequenceLength ?? configuration.maxPositions, configuration.maxPositions)
        if precision == .fast {
            encoder = BertEncoder(configuration: configuration, weights: encoder.weights.quantized(plan))
            encoder.plan = plan
            encoder.attentionKernel = true
        }
        self.encoder = encoder
        self.precision = precision
        self.maxSequenceLength = maxSequenceLength
        self.dimension = layout.pooling.count * configuration.hiddenSize
        self.threadCount = max(1, threads ?? Parallel.coreCount)
        // Each worker runs its own batch; OpenBLAS threads inside would oversubscribe the cores.
        BLASThreads.set(1)
    }

    /// The token ids the encoder sees for `text`: [CLS] … [SEP], truncated to `maxSequenceLength`.
    public func tokenIDs(_ text: String) -> [Int] {
        tokenizer.encode(layout.lowercaseInput ? text.lowercased() : text, maxLength: maxSequenceLength)
    }

    /// Embeds every text; results are in the order of `texts`.
    ///
    /// The texts are ordered longest first and cut into batches of at most `batchSize`, fewer when
    /// there are too few texts to give every thread a batch. Threads take batches from a shared
    /// counter, so a thread that drew short texts takes more of them.
    public func embed(_ texts: [String], batchSize: Int = 32) -> [SentenceEmbedding] {
        guard !texts.isEmpty else { return [] }
        let order = texts.indices.sorted { texts[$0].utf8.count > texts[$1].utf8.count }
        let perBatch = max(1, min(batchSize, (texts.count + threadCount - 1) / threadCount))
        let batches = stride(from: 0, to: order.count, by: perBatch).map {
            Array(order[$0..<min($0 + perBatch, order.count)])
        }

        let vectors = FloatBuffer(count: texts.count * dimension)
        let counts = TokenCounts(count: texts.count)
        let next = Atomic<Int>(0)
        let dimension = self.dimension
        let h = configuration.hiddenSize
        // Enough batches: one per thread at a time. Fewer (a single query): all threads share each.
        let workers = min(threadCount, batches.count)
        let threadsPerBatch = batches.count >= threadCount ? 1 : threadCount
        Parallel.forEach(workers) { _ in
            let workspace = spareWorkspaces.withLock { $0.popLast() } ?? EncoderWorkspace()
            defer { keepSpare(workspace) }
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < batches.count else { break }
                let batch = batches[index]
                let sequences = batch.map { tokenIDs(texts[$0]) }
                encoder.forward(sequences, workspace: workspace, threads: threadsPerBatch)
                var row = 0
                for (position, textIndex) in batch.enumerated() {
                    let length = sequences[position].count
                    let out = vectors.pointer + textIndex * dimension
                    layout.pooling.pool(workspace.hidden.pointer + row * h, length: length, width: h, into: out)
                    if layout.normalize { l2NormalizeInPlace(out, count: dimension) }
                    counts.values[textIndex] = length
                    row += length
                }
            }
        }
        return texts.indices.map { index in
            SentenceEmbedding(
                vector: Array(UnsafeBufferPointer(start: vectors.pointer + index * dimension, count: dimension)),
                tokenCount: counts.values[index])
        }
    }

    /// Keeps `workspace` for a later call when there is room and it is small; frees it otherwise.
    private func keepSpare(_ workspace: EncoderWorkspace) {
        guard workspace.tokenCapacity <= 2 * maxSequenceLength else { return }
        spareWorkspaces.withLock { spares in
            if spares.count < threadCount { spares.append(workspace) }
        }
    }

    /// Embeds one text.
    public func embed(_ text: String) -> SentenceEmbedding {
        embed([text])[0]
    }
}

/// Token counts written by the workers, each at its own text's index: disjoint writes through
/// a stable pointer, never through a shared Swift array (whose accessors are not thread-safe).
private final class TokenCounts: @unchecked Sendable {
    let values: UnsafeMutableBufferPointer<Int>
    init(count: Int) { values = .allocate(capacity: count) }
    deinit { values.deallocate() }
}
