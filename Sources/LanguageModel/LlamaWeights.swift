import Kernels
import ModelFiles

/// One decoder block's tensors: views into the memory-mapped file, never copies of the matrices.
struct LlamaLayerWeights: @unchecked Sendable {
    var attentionNorm: [Float]
    var query: QuantizedMatrix
    var key: QuantizedMatrix
    var value: QuantizedMatrix
    var output: QuantizedMatrix
    var queryBias: [Float]?
    var keyBias: [Float]?
    var valueBias: [Float]?
    var feedForwardNorm: [Float]
    var gate: QuantizedMatrix
    var up: QuantizedMatrix
    var down: QuantizedMatrix
}

/// Every tensor of a llama-family model, checked against the configuration.
///
/// The matrices point into the file's mapping, so the model's resident memory is the file's pages
/// plus the small norm vectors; the `GGUFFile` must outlive these views (`LanguageModel` keeps it).
/// With `interleave`, the block-quantised matrices are copied once with their rows interleaved by
/// four (`RowLayout.interleaved4`, the layout the 8-bit decoding kernels read fastest) and the
/// file's pages of each are dropped as soon as it is copied: the resident memory stays that of
/// one copy of the weights.
struct LlamaWeights: @unchecked Sendable {
    var tokenEmbedding: QuantizedMatrix
    var outputNorm: [Float]
    /// `output.weight`, or the token embedding when the model ties them (SmolLM2).
    var output: QuantizedMatrix
    var layers: [LlamaLayerWeights]
    /// The interleaved copies, when there are any.
    let storage: WeightStorage

    init(file: GGUFFile, configuration c: LlamaConfiguration, interleave: Bool = false) throws(LanguageModelError) {
        let storage = WeightStorage(file: file, interleave: interleave)
        self.storage = storage
        let loader = TensorLoader(file: file, storage: storage)
        tokenEmbedding = try loader.matrix("token_embd.weight", rows: c.vocabularySize, columns: c.width)
        outputNorm = try loader.vector("output_norm.weight", count: c.width)
        output =
            file.tensors["output.weight"] == nil
            ? tokenEmbedding : try loader.matrix("output.weight", rows: c.vocabularySize, columns: c.width)
        var layers: [LlamaLayerWeights] = []
        for index in 0..<c.layerCount {
            let p = "blk.\(index)."
            func bias(_ name: String, _ count: Int) throws(LanguageModelError) -> [Float]? {
                guard c.hasAttentionBiases || file.tensors[p + name] != nil else { return nil }
                return try loader.vector(p + name, count: count)
            }
            layers.append(
                LlamaLayerWeights(
                    attentionNorm: try loader.vector(p + "attn_norm.weight", count: c.width),
                    query: try loader.matrix(p + "attn_q.weight", rows: c.queryWidth, columns: c.width),
                    key: try loader.matrix(p + "attn_k.weight", rows: c.keyValueWidth, columns: c.width),
                    value: try loader.matrix(p + "attn_v.weight", rows: c.keyValueWidth, columns: c.width),
                    output: try loader.matrix(p + "attn_output.weight", rows: c.width, columns: c.queryWidth),
                    queryBias: try bias("attn_q.bias", c.queryWidth),
                    keyBias: try bias("attn_k.bias", c.keyValueWidth),
                    valueBias: try bias("attn_v.bias", c.keyValueWidth),
                    feedForwardNorm: try loader.vector(p + "ffn_norm.weight", count: c.width),
                    gate: try loader.matrix(p + "ffn_gate.weight", rows: c.feedForwardWidth, columns: c.width),
                    up: try loader.matrix(p + "ffn_up.weight", rows: c.feedForwardWidth, columns: c.width),
                    down: try loader.matrix(p + "ffn_down.weight", rows: c.width, columns: c.feedForwardWidth)))
        }
        self.layers = layers
        // The metadata was parsed into values and the norms copied: with every matrix copied too,
        // none of the file's pages is needed any more (one still touched is read back).
        if interleave { file.evictAllPages() }
    }
}

/// Reads tensors of a GGUF file as kernel views, with errors that name the tensor.
struct TensorLoader {
    let file: GGUFFile
    let storage: WeightStorage

    /// The kernel format of a GGUF tensor type, or nil when the kernels have none.
    static func format(_ type: GGUFTensorType) -> QuantizationFormat? {
        switch type {
        case .f32: return .f32
        case .f16: return .f16
        case .q4Zero: return .q40
        case .q4One: return .q41
        case .q8Zero: return .q80
        default: return nil
        }
    }

    func info(_ name: String) throws(LanguageModelError) -> GGUFTensorInfo {
        guard let info = file.tensors[name] else { throw .missingTensor(path: file.path, name: name) }
        return info
    }

    func bytes(_ name: String) throws(LanguageModelError) -> UnsafeRawBufferPointer {
        do { return try file.rawBytes(name) } catch { throw .unreadableFile("\(error)") }
    }

    /// A matrix of `rows` outputs by `columns` inputs (GGUF dimensions [columns, rows]).
    func matrix(_ name: String, rows: Int, columns: Int) throws(LanguageModelError) -> QuantizedMatrix {
        let info = try info(name)
        guard info.dimensions == [columns, rows] else {
            throw .shapeMismatch(path: file.path, name: name, expected: [columns, rows], found: info.dimensions)
        }
        guard let format = Self.format(info.type) else {
            throw .unsupportedTensorType(path: file.path, name: name, type: info.type.name)
        }
        let raw = try bytes(name)
        do {
            return storage.adopt(
                try QuantizedMatrix(bytes: raw, rows: rows, columns: columns, format: format), name, of: file)
        } catch {
            throw .unreadableFile("\(file.path): tensor '\(name)': \(error)")
        }
    }

    /// A float vector (norm weights, biases), converted from F32 or F16.
    func vector(_ name: String, count: Int) throws(LanguageModelError) -> [Float] {
        let info = try info(name)
        guard info.dimensions == [count] else {
            throw .shapeMismatch(path: file.path, name: name, expected: [count], found: info.dimensions)
        }
        guard info.type == .f32 || info.type == .f16, let format = Self.format(info.type) else {
            throw .unsupportedTensorType(path: file.path, name: name, type: info.type.name)
        }
        let raw = try bytes(name)
        guard let matrix = try? QuantizedMatrix(bytes: raw, rows: 1, columns: count, format: format) else {
            throw .shapeMismatch(path: file.path, name: name, expected: [count], found: info.dimensions)
        }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            matrix.dequantizeRow(0, into: buffer.baseAddress!)
            initialized = count
        }
    }
}

/// Memory for the weights copied out of the file (rows interleaved by four), freed with the model,
/// and the file's mapping, which the matrices that were not copied point into.
///
/// It keeps the mapping rather than the `GGUFFile`, so that the file's parsed metadata (the
/// vocabulary and merges, which the tokenizer has copied compactly) is freed once the model is loaded.
final class WeightStorage: @unchecked Sendable {
    let mapping: AnyObject & Sendable
    let interleave: Bool
    private var buffers: [UnsafeMutableRawPointer] = []

    init(file: GGUFFile, interleave: Bool) {
        mapping = file.bytesOwner
        self.interleave = interleave
    }

    deinit { for buffer in buffers { buffer.deallocate() } }

    /// `matrix` itself, or with `interleave` (and a matrix that can be) its interleaved copy, the
    /// pages of tensor `name` of `file` then dropped.
    func adopt(_ matrix: QuantizedMatrix, _ name: String, of file: GGUFFile) -> QuantizedMatrix {
        guard interleave, matrix.canInterleave else { return matrix }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: matrix.byteCount, alignment: 64)
        buffers.append(buffer)
        let copy = matrix.interleaved(into: buffer)
        file.evictPages(of: name)
        return copy
    }
}
