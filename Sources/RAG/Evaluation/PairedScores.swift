/// One metric's per-question scores for arm A and arm B, question by question: the input of the
/// paired tests and of the bootstrap interval of a difference. Pairing removes the variation
/// between questions (some are simply harder), which is most of the variation, so a paired test
/// sees a difference an unpaired one would miss.
public struct PairedScores: Sendable, Equatable {
    public let a: [Double]
    public let b: [Double]

    /// Pairs `a[i]` with `b[i]`; both must hold the same number of finite scores.
    public init(a: [Double], b: [Double]) throws {
        guard a.count == b.count else {
            throw EvaluationError(
                message: "arm A has \(a.count) scores and arm B \(b.count); pair them question by question")
        }
        if let index = a.indices.first(where: { !a[$0].isFinite || !b[$0].isFinite }) {
            throw EvaluationError(
                message:
                    "question \(index + 1) scores \(a[index]) in arm A and \(b[index]) in arm B; scores must be finite"
            )
        }
        self.a = a
        self.b = b
    }

    /// B − A question by question: positive where arm B scored higher.
    public var differences: [Double] { zip(b, a).map { $0 - $1 } }
}
