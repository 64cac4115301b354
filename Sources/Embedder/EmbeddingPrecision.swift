import Kernels

/// How the encoder's matrix products are computed.
///
/// - `exact`: float32 throughout; vectors match sentence-transformers to cosine > 0.99999.
/// - `fast`: the four linear layers of every encoder layer run as 8-bit integer products
///   (`Int8PackedWeights`), about twice the float32 rate; attention, softmax, LayerNorm and GELU
///   stay float32. Weights are quantised once at load, per output channel; activations per token,
///   with each token's largest features and the weights' outlier columns kept in float (BERT's
///   massive activations would otherwise swallow the 8-bit range). Vectors keep cosine ≥ 0.999
///   with the exact ones (0.9995–0.9998 on the reference texts).
public enum EmbeddingPrecision: String, Sendable, CaseIterable, Equatable {
    case exact
    case fast
}

/// The choices `fast` makes, per linear layer.
///
/// Measured on the sentence-transformers fixtures (worst cosine over 16 texts): 7-bit activations
/// with 8 outliers per token give 0.99910, the worst being the empty text, whose vector is the
/// mean of [CLS] and [SEP] alone: those tokens carry BERT's massive activations, and nothing
/// averages their errors out. With 32 outliers for them (two rows per text: free) the worst is
/// 0.99956 and all 16 lie within 0.99956–0.99981. 8-bit activations (the sign trick) gained less
/// (0.99927 everywhere) and cost about a quarter of the products' speed; fewer outliers per token
/// fall below 0.999.
struct FastProductPlan: Sendable {
    /// Activation encoding of the attention projections (q, k, v and output).
    var attention: Int8Encoding = .unsigned7
    /// Activation encoding of the first feed-forward product (LayerNorm output in).
    var intermediate: Int8Encoding = .unsigned7
    /// Activation encoding of the second feed-forward product (GELU output in).
    var output: Int8Encoding = .unsigned7
    /// Largest-magnitude features per token kept in float.
    var outliersPerRow = 8
    /// The same for each sequence's first and last token ([CLS] and [SEP]).
    var specialTokenOutliers = 32

    func encoding(_ site: LinearSite) -> Int8Encoding {
        switch site {
        case .queryKeyValue, .attentionOutput: return attention
        case .intermediate: return intermediate
        case .output: return output
        }
    }
}
