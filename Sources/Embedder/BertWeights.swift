import Foundation
import Kernels
import ModelFiles

/// The weights of one encoder layer; matrices are packed for `PackedWeights.multiply`, shapes
/// given in PyTorch's `[out, in]` terms.
///
/// Query, key and value projections are concatenated into one `[3·H, H]` matrix at load so that
/// one matrix product computes all three.
struct BertLayerWeights: Sendable {
    let queryKeyValue: PackedWeights  // (3H, H)
    let queryKeyValueBias: FloatBuffer  // (3H)
    let attentionOutput: PackedWeights  // (H, H)
    let attentionOutputBias: FloatBuffer  // (H)
    let attentionNormWeight: FloatBuffer  // (H)
    let attentionNormBias: FloatBuffer  // (H)
    let intermediate: PackedWeights  // (I, H)
    let intermediateBias: FloatBuffer  // (I)
    let output: PackedWeights  // (H, I)
    let outputBias: FloatBuffer  // (H)
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

    init(file: SafetensorsFile, configuration c: BertConfiguration) throws(EmbedderError) {
        let prefix = file.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        func load(_ name: String, _ shape: [Int]) throws(EmbedderError) -> FloatBuffer {
            do { return FloatBuffer(try file.floats(prefix + name, shape: shape)) } catch { throw .weights(error) }
        }
        func packed(_ name: String, _ shape: [Int]) throws(EmbedderError) -> PackedWeights {
            let matrix = try load(name, shape)
            return withExtendedLifetime(matrix) {
                PackedWeights(rowMajor: matrix.pointer, outputs: shape[0], inputs: shape[1])
            }
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
                    queryKeyValue: Self.packedConcatenation([query, key, value], inputs: h),
                    queryKeyValueBias: Self.concatenate([queryBias, keyBias, valueBias]),
                    attentionOutput: try packed(p + "attention.output.dense.weight", [h, h]),
                    attentionOutputBias: try load(p + "attention.output.dense.bias", [h]),
                    attentionNormWeight: try load(p + "attention.output.LayerNorm.weight", [h]),
                    attentionNormBias: try load(p + "attention.output.LayerNorm.bias", [h]),
                    intermediate: try packed(p + "intermediate.dense.weight", [c.intermediateSize, h]),
                    intermediateBias: try load(p + "intermediate.dense.bias", [c.intermediateSize]),
                    output: try packed(p + "output.dense.weight", [h, c.intermediateSize]),
                    outputBias: try load(p + "output.dense.bias", [h]),
                    outputNormWeight: try load(p + "output.LayerNorm.weight", [h]),
                    outputNormBias: try load(p + "output.LayerNorm.bias", [h])))
        }
        self.layers = layers
    }

    /// Stacks the rows of several `[out, in]` matrices into one and packs it.
    private static func packedConcatenation(_ parts: [FloatBuffer], inputs: Int) -> PackedWeights {
        let stacked = concatenate(parts)
        return withExtendedLifetime(stacked) {
            PackedWeights(rowMajor: stacked.pointer, outputs: stacked.count / inputs, inputs: inputs)
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
