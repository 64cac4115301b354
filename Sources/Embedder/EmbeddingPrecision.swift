import Kernels

/// How the encoder's matrix products are computed.
///
/// - `exact`: float32 throughout; vectors match sentence-transformers to cosine > 0.99999.
/// - `fast`: the four linear layers of every encoder layer run as 8-bit integer products
///   (`Int8PackedWeights`), about twice the float32 rate; attention, softmax, LayerNorm and GELU
///   stay float32. Weights are quantised once at load, per output channel; activations per token,
///   with each token's largest features and the weights' outlier columns kept in float32 (BERT's
///   massive activations would otherwise swallow the 8-bit range). Vectors keep cosine ≥ 0.999
///   with the exact ones (about 0.9996 on typical texts).
public enum EmbeddingPrecision: String, Sendable, CaseIterable, Equatable {
    case exact
    case fast
}

/// The choices `fast` makes, per linear layer.
///
/// Measured on the sentence-transformers fixtures (worst cosine, the empty text): 7-bit
/// activations with 8 outliers per token 0.99910; 8-bit activations everywhere 0.99927, but the
/// sign trick costs about a quarter of the products' speed; fewer outliers fall below 0.999.
struct FastProductPlan: Sendable {
    /// Activation encoding of the attention projections (q, k, v and output).
    var attention: Int8Encoding = .unsigned7
    /// Activation encoding of the first feed-forward product (LayerNorm output in).
    var intermediate: Int8Encoding = .unsigned7
    /// Activation encoding of the second feed-forward product (GELU output in).
    var output: Int8Encoding = .unsigned7
    /// Largest-magnitude features per token kept in float.
    var outliersPerRow = 8

    func encoding(_ site: LinearSite) -> Int8Encoding {
        switch site {
        case .queryKeyValue, .attentionOutput: return attention
        case .intermediate: return intermediate
        case .output: return output
        }
    }
}
