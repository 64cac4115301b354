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
///
/// On 572 texts (generated passages of 40 and 200 words, the fixtures, and the paragraphs of the
/// sample manuals, Chinese ones included), against exact vectors: 8 outliers everywhere gave a
/// worst cosine of 0.99896 (on Chinese passages of 200+ tokens), p1 0.99921. 16 at one site,
/// others 8: the second feed-forward product 0.99922 (p1 0.99936); q/k/v 0.99912, the
/// first feed-forward product 0.99913, the attention output 0.99907. 16 at the second
/// feed-forward product costs a 20-token query about 4% of its time; 12 everywhere gave 0.99924
/// but adds outliers where Wᵀ's rows are 3–4 times longer; 8-bit activations there gave 0.99921
/// and slow that product by a quarter.
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

    /// Largest-magnitude features per token kept in float at the second feed-forward product,
    /// whose 1,536 GELU outputs per token carry the errors that matter most (see above). Its
    /// outlier rows of Wᵀ are the shortest (384 outputs), so these cost least there.
    var outputOutliersPerRow = 16

    /// Outliers per token at `site`.
    func outliers(_ site: LinearSite) -> Int {
        site == .output ? outputOutliersPerRow : outliersPerRow
    }

    func encoding(_ site: LinearSite) -> Int8Encoding {
        switch site {
        case .queryKeyValue, .attentionOutput: return attention
        case .intermediate: return intermediate
        case .output: return output
        }
    }
}
