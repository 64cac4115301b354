import Foundation
import Kernels
import ModelFiles

/// The four linear layers of an encoder layer.
enum LinearSite: CaseIterable, Sendable {
    case queryKeyValue, attentionOutput, intermediate, output
}

/// One linear layer: its weight, packed in float32 for `PackedWeights.multiply` or, in `fast`
/// precision, quantised for `Int8PackedWeights.multiply`; and its bias.
struct BertLinear: Sendable {
    enum Weight: Sendable {
        case float(PackedWeights)
        case int8(Int8PackedWeights)
    }

    let weight: Weight  // (out, in)
    let bias: FloatBuffer  // (out)

    var outputs: Int {
        switch weight {
        case .float(let packed): return packed.outputs
        case .int8(let packed): return packed.outputs
        }
    }

    var inputs: Int {
        switch weight {
        case .float(let packed): return packed.inputs
        case .int8(let packed): return packed.inputs
        }
    }
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

    subscript(site: LinearSite) -> BertLinear {
        switch site {
        case .queryKeyValue: return queryKeyValue
        case .attentionOutput: return attentionOutput
        case .intermediate: return intermediate
        case .output: return output
        }
    }

    /// The same layer with each linear layer replaced by `transform(site, linear)`.
    func mapLinears(_ transform: (LinearSite, BertLinear) -> BertLinear) -> BertLayerWeights {
        BertLayerWeights(
            queryKeyValue: transform(.queryKeyValue, queryKeyValue),
            attentionOutput: transform(.attentionOutput, attentionOutput),
            attentionNormWeight: attentionNormWeight, attentionNormBias: attentionNormBias,
            intermediate: transform(.intermediate, intermediate), output: transform(.output, output),
            outputNormWeight: outputNormWeight, outputNormBias: outputNormBias)
    }
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
    private(set) var layers: [BertLayerWeights]

    init(file: SafetensorsFile, configuration c: BertConfiguration) throws(EmbedderError) {
        let prefix = file.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        func load(_ name: String, _ shape: [Int]) throws(EmbedderError) -> FloatBuffer {
            do { return FloatBuffer(try file.floats(prefix + name, shape: shape)) } catch { throw .weights(error) }
        }
        func linear(_ name: String, _ shape: [Int]) throws(EmbedderError) -> BertLinear {
            Self.linear(try load(name + ".weight", shape), bias: try load(name + ".bias", [shape[0]]), inputs: shape[1])
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
                        inputs: h),
                    attentionOutput: try linear(p + "attention.output.dense", [h, h]),
                    attentionNormWeight: try load(p + "attention.output.LayerNorm.weight", [h]),
                    attentionNormBias: try load(p + "attention.output.LayerNorm.bias", [h]),
                    intermediate: try linear(p + "intermediate.dense", [c.intermediateSize, h]),
                    output: try linear(p + "output.dense", [h, c.intermediateSize]),
                    outputNormWeight: try load(p + "output.LayerNorm.weight", [h]),
                    outputNormBias: try load(p + "output.LayerNorm.bias", [h])))
        }
        self.layers = layers
    }

    /// Packs an `[out, in]` matrix.
    private static func linear(_ matrix: FloatBuffer, bias: FloatBuffer, inputs: Int) -> BertLinear {
        withExtendedLifetime(matrix) {
            let weight = PackedWeights(rowMajor: matrix.pointer, outputs: matrix.count / inputs, inputs: inputs)
            return BertLinear(weight: .float(weight), bias: bias)
        }
    }

    /// These weights with every linear layer quantised to int8 (`fast` precision); the float32
    /// panels are not kept.
    func quantized(_ plan: FastProductPlan) -> BertWeights {
        var copy = self
        copy.layers = layers.map { layer in
            layer.mapLinears { site, linear in
                guard case .float(let packed) = linear.weight else { return linear }
                let matrix = FloatBuffer(count: packed.outputs * packed.inputs)
                packed.unpack(into: matrix.pointer)
                let int8 = withExtendedLifetime(matrix) {
                    Int8PackedWeights(
                        rowMajor: matrix.pointer, outputs: packed.outputs, inputs: packed.inputs,
                        encoding: plan.encoding(site))
                }
                return BertLinear(weight: .int8(int8), bias: linear.bias)
            }
        }
        return copy
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
