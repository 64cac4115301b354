import Foundation
import Kernels
import ModelFiles

/// One linear layer: its weight packed for `PackedWeights.multiply`, in `fast` precision also
/// quantised for `Int8PackedWeights.multiply` (which shares the float panels for its outliers),
/// and its bias.
struct BertLinear: Sendable {
    let weight: PackedWeights  // (out, in)
    let int8: Int8PackedWeights?  // (out, in)
    let bias: FloatBuffer  // (out)

    var outputs: Int { weight.outputs }
    var inputs: Int { weight.inputs }
}

/// The weights of one encoder layer, shapes given in PyTorch's `[out, in]` terms.
///
/// Query, key and value projections are concatenated into one `[3·H, H]` matrix at load so that
/// one matrix product computes all three.
struct BertLayerWeights: Sendable {
    let queryKeyValue: BertLinear  // (3H, H)
    let attentionOutput: BertLinear  // (H, H)
    let attentionNormWeight: FloatBuffer  // (H)
    let attentionNormBias: FloatBuffer  // (H)
    let intermediate: BertLinear  // (I, H)
    let output: BertLinear  // (H, I)
    let outputNormWeight: FloatBuffer  // (H)
    let outputNormBias: FloatBuffer  // (H)
}

/// All weights of a BERT encoder, read from `model.safetensors`.
///
/// Tensor names are those of Hugging Face's `BertModel`, with or without the `bert.` prefix
/// that checkpoints saved from a task model carry.
struct BertWeights: Sendable {
    let wordEmbeddings: FloatBuffer  // (V, H)
    let positionEmbeddings: FloatBuffer  // (P, H)
    let tokenTypeEmbeddings: FloatBuffer  // (T, H)
    let embeddingNormWeight: FloatBuffer  // (H)
    let embeddingNormBias: FloatBuffer  // (H)
    let layers: [BertLayerWeights]

    /// - Parameter fast: the int8 choices for `fast` precision; nil for float32 only.
    init(file: SafetensorsFile, configuration c: BertConfiguration, fast: FastProductPlan? = nil)
        throws(EmbedderError)
    {
        let prefix = file.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        func load(_ name: String, _ shape: [Int]) throws(EmbedderError) -> FloatBuffer {
            do { return FloatBuffer(try file.floats(prefix + name, shape: shape)) } catch { throw .weights(error) }
        }
        func linear(_ name: String, _ shape: [Int], _ encoding: KeyPath<FastProductPlan, Int8Encoding>)
            throws(EmbedderError) -> BertLinear
        {
            Self.linear(
                try load(name + ".weight", shape), bias: try load(name + ".bias", [shape[0]]), inputs: shape[1],
                encoding: fast?[keyPath: encoding])
        }
        let h = c.hiddenSize
        wordEmbeddings = try load("embeddings.word_embeddings.weight", [c.vocabularySize, h])
        positionEmbeddings = try load("embeddings.position_embeddings.weight", [c.maxPositions, h])
        tokenTypeEmbeddings = try load("embeddings.token_type_embeddings.weight", [c.typeVocabularySize, h])
        embeddingNormWeight = try load("embeddings.LayerNorm.weight", [h])
        embeddingNormBias = try load("embeddings.LayerNorm.bias", [h])

        var layers: [BertLayerWeights] = []
        for index in 0..<c.layerCount {
            let p = "encoder.layer.\(index)."
            let query = try load(p + "attention.self.query.weight", [h, h])
            let key = try load(p + "attention.self.key.weight", [h, h])
            let value = try load(p + "attention.self.value.weight", [h, h])
            let queryBias = try load(p + "attention.self.query.bias", [h])
            let keyBias = try load(p + "attention.self.key.bias", [h])
            let valueBias = try load(p + "attention.self.value.bias", [h])
            layers.append(
                BertLayerWeights(
                    queryKeyValue: Self.linear(
                        Self.concatenate([query, key, value]), bias: Self.concatenate([queryBias, keyBias, valueBias]),
                        inputs: h, encoding: fast?.attention),
                    attentionOutput: try linear(p + "attention.output.dense", [h, h], \.attention),
                    attentionNormWeight: try load(p + "attention.output.LayerNorm.weight", [h]),
                    attentionNormBias: try load(p + "attention.output.LayerNorm.bias", [h]),
                    intermediate: try linear(p + "intermediate.dense", [c.intermediateSize, h], \.intermediate),
                    output: try linear(p + "output.dense", [h, c.intermediateSize], \.output),
                    outputNormWeight: try load(p + "output.LayerNorm.weight", [h]),
                    outputNormBias: try load(p + "output.LayerNorm.bias", [h])))
        }
        self.layers = layers
    }

    /// Packs an `[out, in]` matrix, and quantises it too when `encoding` is given.
    private static func linear(_ matrix: FloatBuffer, bias: FloatBuffer, inputs: Int, encoding: Int8Encoding?)
        -> BertLinear
    {
        withExtendedLifetime(matrix) {
            let outputs = matrix.count / inputs
            let weight = PackedWeights(rowMajor: matrix.pointer, outputs: outputs, inputs: inputs)
            let int8 = encoding.map {
                Int8PackedWeights(
                    rowMajor: matrix.pointer, outputs: outputs, inputs: inputs, float: weight, encoding: $0)
            }
            return BertLinear(weight: weight, int8: int8, bias: bias)
        }
    }

    private static func concatenate(_ parts: [FloatBuffer]) -> FloatBuffer {
        let result = FloatBuffer(count: parts.reduce(0) { $0 + $1.count })
        var offset = 0
        for part in parts {
            (result.pointer + offset).update(from: part.pointer, count: part.count)
            offset += part.count
        }
        return result
    }
}
