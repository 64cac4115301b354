/// The projections of a decoder block that an adapter can change.
public enum ProjectionTarget: String, Sendable, CaseIterable, Codable {
    case query, key, value, output, gate, up, down
}

/// A low-rank update of one projection, Δy = scale · B·(A·x), in the runtime's row order.
public struct LowRankUpdate: Sendable {
    public let rank: Int
    public let inputs: Int
    public let outputs: Int
    /// A: rank × inputs, row-major.
    public let a: [Float]
    /// B: outputs × rank, row-major.
    public let b: [Float]
    /// lora_alpha / r (or / √r with rsLoRA), with any per-module pattern applied.
    public let scale: Float

    public init(rank: Int, inputs: Int, outputs: Int, a: [Float], b: [Float], scale: Float) {
        precondition(a.count == rank * inputs && b.count == outputs * rank)
        self.rank = rank
        self.inputs = inputs
        self.outputs = outputs
        self.a = a
        self.b = b
        self.scale = scale
    }
}

/// A LoRA adapter ready to apply unmerged, `y = W·x + scale·B·(A·x)`, next to the base weights,
/// which it never changes: one base in memory serves any number of adapters.
public final class LoRAAdapter: Sendable {
    public let name: String
    /// Updates per layer and projection.
    public let updates: [Int: [ProjectionTarget: LowRankUpdate]]
    /// What a listing shows: rank, alpha, targets, base model, as the adapter's files say.
    public let summary: AdapterSummary

    public init(name: String, updates: [Int: [ProjectionTarget: LowRankUpdate]], summary: AdapterSummary) {
        self.name = name
        self.updates = updates
        self.summary = summary
    }

    /// Floats held by the updates.
    public var parameterCount: Int {
        updates.values.flatMap(\.values).reduce(0) { $0 + $1.a.count + $1.b.count }
    }
}

/// An adapter's description for listings and the API.
public struct AdapterSummary: Sendable, Equatable, Codable {
    public var rank: Int
    public var alpha: Double
    public var targets: [String]
    public var baseModel: String?
    public var usesRSLoRA: Bool

    public init(rank: Int, alpha: Double, targets: [String], baseModel: String?, usesRSLoRA: Bool) {
        self.rank = rank
        self.alpha = alpha
        self.targets = targets
        self.baseModel = baseModel
        self.usesRSLoRA = usesRSLoRA
    }
}

/// An adapter chosen for one generation, with a multiplier of its scale (1 = as trained).
/// Several may be active at once: their updates add up.
public struct ActiveAdapter: Sendable, Equatable {
    public let adapter: LoRAAdapter
    public let weight: Float

    public init(_ adapter: LoRAAdapter, weight: Float = 1) {
        self.adapter = adapter
        self.weight = weight
    }

    public static func == (lhs: ActiveAdapter, rhs: ActiveAdapter) -> Bool {
        lhs.adapter === rhs.adapter && lhs.weight == rhs.weight
    }
}
