import Foundation

/// The shape of a BERT-family encoder, read from the folder's `config.json`.
///
/// Fields follow Hugging Face's `BertConfig`; anything the forward pass here does not implement
/// (another activation, relative positions) is refused up front rather than computed wrongly.
public struct BertConfiguration: Sendable, Equatable {
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    public var layerNormEpsilon: Float
    public var maxPositions: Int
    public var typeVocabularySize: Int
    public var vocabularySize: Int

    public var headSize: Int { hiddenSize / headCount }

    static let supportedModelTypes: Set<String> = ["bert"]

    init(url: URL) throws(EmbedderError) {
        let object = try JSONObjectFile(url: url)
        hiddenSize = try object.int("hidden_size")
        layerCount = try object.int("num_hidden_layers")
        headCount = try object.int("num_attention_heads")
        intermediateSize = try object.int("intermediate_size")
        layerNormEpsilon = Float(try object.double("layer_norm_eps", default: 1e-12))
        maxPositions = try object.int("max_position_embeddings")
        typeVocabularySize = try object.int("type_vocab_size", default: 2)
        vocabularySize = try object.int("vocab_size")

        let modelType = try object.string("model_type", default: "bert")
        guard Self.supportedModelTypes.contains(modelType) else {
            throw .unsupported(path: url.path, field: "model_type", found: "'\(modelType)' (supported: bert)")
        }
        let activation = try object.string("hidden_act", default: "gelu")
        guard activation == "gelu" else {
            throw .unsupported(path: url.path, field: "hidden_act", found: "'\(activation)' (supported: gelu)")
        }
        let positions = try object.string("position_embedding_type", default: "absolute")
        guard positions == "absolute" else {
            throw .unsupported(
                path: url.path, field: "position_embedding_type", found: "'\(positions)' (supported: absolute)")
        }
        for (field, value) in [
            ("hidden_size", hiddenSize), ("num_hidden_layers", layerCount), ("num_attention_heads", headCount),
            ("intermediate_size", intermediateSize), ("max_position_embeddings", maxPositions),
            ("vocab_size", vocabularySize), ("type_vocab_size", typeVocabularySize),
        ] where value <= 0 {
            throw .invalidConfiguration(path: url.path, field: field, reason: "must be positive, found \(value)")
        }
        guard hiddenSize % headCount == 0 else {
            throw .invalidConfiguration(
                path: url.path, field: "num_attention_heads",
                reason: "must divide hidden_size \(hiddenSize), found \(headCount)")
        }
    }
}
